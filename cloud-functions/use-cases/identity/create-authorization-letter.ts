import { createHash } from 'node:crypto'
import type { AuthorizationLetterView } from '../../api/identity.types'
import { buildAuthorizationLetter } from '../../core/identity/authorization-letter'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { companyAccess } from './get-company'
import { companyView, loadUser, withoutVersion, type CompanyRecord } from './records'

export const PLATFORM_NAME = '签约电子签约平台'

/** The intent target of the letter: contract id and signer id of its one signing act. */
export const letterIntentTarget = (company: CompanyRecord) => ({
  contractId: `company-authorization.${company.companyId}`,
  signerId: 'legal-rep',
  documentHash: company.authorization?.documentHash ?? '',
})

/**
 * `POST /api/identity/companies/{id}/authorization-letter` (path a): generate the authorisation
 * letter (企业授权书) in which the legal representative authorises the applicant (a verified person)
 * to administer the company on the platform. Stored in the object store; its SHA-256 is what the
 * legal representative's intent confirmation and signature are bound to. Idempotent while unsigned:
 * asking again returns the same letter.
 */
export async function createAuthorizationLetter(deps: IdentityDeps, input: { userId: string; companyId: string }): Promise<Result<AuthorizationLetterView>> {
  const access = await companyAccess(deps, input)
  if (!access.ok) return access
  const { company, user, role } = access.value
  if (company.status === 'verified') return err('ALREADY_VERIFIED', '该企业已完成认证')
  if (role !== 'applicant') return err('FORBIDDEN', '仅企业认证的申请人可以生成授权书')
  const now = deps.clock.now()
  if (company.authorization && !company.authorization.signedAt) {
    return ok(companyView(company, role, user, now, Boolean(deps.payout)).authorization!)
  }
  const applicant = await loadUser(deps.metadata, company.applicantUserId)
  if (applicant?.person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '申请人需先完成个人实名认证')
  const letterId = `AL${deps.ids.newId()}`
  const pdf = await buildAuthorizationLetter({
    letterId,
    companyName: company.name,
    creditCode: company.creditCode,
    legalRepName: company.legalRepName,
    delegateName: applicant.person.name,
    delegateMaskedPhone: applicant.person.maskedPhone,
    platformName: PLATFORM_NAME,
    issuedAt: now,
    font: deps.font(),
  })
  const documentHash = createHash('sha256').update(pdf).digest('hex')
  const objectKey = `identity/authorization-letters/${company.companyId}/${letterId}.pdf`
  await deps.objects.put(objectKey, pdf, { contentType: 'application/pdf' })
  const updated = { ...company, authorization: { letterId, documentHash, objectKey, createdAt: now.toISOString() } }
  const written = await deps.metadata.put(withoutVersion(updated), { expectedVersion: company.version })
  if (!written.ok) return err('CONFLICT', '企业认证信息已被修改，请刷新后重试')
  deps.logger.info({ companyId: company.companyId, letterId, documentHash, step: 'letter-created' }, 'company verification')
  return ok(companyView({ ...updated, version: company.version + 1 }, role, user, now, Boolean(deps.payout)).authorization!)
}

/** `GET …/authorization-letter/content`: the letter PDF (the signed one once signed). */
export async function getAuthorizationLetter(deps: IdentityDeps, input: { userId: string; companyId: string }): Promise<Result<{ bytes: Uint8Array; fileName: string }>> {
  const access = await companyAccess(deps, input)
  if (!access.ok) return access
  const a = access.value.company.authorization
  if (!a) return err('NOT_FOUND', '尚未生成授权书')
  const key = a.signedObjectKey ?? a.objectKey
  const bytes = await deps.objects.get(key)
  if (!bytes) return err('NOT_FOUND', '授权书文件不存在')
  return ok({ bytes, fileName: `${access.value.company.name}-授权书${a.signedAt ? '（已签署）' : ''}.pdf` })
}
