import type { CompanyView } from '../../api/identity.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { TransactOperation } from '../../ports/metadata-store'
import { identitySerialNumber } from '../../core/pki/certificate-profile'
import type { IdentityDeps } from './deps'
import { issueLongTermCertificate } from '../pki/issue-long-term-certificate'
import { memberKey, companyView, creditCodeLookupKey, withoutVersion, type CompanyRecord, type UserRecord } from './records'

/**
 * The last step of both enterprise paths: issue the organisation's certificate, then in one
 * transaction mark the company `verified`, claim its credit code (one verified company per code:
 * `COMPANY_ALREADY_REGISTERED` for the loser of a race) and make `admins` its first admin members.
 */
export async function finishCompanyVerification(
  deps: IdentityDeps,
  input: { company: CompanyRecord; changes: Partial<CompanyRecord>; method: 'legal-rep-authorization' | 'micro-deposit'; admins: UserRecord[]; caller: UserRecord },
): Promise<Result<CompanyView>> {
  const now = deps.clock.now()
  const { company } = input
  // The organisation's long-term certificate (subject serialNumber: the salted hash of the credit code).
  const issued = await issueLongTermCertificate(
    { metadata: deps.metadata, clock: deps.clock, ca: deps.pki.ca },
    { owner: company.companyId, name: company.name, organization: company.name, subjectSerialNumber: identitySerialNumber(company.creditCode, deps.personalData.identitySalt) },
  )
  if (!issued.ok) return issued
  const { serialNumber, notAfter } = issued.value.record
  const objectKey = `certificates/companies/${company.companyId}/${serialNumber}.cer`
  await deps.objects.put(objectKey, issued.value.record.certificateDer, { contentType: 'application/pkix-cert' })
  const verified: CompanyRecord = {
    ...company,
    ...input.changes,
    status: 'verified',
    method: input.method,
    verifiedAt: now.toISOString(),
    certificate: { serialNumber, notAfter, objectKey },
  }
  const admins = [...new Map(input.admins.map((u) => [u.userId, u])).values()]
  const ops: TransactOperation[] = [
    { put: withoutVersion(verified), condition: { expectedVersion: company.version } },
    { put: { ...creditCodeLookupKey(company.creditCode), companyId: company.companyId, verifiedAt: verified.verifiedAt }, condition: { mustNotExist: true } },
    ...admins.map(
      (u): TransactOperation => ({
        put: {
          ...memberKey(company.companyId, u.userId),
          type: 'member',
          companyId: company.companyId,
          userId: u.userId,
          role: 'admin',
          name: u.person?.name ?? '',
          maskedPhone: u.person?.maskedPhone ?? u.maskedLoginPhone,
          joinedAt: now.toISOString(),
        },
      }),
    ),
  ]
  const written = await deps.metadata.transact(ops)
  if (!written.ok) {
    const claim = await deps.metadata.get(creditCodeLookupKey(company.creditCode).pk, creditCodeLookupKey(company.creditCode).sk)
    if (claim && claim.companyId !== company.companyId) return err('COMPANY_ALREADY_REGISTERED', '该企业已由其他账号完成认证')
    return err('CONFLICT', '企业认证信息已被修改，请刷新后重试')
  }
  deps.logger.info({ companyId: company.companyId, method: input.method, certificateSerial: serialNumber, admins: admins.map((a) => a.userId) }, 'company verified')
  return ok(companyView({ ...verified, version: company.version + 1 }, 'admin', input.caller, now, Boolean(deps.payout)))
}
