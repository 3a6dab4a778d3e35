import { CRL_REASONS, type CrlReason } from '../../core/pki/build-crl'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import type { PlatformCa } from '../../ports/platform-ca'
import { getCertificateRecord, revokeOperations, type CertificateRecord } from './records'
import { refreshCrl, type CrlIssuer } from './refresh-crl'

export type RevokeCertificateDeps = { metadata: MetadataStore; clock: Clock; ca: PlatformCa }

export type RevokeCertificateInput = {
  /** Hex serial number (as the registry and `openssl x509 -serial` print it). */
  serialNumber: string
  /** RFC 5280 reason; `keyCompromise` also destroys the key when the vault holds it. */
  reason: CrlReason
}

/**
 * Revoke a certificate the platform CA issued: its record becomes `revoked` (time = now, reason)
 * and it is listed on its issuer's CRL, in one conditional transaction; then that CRL is
 * regenerated at once, so OCSP and the published CRL agree from the moment this returns. A key
 * the vault holds for the certificate (long-term certificates) is destroyed — a revoked
 * certificate's key has nothing left to sign.
 *
 * Idempotent: revoking a revoked certificate changes nothing and answers its record
 * (`changed: false`). An unknown serial is `CERTIFICATE_NOT_FOUND`; a bad reason or the root's
 * own certificate is `VALIDATION_FAILED`. Nothing is written for a refused call.
 *
 * @example
 * const r = await revokeCertificate(deps, { serialNumber: '4F3A…', reason: 'keyCompromise' })
 */
export async function revokeCertificate(
  deps: RevokeCertificateDeps,
  input: RevokeCertificateInput,
): Promise<Result<{ record: CertificateRecord; changed: boolean }, DomainError<'CERTIFICATE_NOT_FOUND' | 'VALIDATION_FAILED' | 'CONFLICT'>>> {
  if (!Object.hasOwn(CRL_REASONS, input.reason) || input.reason === 'removeFromCRL') {
    return err('VALIDATION_FAILED', `吊销原因不正确：${String(input.reason)}`, { field: 'reason' })
  }
  const revoked = await markRevoked(deps, input.serialNumber, input.reason)
  if (!revoked.ok) return revoked
  if (revoked.value.changed) await afterRevocation(deps, [revoked.value.record])
  return revoked
}

/**
 * Mark one certificate revoked in the registry (no CRL refresh, no key destruction: see
 * {@link afterRevocation}), retrying on a concurrent change of its record.
 */
export async function markRevoked(
  deps: Pick<RevokeCertificateDeps, 'metadata' | 'clock'>,
  serialNumber: string,
  reason: CrlReason,
): Promise<Result<{ record: CertificateRecord; changed: boolean }, DomainError<'CERTIFICATE_NOT_FOUND' | 'VALIDATION_FAILED' | 'CONFLICT'>>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = await getCertificateRecord(deps.metadata, serialNumber)
    if (!record) return err('CERTIFICATE_NOT_FOUND', `证书不存在：${serialNumber}`)
    if (record.issuer === 'self') return err('VALIDATION_FAILED', '根证书不能吊销（应更换信任锚）', { field: 'serialNumber' })
    if (record.status === 'revoked') return ok({ record, changed: false })
    const revokedAt = new Date(Math.floor(deps.clock.now().getTime() / 1000) * 1000)
    const written = await deps.metadata.transact(revokeOperations(record, revokedAt, reason))
    if (written.ok) {
      return ok({ record: { ...record, status: 'revoked', revokedAt: revokedAt.toISOString(), revocationReason: reason, version: record.version + 1 }, changed: true })
    }
  }
  return err('CONFLICT', '证书记录正被并发修改，请重试')
}

/** After revocations: regenerate each affected CRL once, and destroy the vault keys of the revoked certificates. */
export async function afterRevocation(deps: RevokeCertificateDeps, records: CertificateRecord[]): Promise<void> {
  const issuers = new Set(records.map((r) => r.issuer).filter((i): i is CrlIssuer => i === 'issuing' || i === 'root'))
  for (const issuer of issuers) await refreshCrl(deps, issuer, { force: true })
  for (const r of records) if (r.keyId && r.kind === 'long-term') await deps.ca.keyVault.destroyKey(r.keyId)
}
