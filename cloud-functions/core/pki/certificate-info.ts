import { decodeDer, oidFromContent, type DerElement } from './jsrsasign-adapter'
import {
  contextTag,
  DerStructureError,
  expectTag,
  readBitStringBytes,
  readBoolean,
  readIntegerBytes,
  readOctets,
  readOid,
  readTime,
  TAG,
} from './der-values'
import { OID } from './oids'

/** One X.509 extension: its DER value (the OCTET STRING's content) and criticality. */
export type CertificateExtension = { critical: boolean; value: Uint8Array }

/** The fields of an X.509 certificate (RFC 5280 §4.1) the platform needs, as DER pieces. */
export type CertificateInfo = {
  der: Uint8Array
  tbsDer: Uint8Array
  /** INTEGER content bytes of the serial number (two's complement, minimal). */
  serialNumber: Uint8Array
  /** The issuer `Name`, as a complete DER TLV. */
  issuerDer: Uint8Array
  /** The subject `Name`, as a complete DER TLV. */
  subjectDer: Uint8Array
  notBefore: Date
  notAfter: Date
  subjectPublicKeyInfoDer: Uint8Array
  /** The `subjectPublicKey` BIT STRING's bytes (what OCSP's issuerKeyHash and RFC 5280 key ids hash). */
  subjectPublicKey: Uint8Array
  keyAlgorithm: 'RSA' | 'ECDSA'
  /** Largest signature value this key can produce, in bytes (RSA: modulus length; ECDSA: DER `Ecdsa-Sig-Value`). */
  maxSignatureSize: number
  /** The subjectKeyIdentifier extension's key id, when present. */
  subjectKeyIdentifier?: Uint8Array
  /** Extensions by dotted OID. */
  extensions: Map<string, CertificateExtension>
}

const cache = new WeakMap<Uint8Array, CertificateInfo>()

/**
 * The certificates parsed last, by their bytes (most recently used last), each parsed from a private
 * copy. The same certificate arrives again and again in arrays of its own (a signer's chain
 * as each call returns it, a certificate read from the registry or sent to a CPU worker): in
 * bench:flow ≈ 15 of a contract's parses on the event loop and ≈ 10 in the workers were of
 * certificates already parsed, ≈ 20–30 µs each (a hit here ≈ 4 µs).
 */
const byContent = new Map<string, CertificateInfo>()
const BY_CONTENT_KEPT = 256

/**
 * Parse a DER certificate. Meant for certificates the platform holds (its CA, signer and TSA
 * certificates); malformed input throws {@link DerStructureError}. Results are cached per array
 * and by content: the same bytes give the same (shared, read-only) {@link CertificateInfo}, whose
 * `der` and other pieces are views into a private copy of them.
 *
 * @example
 * const info = parseCertificate(certDer)
 * info.keyAlgorithm // 'ECDSA'
 */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  const cached = cache.get(der)
  if (cached) return cached
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1')
  let info = byContent.get(key)
  if (info) {
    byContent.delete(key)
  } else {
    info = parseFresh(new Uint8Array(der))
    if (byContent.size >= BY_CONTENT_KEPT) byContent.delete(byContent.keys().next().value as string)
  }
  byContent.set(key, info)
  cache.set(der, info)
  return info
}

function parseFresh(der: Uint8Array): CertificateInfo {
  const decoded = decodeDer(der)
  if (!decoded.ok) throw new DerStructureError(`certificate: ${decoded.error.message}`)
  const cert = expectTag(decoded.value, TAG.sequence, 'Certificate')
  const tbs = expectTag(cert.children[0], TAG.sequence, 'tbsCertificate')
  let i = 0
  if (tbs.children[0]?.tag === contextTag(0, true)) i++
  const serialNumber = readIntegerBytes(tbs.children[i++], 'serialNumber')
  expectTag(tbs.children[i++], TAG.sequence, 'signature')
  const issuer = expectTag(tbs.children[i++], TAG.sequence, 'issuer')
  const validity = expectTag(tbs.children[i++], TAG.sequence, 'validity')
  const subject = expectTag(tbs.children[i++], TAG.sequence, 'subject')
  const spki = expectTag(tbs.children[i++], TAG.sequence, 'subjectPublicKeyInfo')
  const extensions = new Map<string, CertificateExtension>()
  for (; i < tbs.children.length; i++) {
    const c = tbs.children[i]
    if (c.tag !== contextTag(3, true)) continue
    for (const ext of expectTag(c.children[0], TAG.sequence, 'extensions').children) {
      const oid = readOid(ext.children[0], 'extnID')
      const critical = ext.children.length === 3 ? readBoolean(ext.children[1], 'critical') : false
      extensions.set(oid, { critical, value: readOctets(ext.children[ext.children.length - 1], 'extnValue') })
    }
  }
  const { keyAlgorithm, maxSignatureSize, subjectPublicKey } = describeKey(spki)
  const skiExt = extensions.get(OID.subjectKeyIdentifier)
  let subjectKeyIdentifier: Uint8Array | undefined
  if (skiExt) {
    const skiDecoded = decodeDer(skiExt.value)
    if (skiDecoded.ok) subjectKeyIdentifier = readOctets(skiDecoded.value, 'subjectKeyIdentifier')
  }
  const info: CertificateInfo = {
    der,
    tbsDer: tbs.der,
    serialNumber,
    issuerDer: issuer.der,
    subjectDer: subject.der,
    notBefore: readTime(validity.children[0], 'notBefore'),
    notAfter: readTime(validity.children[1], 'notAfter'),
    subjectPublicKeyInfoDer: spki.der,
    subjectPublicKey,
    keyAlgorithm,
    maxSignatureSize,
    subjectKeyIdentifier,
    extensions,
  }
  return info
}

function describeKey(spki: DerElement): Pick<CertificateInfo, 'keyAlgorithm' | 'maxSignatureSize' | 'subjectPublicKey'> {
  const algorithm = expectTag(spki.children[0], TAG.sequence, 'algorithm')
  const algOid = readOid(algorithm.children[0], 'algorithm')
  const subjectPublicKey = readBitStringBytes(spki.children[1], 'subjectPublicKey')
  if (algOid === OID.rsaEncryption) {
    const key = decodeDer(subjectPublicKey)
    if (!key.ok) throw new DerStructureError('RSAPublicKey: ' + key.error.message)
    const modulus = readIntegerBytes(expectTag(key.value, TAG.sequence, 'RSAPublicKey').children[0], 'modulus')
    const modulusBytes = modulus[0] === 0 ? modulus.length - 1 : modulus.length
    return { keyAlgorithm: 'RSA', maxSignatureSize: modulusBytes, subjectPublicKey }
  }
  if (algOid === OID.ecPublicKey) {
    // Uncompressed point 04 || X || Y: the field (and, for the NIST curves, the order) is (len-1)/2 bytes.
    const orderBytes = (subjectPublicKey.length - 1) / 2
    return { keyAlgorithm: 'ECDSA', maxSignatureSize: maxEcdsaSignatureSize(orderBytes), subjectPublicKey }
  }
  throw new DerStructureError(`unsupported public key algorithm ${algOid}`)
}

/** DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` at its longest (both with a 0x00 pad). */
export function maxEcdsaSignatureSize(orderBytes: number): number {
  const integer = 1 + derLengthSize(orderBytes + 1) + orderBytes + 1
  return 1 + derLengthSize(2 * integer) + 2 * integer
}

const derLengthSize = (n: number): number => (n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4)

/**
 * Throws unless `certificateDer` certifies the public key `publicKeyDer` (DER SubjectPublicKeyInfo):
 * a key vault checks this before a Signer reports a chain that does not belong to its key.
 */
export function assertCertifiesKey(certificateDer: Uint8Array, publicKeyDer: Uint8Array, keyName: string): void {
  if (!Buffer.from(parseCertificate(certificateDer).subjectPublicKeyInfoDer).equals(publicKeyDer)) {
    throw new Error(`the certificate does not certify key ${keyName}`)
  }
}

/** The attributes of a distinguished name the platform writes (see `distinguishedNameAsn1`). */
export type NameAttributes = { commonName?: string; organization?: string; serialNumber?: string; country?: string }

/**
 * CN, O, serialNumber and C of a DER `Name` (the first value of each; UTF8String and
 * PrintableString values). Malformed input gives `{}`.
 *
 * @example
 * nameAttributes(parseCertificate(der).subjectDer).commonName // '张三'
 */
export function nameAttributes(nameDer: Uint8Array): NameAttributes {
  const decoded = decodeDer(nameDer)
  const out: NameAttributes = {}
  if (!decoded.ok) return out
  const fields: Record<string, keyof NameAttributes> = {
    [OID.commonName]: 'commonName',
    [OID.organizationName]: 'organization',
    [OID.serialNumber]: 'serialNumber',
    [OID.countryName]: 'country',
  }
  for (const rdn of decoded.value.children) {
    for (const attribute of rdn.children) {
      const [type, value] = attribute.children
      if (type?.tag !== TAG.oid || !value) continue
      const field = fields[oidFromContent(type.content)]
      if (field && out[field] === undefined) out[field] = Buffer.from(value.content).toString('utf8')
    }
  }
  return out
}
