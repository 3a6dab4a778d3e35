import { issueEventCertificate, type EventCertificate } from '../../core/pki/issue-event-certificate'
import type { CertificateIssuer } from '../../core/pki/issue-certificate'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import type { EventCertificateRequest } from './deps'
import { recordCertificate } from './records'

/**
 * Issue an event certificate (事件证书) and record it in the certificate registry before anyone can
 * sign with it, so the OCSP responder answers `good` for it (never `unknown`) and it can be revoked.
 * The one way the platform CA issues event certificates: the server's `PkiServices` (app signing,
 * authorisation letters) and `esign sign` both come here.
 *
 * @example
 * const { signer } = await issueRecordedEventCertificate({ metadata, clock }, { issuing: ca.issuing, baseUrl: ca.baseUrl }, { name: '张三' })
 */
export async function issueRecordedEventCertificate(
  deps: { metadata: MetadataStore; clock: Clock },
  ca: { issuing: CertificateIssuer; baseUrl: string },
  request: EventCertificateRequest,
): Promise<EventCertificate> {
  const now = deps.clock.now()
  const issued = await issueEventCertificate({
    name: request.name,
    organization: request.organization,
    contractId: request.contractId,
    intentHash: request.intentHash,
    subjectSerialNumber: request.subjectSerialNumber,
    singleUse: request.singleUse,
    validityMs: request.validityMs,
    issuer: ca.issuing,
    baseUrl: ca.baseUrl,
    now,
  })
  await recordCertificate(deps.metadata, { certificateDer: issued.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: now })
  return issued
}

/** How long a {@link dailyCertificates} certificate is valid: two days, so one issued late in a day outlives it. */
export const DAILY_CERTIFICATE_VALIDITY_MS = 2 * 86_400_000

/**
 * `PkiServices.dailyCertificate`: per name and organisation, one recorded certificate per UTC day of
 * `deps.clock`, its key reusable (not single-use) and held only in memory. A failed issuance is not
 * kept (the next call tries again); a clock set back before the kept certificate was issued gets a new one.
 */
export function dailyCertificates(
  deps: { metadata: MetadataStore; clock: Clock },
  ca: { issuing: CertificateIssuer; baseUrl: string },
): (request: { name: string; organization?: string }) => Promise<EventCertificate> {
  const kept = new Map<string, { day: string; issuedAt: number; certificate: Promise<EventCertificate> }>()
  return (request) => {
    const now = deps.clock.now()
    const day = now.toISOString().slice(0, 10)
    const key = JSON.stringify([request.name, request.organization ?? null])
    const hit = kept.get(key)
    if (hit && hit.day === day && hit.issuedAt <= now.getTime()) return hit.certificate
    const certificate = issueRecordedEventCertificate(deps, ca, { ...request, singleUse: false, validityMs: DAILY_CERTIFICATE_VALIDITY_MS })
    const entry = { day, issuedAt: now.getTime(), certificate }
    kept.set(key, entry)
    certificate.catch(() => {
      if (kept.get(key) === entry) kept.delete(key)
    })
    return certificate
  }
}
