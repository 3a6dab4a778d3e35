import { createHash } from 'node:crypto'
import type { Signer } from '../../ports/signer'
import { signatureAlgorithm } from './algorithms'
import { parseCertificate } from './certificate-info'
import { distinguishedNameAsn1, type CertificateTemplate } from './certificate-profile'
import { decodeDer, encodeDer, type Asn1 } from './jsrsasign-adapter'
import { OID } from './oids'
import { assertValidSerialNumber } from './serial-number'
import { signStructure } from './sign-structure'

/** A CA that can sign: its certificate and the {@link Signer} holding its key. */
export type CertificateIssuer = { certificateDer: Uint8Array; signer: Signer }

export type IssueCertificateInput = {
  template: CertificateTemplate
  /** The subject's public key as DER SubjectPublicKeyInfo (`KeyObject.export({ type: 'spki', format: 'der' })`). */
  subjectPublicKeyInfo: Uint8Array
  serialNumber: Uint8Array
  /** The issuing CA, or `{ selfSigned: signer }` for a root certificate signed by its own key. */
  issuer: CertificateIssuer | { selfSigned: Signer }
}

/**
 * Issue an X.509 v3 certificate (RFC 5280): build the TBSCertificate with jsrsasign's DER encoder,
 * sign SHA-256 of it through the issuer's {@link Signer} (Node crypto or KMS — never jsrsasign's
 * JavaScript crypto) and assemble the certificate.
 *
 * Added to the template's extensions: subjectKeyIdentifier (RFC 5280 §4.2.1.2 method 1, SHA-1 of the
 * subjectPublicKey bits) and authorityKeyIdentifier = the issuer's subjectKeyIdentifier (the same
 * value for a self-signed root), which is what `openssl verify` matches issuers by. The validity end
 * is clamped to the issuer's own notAfter, so no certificate outlives its CA.
 *
 * @example
 * const der = await issueCertificate({
 *   template: signerProfile({ name: '张三', now, baseUrl }),
 *   subjectPublicKeyInfo: publicKey.export({ type: 'spki', format: 'der' }),
 *   serialNumber: randomSerialNumber(),
 *   issuer: { certificateDer: issuingCaDer, signer: issuingCaSigner },
 * })
 */
export async function issueCertificate(input: IssueCertificateInput): Promise<Uint8Array> {
  return signStructure(buildTbsCertificate(input), 'selfSigned' in input.issuer ? input.issuer.selfSigned : input.issuer.signer)
}

/** The DER TBSCertificate `issueCertificate` signs (exposed for tests and external signing flows). */
export function buildTbsCertificate(input: IssueCertificateInput): Uint8Array {
  const { template } = input
  assertValidSerialNumber(input.serialNumber)
  const spki = decodeDer(input.subjectPublicKeyInfo)
  if (!spki.ok || spki.value.tag !== 0x30 || spki.value.children.length !== 2 || spki.value.children[1].tag !== 0x03) {
    throw new Error('subjectPublicKeyInfo is not a DER SubjectPublicKeyInfo')
  }
  const ski = new Uint8Array(createHash('sha1').update(spki.value.children[1].content.subarray(1)).digest())
  const subject = encodeDer(distinguishedNameAsn1(template.subject))
  let issuerName: Uint8Array
  let authorityKeyId: Uint8Array
  let notAfter = template.notAfter
  let signer: Signer
  if ('selfSigned' in input.issuer) {
    issuerName = subject
    authorityKeyId = ski
    signer = input.issuer.selfSigned
  } else {
    const issuer = parseCertificate(input.issuer.certificateDer)
    if (!issuer.subjectKeyIdentifier) throw new Error('the issuer certificate has no subjectKeyIdentifier')
    issuerName = issuer.subjectDer
    authorityKeyId = issuer.subjectKeyIdentifier
    if (notAfter > issuer.notAfter) notAfter = issuer.notAfter
    signer = input.issuer.signer
  }
  if (!(template.notBefore < notAfter)) throw new Error('notBefore must be before notAfter')
  const extensions: Asn1[] = [
    extension(OID.subjectKeyIdentifier, false, { octets: ski }),
    extension(OID.authorityKeyIdentifier, false, { seq: [{ implicit: 0, node: { octets: authorityKeyId } }] }),
    ...template.extensions.map((e) => extension(e.oid, e.critical, e.value)),
  ]
  return encodeDer({
    seq: [
      { explicit: 0, node: { int: 2 } },
      { uint: input.serialNumber },
      signatureAlgorithm(signer.keyAlgorithm),
      { der: issuerName },
      { seq: [{ time: template.notBefore }, { time: notAfter }] },
      { der: subject },
      { der: input.subjectPublicKeyInfo },
      { explicit: 3, node: { seq: extensions } },
    ],
  })
}

/** `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`. */
export function extension(oid: string, critical: boolean, value: Asn1): Asn1 {
  return { seq: [{ oid }, ...(critical ? [{ bool: true } as Asn1] : []), { octets: encodeDer(value) }] }
}
