import { Certificate } from '../../core/verification/certificate'
import type { RevocationSource } from '../../ports/revocation-source'
import { ocspRequest } from './http-ocsp-revocation-source'

/**
 * The platform's own OCSP responder, in process: builds the OCSP request and hands it to `answer`
 * (the `answerOcspRequest` use case over the certificate registry), so the server never calls itself
 * over HTTP. Only certificates issued by `issuingCertificateDer` are asked about; anything else, and
 * any failure, is `undefined` (status unknown).
 *
 * @example
 * const revocation = new PlatformOcspRevocationSource(ca.issuingCertificateDer, (req) => answerOcspRequest({ ...deps, ca }, req))
 */
export class PlatformOcspRevocationSource implements RevocationSource {
  private readonly issuing: Certificate | undefined

  constructor(
    issuingCertificateDer: Uint8Array,
    private readonly answer: (requestDer: Uint8Array) => Promise<Uint8Array>,
  ) {
    this.issuing = Certificate.tryParse(issuingCertificateDer)
  }

  async ocsp(certificate: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | undefined> {
    const issuerCert = Certificate.tryParse(issuer)
    if (!this.issuing || !issuerCert || issuerCert.sha256 !== this.issuing.sha256) return undefined
    const request = ocspRequest(certificate, issuer)
    if (!request) return undefined
    try {
      return await this.answer(request)
    } catch {
      return undefined
    }
  }
}
