import { createHash } from 'node:crypto'
import { parseCertificate } from './certificate-info'
import { encodeDer } from './jsrsasign-adapter'
import { OID } from './oids'

/**
 * A DER OCSPRequest (RFC 6960 §4.1) for one certificate, as `openssl ocsp -no_nonce` sends it:
 * CertID with SHA-1 hashes of the issuer's name and key (what every responder accepts), no nonce.
 *
 * @example
 * const response = await answerOcspRequest(deps, buildOcspRequest(signerCertificateDer, issuingCaDer))
 */
export function buildOcspRequest(certificateDer: Uint8Array, issuerCertificateDer: Uint8Array): Uint8Array {
  const issuer = parseCertificate(issuerCertificateDer)
  const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest())
  const certId = {
    seq: [
      { seq: [{ oid: OID.sha1 }, { null: true as const }] },
      { octets: sha1(issuer.subjectDer) },
      { octets: sha1(issuer.subjectPublicKey) },
      { intBytes: parseCertificate(certificateDer).serialNumber },
    ],
  }
  return encodeDer({ seq: [{ seq: [{ seq: [{ seq: [certId] }] }] }] })
}
