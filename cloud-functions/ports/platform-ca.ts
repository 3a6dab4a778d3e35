import type { CertificateIssuer } from '../core/pki/issue-certificate'
import type { TimestampResponder } from '../core/pki/timestamp-responder'
import type { KeyVault } from './key-vault'
import type { TimestampAuthority } from './timestamp-authority'

/**
 * The platform CA as the trust-service use cases need it, whatever holds its keys: built by
 * `runtime/services.ts` from the local CA (`<dataDir>/pki`, wrapped keys) in local mode, or
 * from KMS keys and certificates kept in the metadata store in AWS mode.
 */
export type PlatformCa = {
  /** Public base URL of the trust services: CRL DP / AIA of the certificates issued now. */
  baseUrl: string
  rootCertificateDer: Uint8Array
  issuingCertificateDer: Uint8Array
  tsaCertificateDer: Uint8Array
  ocspCertificateDer: Uint8Array
  /** Signs signer certificates and the issuing CA's CRL. */
  issuing: CertificateIssuer
  /** The root, for its own CRL (its key is used rarely; locally it is decrypted on demand). */
  root(): Promise<CertificateIssuer>
  /** The delegated OCSP responder of the issuing CA. */
  ocspResponder: CertificateIssuer
  /**
   * The platform TSA: in process for the signing engine (`timestamp`, and `timestampDigest` for a
   * document time-stamp over a streamed ByteRange digest), and for HTTP clients (`responder.respond`).
   */
  tsa: TimestampAuthority & { readonly responder: TimestampResponder; timestampDigest(sha256: Uint8Array): Promise<Uint8Array> }
  /** Where long-term signer keys live. */
  keyVault: KeyVault
}
