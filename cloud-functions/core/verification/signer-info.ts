import { createHash } from 'node:crypto'
import type { VerificationProblem } from './report'
import { bytesEqual, content, encoding, expect, isContext, items, oid, UNIVERSAL, type BerNode } from './ber'
import { algorithmOid, digestLabel, digestNodeName, unsignedInteger, verifySignature } from './algorithms'
import { Certificate } from './certificate'
import type { ValidationContext } from './chain'
import { CMS_OID, matchesSignerIdentifier, type SignedData, type SignerInfo } from './cms'

export type SignerInfoCheck = {
  signer: Certificate | undefined
  /** messageDigest equals the digest of the content (or, without signed attributes, the signature covers it). */
  digestMatches: boolean
  signatureValid: boolean
  /** ESS signing-certificate(-v2) names the signer certificate (true when absent and not required). */
  bindingOk: boolean
  bindingPresent: boolean
  digestAlgorithm: string
  signatureAlgorithm: string
  weak: boolean
  problems: VerificationProblem[]
}

/**
 * Checks one SignerInfo (RFC 5652 §5.4, §5.6): finds the signer certificate by its identifier,
 * compares the message-digest attribute with `contentDigest(digestOid)`, checks the content-type
 * attribute, verifies the signature over the DER signed attributes with Node crypto, and checks
 * the ESS signing-certificate-v2 (or v1) binding (RFC 5035) — required when `requireBinding`.
 * Certificates of `sd` are added to the context's pool.
 */
export function checkSignerInfo(
  sd: SignedData,
  si: SignerInfo,
  contentDigest: (digestOid: string) => Uint8Array | undefined,
  ctx: ValidationContext,
  requireBinding: boolean,
  /** The signed content itself, for a SignerInfo without signed attributes (the signature is then over it). */
  signedContent?: () => Uint8Array,
): SignerInfoCheck {
  const problems: VerificationProblem[] = []
  const certs = sd.certificates.map((d) => ctx.pool.add(d)).filter((c): c is Certificate => c !== undefined)
  const signer = certs.find((c) => matchesSignerIdentifier(si.sid, c)) ?? ctx.pool.all().find((c) => matchesSignerIdentifier(si.sid, c))
  const digestName = digestNodeName(si.digestAlgorithm)
  const out: SignerInfoCheck = {
    signer,
    digestMatches: false,
    signatureValid: false,
    bindingOk: false,
    bindingPresent: false,
    digestAlgorithm: digestLabel(si.digestAlgorithm),
    signatureAlgorithm: 'unknown',
    weak: false,
    problems,
  }
  if (!digestName) {
    problems.push({ code: 'UNSUPPORTED_ALGORITHM', message: `unsupported digest algorithm ${si.digestAlgorithm}` })
    return out
  }
  const digest = contentDigest(si.digestAlgorithm)
  let signedData: Uint8Array
  if (si.signedAttributesDer) {
    for (const [type, count] of si.signedAttributeCounts) {
      if (count > 1 && (type === CMS_OID.messageDigest || type === CMS_OID.contentType)) {
        problems.push({ code: 'CMS_INVALID', message: `the signed attribute ${type} occurs ${count} times` })
        return out
      }
    }
    const md = si.signedAttributes.get(CMS_OID.messageDigest)
    const ct = si.signedAttributes.get(CMS_OID.contentType)
    if (md?.length !== 1 || ct?.length !== 1) {
      problems.push({ code: 'CMS_INVALID', message: 'the signed attributes lack a single content-type and message-digest' })
      return out
    }
    try {
      if (oid(ct[0], 'contentType') !== sd.eContentType) problems.push({ code: 'CMS_INVALID', message: 'the content-type attribute does not match eContentType' })
      out.digestMatches = digest !== undefined && bytesEqual(content(expect(md[0], UNIVERSAL.octetString, 'messageDigest')), digest)
    } catch (e) {
      problems.push({ code: 'CMS_INVALID', message: `bad signed attribute (${(e as Error).message})` })
      return out
    }
    if (!out.digestMatches) problems.push({ code: 'DIGEST_MISMATCH', message: `the document digest (${out.digestAlgorithm}) does not match the signed message-digest` })
    signedData = si.signedAttributesDer
  } else {
    // No signed attributes (RFC 5652 §5.4; older adbe.pkcs7.detached producers): the signature is over
    // the content itself, so a wrong digest and a wrong signature look the same.
    if (!signedContent) {
      problems.push({ code: 'CMS_INVALID', message: 'the SignerInfo has no signed attributes' })
      return out
    }
    signedData = signedContent()
  }
  if (!signer) {
    problems.push({ code: 'SIGNER_CERTIFICATE_MISSING', message: 'the signer certificate is not in the CMS' })
    return out
  }
  if (!signer.publicKey) {
    problems.push({ code: 'UNSUPPORTED_ALGORITHM', message: `the signer key type cannot be read` })
    return out
  }
  const check = verifySignature(si.signatureAlgorithm, signedData, si.signature, signer.publicKey, si.digestAlgorithm)
  out.signatureAlgorithm = check.algorithm
  out.signatureValid = check.ok
  if (!si.signedAttributesDer) {
    out.digestMatches = check.ok
    if (!check.ok) problems.push({ code: 'DIGEST_MISMATCH', message: 'the signature (without signed attributes) does not match the document' })
  }
  out.weak = check.weak || (digestName === 'sha1')
  if (!check.ok && si.signedAttributesDer) problems.push({ code: check.error?.startsWith('unsupported') ? 'UNSUPPORTED_ALGORITHM' : 'SIGNATURE_INVALID', message: `the CMS signature does not verify with the signer certificate${check.error ? ` (${check.error})` : ''}` })
  // ESS signing certificate binding.
  const v2 = si.signedAttributes.get(CMS_OID.signingCertificateV2)
  const v1 = si.signedAttributes.get(CMS_OID.signingCertificate)
  if (v2 || v1) {
    out.bindingPresent = true
    try {
      out.bindingOk = v2 ? essMatches(v2[0], signer, true) : essMatches((v1 as NonNullable<typeof v1>)[0], signer, false)
    } catch {
      out.bindingOk = false
    }
    if (!out.bindingOk) problems.push({ code: 'SIGNING_CERTIFICATE_MISMATCH', message: 'the ESS signing-certificate attribute does not name the signer certificate' })
  } else {
    out.bindingOk = !requireBinding
    if (requireBinding) problems.push({ code: 'SIGNING_CERTIFICATE_ATTRIBUTE_MISSING', message: 'the signing-certificate-v2 attribute is missing' })
  }
  return out
}

/** `SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 }` (or v1 with SHA-1): the first ESSCertID must name `cert`. */
function essMatches(value: BerNode, cert: Certificate, v2: boolean): boolean {
  const certsSeq = items(items(value, 'SigningCertificate')[0], 'certs')
  const first = items(certsSeq[0], 'ESSCertID')
  let i = 0
  let hashOid = '1.3.14.3.2.26'
  if (v2) {
    hashOid = '2.16.840.1.101.3.4.2.1'
    if (first[0]?.tag === UNIVERSAL.sequence) hashOid = algorithmOid(first[i++], 'hashAlgorithm')
  }
  const name = digestNodeName(hashOid)
  if (!name) return false
  const certHash = content(expect(first[i++], UNIVERSAL.octetString, 'certHash'))
  if (!bytesEqual(certHash, createHash(name).update(cert.der).digest())) return false
  const issuerSerial = first[i]
  if (issuerSerial) {
    const [generalNames, serial] = items(issuerSerial, 'IssuerSerial')
    const dirName = generalNames.children.find((g) => isContext(g, 4))
    if (dirName && !bytesEqual(encoding(dirName.children[0]), cert.issuerDer)) return false
    if (!bytesEqual(unsignedInteger(serial, 'serialNumber'), cert.serialNumber)) return false
  }
  return true
}

