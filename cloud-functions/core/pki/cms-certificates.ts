import { contextTag, DerStructureError, expectTag, readOid, TAG } from './der-values'
import { decodeDer, type DerElement } from './jsrsasign-adapter'
import { OID } from './oids'

/** The `[1]` constructed tag of a SignerInfo's unsignedAttrs. */
const UNSIGNED_ATTRIBUTES = contextTag(1, true)

/**
 * The certificates a CMS SignedData carries (RFC 5652 §5.1 `certificates [0]`), including those of
 * the RFC 3161 signature time-stamp tokens in its signers' unsigned attributes (ETSI EN 319 122-1
 * signature-time-stamp), recursively: what a DSS must hold to validate the signature later.
 * Accepts the zero-padded `/Contents` of a PDF signature (only the first DER element is read).
 * Malformed input throws {@link DerStructureError}.
 *
 * @example
 * const certs = cmsCertificates(signatureContentsBytes) // [signer, issuing CA, TSA, …]
 */
export function cmsCertificates(cms: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  collect(firstDerElement(cms), out, 0)
  return out
}

/** The first complete DER element of `bytes` (PDF `/Contents` is padded with zeros after it). */
export function firstDerElement(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 2) throw new DerStructureError('empty')
  let length = bytes[1]
  let header = 2
  if (length & 0x80) {
    const n = length & 0x7f
    if (n === 0 || n > 4 || bytes.length < 2 + n) throw new DerStructureError('bad length')
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + bytes[2 + i]
    header = 2 + n
  }
  if (header + length > bytes.length) throw new DerStructureError('truncated')
  return bytes.subarray(0, header + length)
}

function collect(der: Uint8Array, out: Uint8Array[], depth: number): void {
  if (depth > 4) throw new DerStructureError('time-stamp tokens nested too deeply')
  const decoded = decodeDer(der)
  if (!decoded.ok) throw new DerStructureError(decoded.error.message)
  const contentInfo = expectTag(decoded.value, TAG.sequence, 'ContentInfo')
  if (readOid(contentInfo.children[0], 'contentType') !== OID.signedData) throw new DerStructureError('not a SignedData')
  const signedData = expectTag(expectTag(contentInfo.children[1], contextTag(0, true), 'content').children[0], TAG.sequence, 'SignedData')
  const fields = signedData.children
  let i = 3
  if (fields[i]?.tag === contextTag(0, true)) {
    for (const c of fields[i].children) if (c.tag === TAG.sequence) out.push(c.der)
    i++
  }
  if (fields[i]?.tag === contextTag(1, true)) i++ // crls
  const signerInfos = expectTag(fields[i], TAG.set, 'signerInfos')
  for (const signerInfo of signerInfos.children) {
    let unsigned: DerElement | undefined
    for (const c of signerInfo.children) {
      if (c.tag !== UNSIGNED_ATTRIBUTES) continue
      unsigned = c
      break
    }
    for (const attribute of unsigned?.children ?? []) {
      if (readOid(attribute.children[0], 'attrType') !== OID.signatureTimeStampToken) continue
      for (const token of expectTag(attribute.children[1], TAG.set, 'attrValues').children) collect(token.der, out, depth + 1)
    }
  }
}
