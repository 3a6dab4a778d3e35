import { BerError, bytesEqual, content, decodeBer, encoding, expect, isContext, items, octets, oid, type BerNode, UNIVERSAL } from './ber'
import { algorithmOid, unsignedInteger } from './algorithms'

/** CMS and PAdES object identifiers the validator reads. */
export const CMS_OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  certificateValues: '1.2.840.113549.1.9.16.2.23',
  revocationValues: '1.2.840.113549.1.9.16.2.24',
  adobeRevocationInfoArchival: '1.2.840.113583.1.1.8',
  otherRevInfoOcsp: '1.3.6.1.5.5.7.16.2',
} as const

/** The signer identifier: issuer and serial number, or subject key identifier. */
export type SignerIdentifier = { issuerDer: Uint8Array; serialNumber: Uint8Array } | { subjectKeyIdentifier: Uint8Array }

export type SignerInfo = {
  sid: SignerIdentifier
  digestAlgorithm: string
  /** DER of the signed attributes as a SET (tag 0x31): what the signature covers. Absent without signed attributes. */
  signedAttributesDer?: Uint8Array
  /** Signed attribute values by OID (all values of every occurrence). */
  signedAttributes: Map<string, BerNode[]>
  /** How many times each signed attribute type occurs (RFC 5652: at most once for the ones we check). */
  signedAttributeCounts: Map<string, number>
  signatureAlgorithm: BerNode
  signature: Uint8Array
  unsignedAttributes: Map<string, BerNode[]>
}

/** A CMS `SignedData` (RFC 5652 §5) as the validator needs it. */
export type SignedData = {
  digestAlgorithms: string[]
  eContentType: string
  /** Encapsulated content (time-stamp tokens, `adbe.pkcs7.sha1`); absent when detached. */
  eContent?: Uint8Array
  certificates: Uint8Array[]
  crls: Uint8Array[]
  /** OCSP responses carried as `RevocationInfoChoice` other format id-ri-ocsp-response (RFC 5940). */
  ocspResponses: Uint8Array[]
  signerInfos: SignerInfo[]
  /** Bytes after the DER value in the buffer (the zero padding of `/Contents`). */
  trailing: Uint8Array
}

/**
 * Parses a `ContentInfo` holding `SignedData`. BER is accepted (NSS writes indefinite lengths);
 * trailing bytes are returned for the caller to judge (only zero padding is acceptable in `/Contents`).
 *
 * @throws BerError for anything that is not a SignedData.
 */
export function parseSignedData(bytes: Uint8Array): SignedData {
  const ci = decodeBer(bytes, 0, false)
  const trailing = bytes.subarray(ci.end)
  const [ct, wrapped] = items(ci, 'ContentInfo')
  if (oid(ct, 'contentType') !== CMS_OID.signedData) throw new BerError('the ContentInfo is not SignedData')
  if (!isContext(wrapped, 0) || !wrapped.children[0]) throw new BerError('SignedData content missing')
  const sd = items(wrapped.children[0], 'SignedData')
  let i = 1 // version
  const digestAlgorithms = items(sd[i++], 'digestAlgorithms', UNIVERSAL.set).map((a) => algorithmOid(a, 'digestAlgorithm'))
  const encap = items(sd[i++], 'encapContentInfo')
  const eContentType = oid(encap[0], 'eContentType')
  let eContent: Uint8Array | undefined
  if (encap[1]) {
    if (!isContext(encap[1], 0) || !encap[1].children[0]) throw new BerError('eContent must be [0] EXPLICIT')
    eContent = octets(encap[1].children[0], 'eContent')
  }
  const certificates: Uint8Array[] = []
  const crls: Uint8Array[] = []
  const ocspResponses: Uint8Array[] = []
  if (isContext(sd[i], 0)) {
    for (const c of sd[i].children) if (c.tag === UNIVERSAL.sequence) certificates.push(encoding(c))
    i++
  }
  if (isContext(sd[i], 1)) {
    for (const c of sd[i].children) {
      if (c.tag === UNIVERSAL.sequence) crls.push(encoding(c))
      else if (isContext(c, 1) && c.children.length >= 2 && oid(c.children[0], 'otherRevInfoFormat') === CMS_OID.otherRevInfoOcsp) {
        ocspResponses.push(encoding(c.children[1]))
      }
    }
    i++
  }
  const signerInfos = items(sd[i], 'signerInfos', UNIVERSAL.set).map(parseSignerInfo)
  return { digestAlgorithms, eContentType, eContent, certificates, crls, ocspResponses, signerInfos, trailing }
}

function parseSignerInfo(node: BerNode): SignerInfo {
  const f = items(node, 'SignerInfo')
  let i = 1 // version
  const sidNode = f[i++]
  let sid: SignerIdentifier
  if (sidNode?.tag === UNIVERSAL.sequence) {
    sid = { issuerDer: encoding(expect(sidNode.children[0], UNIVERSAL.sequence, 'issuer')), serialNumber: unsignedInteger(sidNode.children[1], 'serialNumber') }
  } else if (isContext(sidNode, 0)) {
    sid = { subjectKeyIdentifier: content(sidNode) }
  } else throw new BerError('SignerInfo: bad sid')
  const digestAlgorithm = algorithmOid(expect(f[i++], UNIVERSAL.sequence, 'digestAlgorithm'), 'digestAlgorithm')
  let signedAttributesDer: Uint8Array | undefined
  const signedAttributes = new Map<string, BerNode[]>()
  const signedAttributeCounts = new Map<string, number>()
  if (isContext(f[i], 0)) {
    const sa = f[i++]
    if (sa.indefinite) throw new BerError('signed attributes are not DER-encoded')
    // RFC 5652 §5.4: the signature covers the DER SET OF, not the [0] IMPLICIT tag.
    const der = new Uint8Array(encoding(sa))
    der[0] = 0x31
    signedAttributesDer = der
    readAttributes(sa, signedAttributes, signedAttributeCounts)
  }
  const signatureAlgorithm = expect(f[i++], UNIVERSAL.sequence, 'signatureAlgorithm')
  const signature = octets(expect(f[i++], UNIVERSAL.octetString, 'signature'), 'signature')
  const unsignedAttributes = new Map<string, BerNode[]>()
  if (isContext(f[i], 1)) readAttributes(f[i++], unsignedAttributes, new Map())
  return { sid, digestAlgorithm, signedAttributesDer, signedAttributes, signedAttributeCounts, signatureAlgorithm, signature, unsignedAttributes }
}

function readAttributes(set: BerNode, into: Map<string, BerNode[]>, counts: Map<string, number>): void {
  for (const a of set.children) {
    const [type, values] = items(a, 'Attribute')
    const id = oid(type, 'attrType')
    counts.set(id, (counts.get(id) ?? 0) + 1)
    into.set(id, [...(into.get(id) ?? []), ...items(values, 'attrValues', UNIVERSAL.set)])
  }
}

/** Whether `cert` (issuer DER, serial, SKI) is the one `sid` names. */
export function matchesSignerIdentifier(sid: SignerIdentifier, cert: { issuerDer: Uint8Array; serialNumber: Uint8Array; subjectKeyIdentifier(): Uint8Array | undefined }): boolean {
  if ('subjectKeyIdentifier' in sid) {
    const ski = cert.subjectKeyIdentifier()
    return ski !== undefined && bytesEqual(ski, sid.subjectKeyIdentifier)
  }
  return bytesEqual(sid.issuerDer, cert.issuerDer) && bytesEqual(sid.serialNumber, cert.serialNumber)
}
