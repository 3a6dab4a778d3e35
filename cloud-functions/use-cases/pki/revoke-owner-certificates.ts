import type { CrlReason } from '../../core/pki/build-crl'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import { listOwnerCertificates, type CertificateRecord } from './records'
import { afterRevocation, markRevoked, type RevokeCertificateDeps } from './revoke-certificate'

/**
 * Account closure (注销): revoke every certificate of `owner` that is not revoked yet — current
 * and superseded long-term certificates alike — with reason `cessationOfOperation` (or
 * `affiliationChanged` when a person leaves a company), regenerate the CRL once, and destroy their
 * keys. Idempotent: a second call revokes nothing and answers `revoked: []`.
 *
 * @example
 * await revokeOwnerCertificates(deps, { owner: userId })
 */
export async function revokeOwnerCertificates(
  deps: RevokeCertificateDeps,
  input: { owner: string; reason?: Extract<CrlReason, 'cessationOfOperation' | 'affiliationChanged' | 'keyCompromise' | 'privilegeWithdrawn'> },
): Promise<Result<{ revoked: CertificateRecord[] }, DomainError<'VALIDATION_FAILED' | 'CONFLICT' | 'CERTIFICATE_NOT_FOUND'>>> {
  if (typeof input.owner !== 'string' || input.owner.length === 0 || input.owner.length > 200) {
    return err('VALIDATION_FAILED', '用户标识不正确', { field: 'owner' })
  }
  const reason = input.reason ?? 'cessationOfOperation'
  const revoked: CertificateRecord[] = []
  for (const record of await listOwnerCertificates(deps.metadata, input.owner)) {
    if (record.status === 'revoked') continue
    const r = await markRevoked(deps, record.serialNumber, reason)
    if (!r.ok) return r
    if (r.value.changed) revoked.push(r.value.record)
  }
  if (revoked.length > 0) await afterRevocation(deps, revoked)
  return ok({ revoked })
}
