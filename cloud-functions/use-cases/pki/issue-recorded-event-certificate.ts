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
    issuer: ca.issuing,
    baseUrl: ca.baseUrl,
    now,
  })
  await recordCertificate(deps.metadata, { certificateDer: issued.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: now })
  return issued
}
