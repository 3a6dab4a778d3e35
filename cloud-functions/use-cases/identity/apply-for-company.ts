import type { CompanyView } from '../../api/identity.types'
import { parseCreditCode } from '../../core/identity/credit-code'
import { parseIdNumber } from '../../core/identity/id-number'
import { encryptPersonalData, lookupHash } from '../../core/identity/personal-data'
import { maskIdNumber } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { companyKey, companyView, creditCodeLookupKey, requireUser, type CompanyFields, type CompanyRecord, applicationIndexKey } from './records'
import { callProvider, checkFailed } from './call-provider'
import type { NewItem } from '../../ports/metadata-store'

/**
 * `POST /api/identity/companies`: start enterprise verification (企业认证). The applicant must be a
 * verified person. Checks locally (GB 32100 check character → `CREDIT_CODE_INVALID`; the legal
 * representative's ID number → `ID_NUMBER_INVALID`, both naming the field), refuses a credit code
 * already verified on the platform, then asks the provider's business registry whether company
 * name, credit code and legal representative (name + ID number) belong together. On a pass the
 * company is recorded as `pending`; the applicant then completes it by legal-rep authorisation or
 * micro-deposit. Nothing is stored on a failed check or an outage.
 */
export async function applyForCompany(
  deps: IdentityDeps,
  input: { userId: string; name: string; creditCode: string; legalRepName: string; legalRepIdNumber: string },
): Promise<Result<CompanyView>> {
  const now = deps.clock.now()
  const creditCode = parseCreditCode(input.creditCode)
  if (!creditCode.ok) return creditCode
  const legalRepId = parseIdNumber(input.legalRepIdNumber, now, 'legalRepIdNumber')
  if (!legalRepId.ok) return legalRepId
  const name = input.name.trim()
  const legalRepName = input.legalRepName.trim()

  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  if (user.value.person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '企业认证前，请先完成个人实名认证')
  const claimed = await deps.metadata.get(creditCodeLookupKey(creditCode.value).pk, creditCodeLookupKey(creditCode.value).sk)
  if (claimed) return err('COMPANY_ALREADY_REGISTERED', '该企业已在平台完成认证，请联系企业管理员邀请您加入', { field: 'creditCode' })

  const check = await callProvider(deps.logger, 'verifyEnterprise', () =>
    deps.identity.verifyEnterprise({ companyName: name, creditCode: creditCode.value, legalRepName, legalRepIdNumber: legalRepId.value.value }),
  )
  if (!check.ok) return check
  if (check.value.outcome === 'fail') return { ok: false, error: checkFailed(check.value, '企业工商信息核验未通过') }

  const companyId = deps.ids.newId()
  const company: NewItem & CompanyFields = {
    ...companyKey(companyId),
    ...applicationIndexKey(input.userId, companyId),
    type: 'company',
    companyId,
    name,
    creditCode: creditCode.value,
    legalRepName,
    legalRepIdEnc: encryptPersonalData(deps.personalData, 'id-number', legalRepId.value.value),
    legalRepIdHash: lookupHash(deps.personalData, 'id-number', legalRepId.value.value),
    maskedLegalRepIdNumber: maskIdNumber(legalRepId.value.value),
    applicantUserId: input.userId,
    status: 'pending',
    createdAt: now.toISOString(),
  }
  const written = await deps.metadata.put(company, { mustNotExist: true })
  if (!written.ok) return err('CONFLICT', '企业记录创建冲突，请重试')
  deps.logger.info({ userId: input.userId, companyId, step: 'registry-checked' }, 'company verification')
  const record = { ...company, version: 1 } as CompanyRecord
  return ok(companyView(record, 'applicant', user.value, now, Boolean(deps.payout)))
}
