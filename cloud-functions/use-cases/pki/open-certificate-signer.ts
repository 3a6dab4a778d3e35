import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import type { PlatformCa } from '../../ports/platform-ca'
import type { Signer } from '../../ports/signer'
import { getCertificateRecord } from './records'

/**
 * The Signer of a long-term certificate, for the signing engine: the vault key recorded for it,
 * reporting the chain certificate → issuing CA. Only a `good` certificate inside its validity
 * signs: revoked, superseded (renewed) or expired ones are `CERTIFICATE_NOT_USABLE`; an unknown
 * serial, or a certificate whose key the platform does not hold (event certificates), is
 * `CERTIFICATE_NOT_FOUND`.
 *
 * @example
 * const signer = await openCertificateSigner(deps, record.serialNumber)
 * if (signer.ok) await buildCmsSignedData({ documentDigest, signer: signer.value, tsa: deps.ca.tsa })
 */
export async function openCertificateSigner(
  deps: { metadata: MetadataStore; clock: Clock; ca: PlatformCa },
  serialNumber: string,
): Promise<Result<Signer, DomainError<'CERTIFICATE_NOT_FOUND' | 'CERTIFICATE_NOT_USABLE'>>> {
  const record = await getCertificateRecord(deps.metadata, serialNumber)
  if (!record?.keyId || record.kind !== 'long-term') return err('CERTIFICATE_NOT_FOUND', `没有可用于签署的证书：${serialNumber}`)
  const now = deps.clock.now()
  if (record.status !== 'good' || now >= new Date(record.notAfter) || now < new Date(record.notBefore)) {
    return err('CERTIFICATE_NOT_USABLE', `证书${record.status === 'revoked' ? '已吊销' : record.status === 'superseded' ? '已续期' : '不在有效期内'}`, {
      status: record.status,
      supersededBy: record.supersededBy,
    })
  }
  return ok(await deps.ca.keyVault.signer(record.keyId, [record.certificateDer, deps.ca.issuingCertificateDer]))
}
