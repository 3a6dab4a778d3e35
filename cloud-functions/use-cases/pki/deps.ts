import type { EventCertificate } from '../../core/pki/issue-event-certificate'
import type { PlatformCa } from '../../ports/platform-ca'

/** The trust services of one process (built by `runtime/services.ts`): the platform CA, and event certificates that are recorded. */
export type PkiServices = {
  ca: PlatformCa
  /** Where the CA lives, for logs and `esign ca`: `<dataDir>/pki` or `kms`. */
  location: string
  /** Whether this process created the hierarchy (first start). */
  created: boolean
  /**
   * A fresh key and event certificate (事件证书) for one signing act, recorded in the certificate
   * registry (so OCSP answers good for it). The key lives only in the returned Signer.
   */
  issueEventCertificate(request: EventCertificateRequest): Promise<EventCertificate>
  /**
   * The platform's own certificate of the day for `request` (same name and organisation, no
   * signing-act binding): issued and recorded on the first call of a (UTC) day, valid two days, its
   * key kept in this process's memory only and reused for every signature of that day — the
   * evidence reports, instead of one certificate and key per report.
   */
  dailyCertificate(request: Pick<EventCertificateRequest, 'name' | 'organization'>): Promise<EventCertificate>
}

export type EventCertificateRequest = {
  name: string
  organization?: string
  contractId?: string
  /** SHA-256 of the intent proof: 32 bytes or 64 hex characters. */
  intentHash?: Uint8Array | string
  subjectSerialNumber?: string
  singleUse?: boolean
  /** Certificate lifetime; default one year. */
  validityMs?: number
}
