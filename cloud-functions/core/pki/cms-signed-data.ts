import { createHash, verify, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { Signer } from '../../ports/signer'
import { SHA256_ALGORITHM, signatureAlgorithm } from './algorithms'
import { parseCertificate } from './certificate-info'
import { attribute, signingCertificateV2Attribute } from './ess-signing-certificate'
import { encodeDer, type Asn1 } from './jsrsasign-adapter'
import { OID } from './oids'
import { signSha256 } from './sign-sha256'
import { importPublicKey } from '../shared/import-public-key'

/** What a CMS SignedData with one SignerInfo signs (RFC 5652 §5). */
export type CmsSignInput = {
  signer: Signer
  /** The signer's certificate: identified by the SignerInfo's sid and the signing-certificate-v2 attribute. */
  signerCertificate: Uint8Array
  /** The `certificates` field (usually the signer's chain); empty = field omitted. */
  certificates: Uint8Array[]
  /** eContentType: `OID.data` for a PAdES signature, `OID.tstInfo` for a time-stamp token. */
  contentType: string
  /** SHA-256 of the content (the `message-digest` attribute). */
  contentDigest: Uint8Array
  /** The content to encapsulate (`eContent`); absent = detached. */
  encapsulatedContent?: Uint8Array
  /** Unsigned attributes computed from the signature value (e.g. the signature time-stamp). */
  unsignedAttributes?: (signatureValue: Uint8Array) => Promise<Asn1[]>
}

/** The pieces of a SignerInfo once signed, before assembly. */
export type CmsSignatureParts = {
  signerCertificate: Uint8Array
  certificates: Uint8Array[]
  contentType: string
  encapsulatedContent?: Uint8Array
  keyAlgorithm: Signer['keyAlgorithm']
  /** DER SET OF signed attributes (what the signature covers). */
  signedAttributesDer: Uint8Array
  signatureValue: Uint8Array
  unsignedAttributes: Asn1[]
}

/** Public keys of the signer certificates seen last (the platform's TSA and OCSP certificates sign again and again), by the certificate's SHA-256. */
const publicKeys = new Map<string, KeyObject>()
const PUBLIC_KEYS_KEPT = 256

function certificatePublicKey(certificate: Uint8Array): KeyObject {
  const id = createHash('sha256').update(certificate).digest('hex')
  let key = publicKeys.get(id)
  if (!key) {
    key = importPublicKey(parseCertificate(certificate).subjectPublicKeyInfoDer)
    if (publicKeys.size >= PUBLIC_KEYS_KEPT) publicKeys.clear()
    publicKeys.set(id, key)
  }
  return key
}

/**
 * Sign and assemble a CMS SignedData ContentInfo with one SignerInfo (RFC 5652): SHA-256, signed
 * attributes content-type, message-digest and ESS signing-certificate-v2 (no signing-time — PAdES
 * forbids it, RFC 3161 does not need it), signature by `signer` over SHA-256 of the DER signed
 * attributes (`signSha256`). The signature is checked against the signer certificate's public key with Node crypto
 * before anything is returned, so a Signer whose key does not match its certificate fails here
 * (throws) instead of producing an invalid signature — unless the signer's key was checked against
 * this very certificate when it was made and it signs with Node's `crypto.sign`
 * (`Signer.keyMatchesChain`), whose signatures cannot fail that check.
 *
 * @example
 * const der = await signCmsSignedData({ signer, signerCertificate: chain[0], certificates: chain, contentType: OID.data, contentDigest })
 */
export async function signCmsSignedData(input: CmsSignInput): Promise<Uint8Array> {
  if (input.contentDigest.length !== 32) throw new Error('contentDigest must be a SHA-256 digest (32 bytes)')
  const signerCertificate = input.signerCertificate
  const signedAttributesDer = encodeDer({
    set: [
      attribute(OID.contentType, { oid: input.contentType }),
      attribute(OID.messageDigest, { octets: input.contentDigest }),
      signingCertificateV2Attribute(signerCertificate),
    ],
  })
  const signatureValue = await signSha256(input.signer, signedAttributesDer)
  if (!(await signsFor(input.signer, signerCertificate)) && !(await verifyOffThread('sha256', signedAttributesDer, certificatePublicKey(signerCertificate), signatureValue))) {
    throw new Error('the signer produced a signature that does not verify with its certificate (wrong key or algorithm)')
  }
  const unsignedAttributes = input.unsignedAttributes ? await input.unsignedAttributes(signatureValue) : []
  return assembleSignedData({
    signerCertificate,
    certificates: input.certificates,
    contentType: input.contentType,
    encapsulatedContent: input.encapsulatedContent,
    keyAlgorithm: input.signer.keyAlgorithm,
    signedAttributesDer,
    signatureValue,
    unsignedAttributes,
  })
}

/**
 * Whether `signer`'s signatures through `signSha256` are known to verify with `certificate`: a signer
 * whose key was checked against its first certificate and that signs data with Node's `crypto.sign`
 * (`Signer.keyMatchesChain`), for that certificate. The check after signing is skipped only then —
 * a P-256 verification costs about twice the signature (the platform TSA's and the event
 * certificates' keys, several times per contract).
 */
async function signsFor(signer: Signer, certificate: Uint8Array): Promise<boolean> {
  if (signer.keyMatchesChain !== true || typeof signer.signData !== 'function') return false
  const first = (await signer.certificateChain())[0]
  return first !== undefined && Buffer.from(first.buffer, first.byteOffset, first.byteLength).equals(certificate)
}

/**
 * `crypto.verify` in its callback form, which runs the check on libuv's thread pool instead of the
 * calling thread (on the server, the event loop: its time limits the contracts signed a second).
 */
const verifyOffThread = promisify(verify)

/**
 * Assemble `ContentInfo { id-signedData, SignedData }` from signed parts (no key operation).
 * Also used with placeholder values to compute size bounds.
 */
export function assembleSignedData(p: CmsSignatureParts): Uint8Array {
  const signer = parseCertificate(p.signerCertificate)
  const signerInfo: Asn1[] = [
    { int: 1 }, // version 1: sid is issuerAndSerialNumber
    { seq: [{ der: signer.issuerDer }, { intBytes: signer.serialNumber }] },
    SHA256_ALGORITHM,
    { implicit: 0, node: { der: p.signedAttributesDer } },
    signatureAlgorithm(p.keyAlgorithm),
    { octets: p.signatureValue },
  ]
  if (p.unsignedAttributes.length > 0) signerInfo.push({ implicit: 1, node: { set: p.unsignedAttributes } })
  const encapContentInfo: Asn1[] = [{ oid: p.contentType }]
  if (p.encapsulatedContent) encapContentInfo.push({ explicit: 0, node: { octets: p.encapsulatedContent } })
  const signedData: Asn1[] = [
    // RFC 5652 §5.1: version 3 when eContentType is not id-data, else 1.
    { int: p.contentType === OID.data ? 1 : 3 },
    { set: [SHA256_ALGORITHM] },
    { seq: encapContentInfo },
  ]
  if (p.certificates.length > 0) signedData.push({ implicit: 0, node: { set: p.certificates.map((der) => ({ der })) } })
  signedData.push({ set: [{ seq: signerInfo }] })
  return encodeDer({ seq: [{ oid: OID.signedData }, { explicit: 0, node: { seq: signedData } }] })
}
