import { NOT_BEFORE_BACKDATE_MS } from '../../core/pki/certificate-profile'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import { getCertificateRecord, updateOperation, type CertificateRecord } from './records'
import { DEFAULT_RENEW_WITHIN_DAYS, issueAndRecord, type IssueLongTermCertificateDeps } from './issue-long-term-certificate'

const DAY = 24 * 60 * 60 * 1000

/**
 * Renew a long-term certificate before it expires (续期): once within `renewWithinDays` (default
 * 30) of its notAfter, a new key and a certificate for the same subject (name, organisation,
 * subject serialNumber) and the same lifetime are issued; the old record becomes `superseded`
 * (pointing at the new serial) in the same conditional transaction that records the new one, and
 * the old key is destroyed. The old certificate is not revoked: signatures made with it stay valid.
 *
 * Refusals, which change nothing: unknown serial → `CERTIFICATE_NOT_FOUND`; not a long-term
 * certificate, revoked or already superseded → `CERTIFICATE_NOT_RENEWABLE` (with `supersededBy`);
 * too early → `RENEWAL_NOT_DUE` (with `renewableFrom`). Two concurrent renewals of one certificate
 * produce one successor: the loser's key is destroyed and the winner's record is answered.
 *
 * @example
 * const r = await renewCertificate(deps, { serialNumber: old.serialNumber })
 * if (r.ok) r.value.record // the new certificate
 */
export async function renewCertificate(
  deps: IssueLongTermCertificateDeps,
  input: { serialNumber: string; renewWithinDays?: number },
): Promise<
  Result<
    { record: CertificateRecord; previous: CertificateRecord },
    DomainError<'CERTIFICATE_NOT_FOUND' | 'CERTIFICATE_NOT_RENEWABLE' | 'RENEWAL_NOT_DUE' | 'CONFLICT'>
  >
> {
  const old = await getCertificateRecord(deps.metadata, input.serialNumber)
  if (!old) return err('CERTIFICATE_NOT_FOUND', `证书不存在：${input.serialNumber}`)
  if (old.kind !== 'long-term' || old.status !== 'good' || !old.keyId || !old.owner) {
    const reason = old.status === 'superseded' ? '已续期' : old.status === 'revoked' ? '已吊销' : '不是长期证书'
    return err('CERTIFICATE_NOT_RENEWABLE', `该证书不能续期（${reason}）`, { status: old.status, kind: old.kind, supersededBy: old.supersededBy })
  }
  const notBefore = new Date(old.notBefore).getTime()
  const notAfter = new Date(old.notAfter).getTime()
  const renewableFrom = new Date(notAfter - (input.renewWithinDays ?? DEFAULT_RENEW_WITHIN_DAYS) * DAY)
  if (deps.clock.now() < renewableFrom) {
    return err('RENEWAL_NOT_DUE', `证书将于 ${renewableFrom.toISOString()} 起可续期`, { renewableFrom: renewableFrom.toISOString() })
  }

  const algorithm = (await deps.ca.keyVault.describeKey(old.keyId))?.algorithm ?? 'P-256'
  const issued = await issueAndRecord(
    deps,
    { name: old.subjectCommonName, organization: old.subjectOrganization, subjectSerialNumber: old.subjectSerialNumber ?? '', owner: old.owner, algorithm, validityMs: notAfter - notBefore - NOT_BEFORE_BACKDATE_MS },
    (successor) => [updateOperation(old, { status: 'superseded', supersededBy: successor.serialNumber })],
  )
  if (issued.conflict) {
    // Someone else renewed (or revoked) it meanwhile: answer their successor, if that is what happened.
    const current = await getCertificateRecord(deps.metadata, old.serialNumber)
    const successor = current?.supersededBy ? await getCertificateRecord(deps.metadata, current.supersededBy) : undefined
    if (current && successor) return ok({ record: successor, previous: current })
    return err('CONFLICT', '证书记录正被并发修改，请重试')
  }
  await deps.ca.keyVault.destroyKey(old.keyId)
  return ok({ record: issued.record, previous: { ...old, status: 'superseded', supersededBy: issued.record.serialNumber, version: old.version + 1 } })
}
