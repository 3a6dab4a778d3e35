import { buildOcspResponse } from '../../core/pki/build-ocsp-response'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import type { PlatformCa } from '../../ports/platform-ca'
import { certificateStatus } from './records'

/** How long an OCSP answer may be relied on (nextUpdate − thisUpdate). */
export const OCSP_VALIDITY_MS = 60 * 60 * 1000

/**
 * Answer a DER OCSPRequest (RFC 6960) for certificates of the issuing CA, from the certificate
 * registry: `good`, `revoked` (time, reason) or `unknown` (a serial the CA never issued, or another
 * issuer); signed by the delegated OCSP responder. A malformed request is answered
 * `malformedRequest`. Reads only; nothing is stored.
 *
 * @example
 * const responseDer = await answerOcspRequest(deps, requestDer) // application/ocsp-response
 */
export function answerOcspRequest(deps: { metadata: MetadataStore; clock: Clock; ca: PlatformCa }, requestDer: Uint8Array): Promise<Uint8Array> {
  return buildOcspResponse({
    requestDer,
    responder: deps.ca.ocspResponder,
    issuers: [deps.ca.issuingCertificateDer],
    lookup: (serialNumber) => certificateStatus(deps.metadata, serialNumber, 'issuing'),
    now: deps.clock.now(),
    validityMs: OCSP_VALIDITY_MS,
  })
}
