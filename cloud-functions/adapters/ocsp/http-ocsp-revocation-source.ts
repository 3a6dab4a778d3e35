import { createHash } from 'node:crypto'
import { encodeDer } from '../../core/pki/jsrsasign-adapter'
import { Certificate } from '../../core/verification/certificate'
import type { RevocationSource } from '../../ports/revocation-source'

export type HttpOcspRevocationSourceOptions = {
  /** The platform's OCSP responder (`<public base URL>/api/pki/ocsp`). Only this URL is ever contacted. */
  responderUrl: string
  /** Per request; default 2 s. */
  timeoutMs?: number
  /** Largest response accepted; default 64 KiB. */
  maxResponseBytes?: number
  fetch?: typeof fetch
}

/**
 * Asks the platform's own OCSP responder (RFC 6960 over HTTP POST, `application/ocsp-request`)
 * about one certificate. It never follows URLs found in a document's certificates: an uploaded PDF
 * must not make the server call arbitrary hosts. Failures (timeout, HTTP error, not an OCSP
 * response) are `undefined`, which the verifier reports as unknown status.
 *
 * @example
 * const revocation = new HttpOcspRevocationSource({ responderUrl: `${config.publicBaseUrl}/api/pki/ocsp` })
 */
export class HttpOcspRevocationSource implements RevocationSource {
  private readonly fetchImpl: typeof fetch

  constructor(private readonly options: HttpOcspRevocationSourceOptions) {
    this.fetchImpl = options.fetch ?? fetch
  }

  async ocsp(certificate: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | undefined> {
    const request = ocspRequest(certificate, issuer)
    if (!request) return undefined
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 2000)
    try {
      const res = await this.fetchImpl(this.options.responderUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body: request,
        signal: controller.signal,
      })
      if (res.status !== 200) return undefined
      const body = new Uint8Array(await res.arrayBuffer())
      if (body.length === 0 || body.length > (this.options.maxResponseBytes ?? 64 * 1024)) return undefined
      return body
    } catch {
      return undefined
    } finally {
      clearTimeout(timer)
    }
  }
}

/** A DER `OCSPRequest` for one certificate, CertID hashed with SHA-1 (what responders accept most widely). */
export function ocspRequest(certificateDer: Uint8Array, issuerDer: Uint8Array): Uint8Array | undefined {
  const cert = Certificate.tryParse(certificateDer)
  const issuer = Certificate.tryParse(issuerDer)
  if (!cert || !issuer) return undefined
  const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest())
  const certId = {
    seq: [
      { seq: [{ oid: '1.3.14.3.2.26' }, { null: true as const }] },
      { octets: sha1(issuer.subjectDer) },
      { octets: sha1(issuer.subjectPublicKeyBits) },
      { uint: cert.serialNumber },
    ],
  }
  return encodeDer({ seq: [{ seq: [{ seq: [{ seq: [certId] }] }] }] })
}
