import { buildOcspRequest } from '../../core/pki/build-ocsp-request'
import { parseCertificate } from '../../core/pki/certificate-info'
import type { ValidationData } from '../../core/signing/add-ltv'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import type { PlatformCa } from '../../ports/platform-ca'
import { answerOcspRequest } from './answer-ocsp-request'
import { getCertificateRecord, serialHex } from './records'
import { refreshCrl } from './refresh-crl'

/**
 * The validation data the DSS of a completed document needs, from the platform's own trust
 * services: the CA certificates (root, issuing CA, TSA, OCSP responder), the current CRLs of the
 * issuing CA and the root (which cover every signer certificate, the issuing CA and the TSA), and a
 * fresh OCSP response for each certificate the issuing CA issued and the registry knows. Certificates
 * of other CAs get no revocation data from here (the DSS still carries them).
 *
 * @example
 * const sealed = await addLtv(pdf, { validationData: (certs) => collectValidationData(deps, certs), timestampDigest })
 */
export async function collectValidationData(deps: { metadata: MetadataStore; clock: Clock; ca: PlatformCa }, certificates: Uint8Array[]): Promise<ValidationData> {
  const { ca } = deps
  const [issuingCrl, rootCrl] = [await refreshCrl(deps, 'issuing'), await refreshCrl(deps, 'root')]
  const issuing = parseCertificate(ca.issuingCertificateDer)
  const ocspResponses: Uint8Array[] = []
  for (const der of certificates) {
    const info = parseCertificate(der)
    if (!Buffer.from(info.issuerDer).equals(Buffer.from(issuing.subjectDer))) continue
    const record = await getCertificateRecord(deps.metadata, serialHex(info.serialNumber))
    if (!record || record.issuer !== 'issuing' || record.kind === 'ocsp') continue
    ocspResponses.push(await answerOcspRequest(deps, buildOcspRequest(der, ca.issuingCertificateDer)))
  }
  return {
    certificates: [ca.rootCertificateDer, ca.issuingCertificateDer, ca.tsaCertificateDer, ca.ocspCertificateDer],
    ocspResponses,
    crls: [issuingCrl.der, rootCrl.der],
  }
}
