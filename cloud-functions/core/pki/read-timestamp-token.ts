import { err, ok, type DomainError, type Result } from '../shared/result'
import { contextTag, DerStructureError, expectTag, readBigInt, readIntegerBytes, readOctets, readOid, readSmallInt, readTime, TAG } from './der-values'
import { decodeDer, type DerElement } from './jsrsasign-adapter'
import { OID } from './oids'

/** The TSTInfo of an RFC 3161 time-stamp token (§2.4.2), plus the token's certificates. */
export type TimestampTokenInfo = {
  policy: string
  hashAlgorithm: string
  hashedMessage: Uint8Array
  /** INTEGER content bytes. */
  serialNumber: Uint8Array
  genTime: Date
  accuracy?: { seconds?: number; millis?: number; micros?: number }
  ordering: boolean
  nonce?: bigint
  /** DER of the TSTInfo (the signed eContent). */
  tstInfoDer: Uint8Array
  /** Certificates embedded in the token's SignedData (empty when certReq was false). */
  certificates: Uint8Array[]
}

/**
 * Read the TSTInfo out of a DER `TimeStampToken` (a CMS ContentInfo/SignedData with eContentType
 * id-ct-TSTInfo). Structure only — this does **not** verify the token's signature or chain; the
 * signature validator does that.
 *
 * @example
 * const r = readTimestampToken(token)
 * if (r.ok && equal(r.value.hashedMessage, sha256(signatureValue))) …
 */
export function readTimestampToken(der: Uint8Array): Result<TimestampTokenInfo, DomainError<'MALFORMED_TIMESTAMP_TOKEN'>> {
  const decoded = decodeDer(der)
  if (!decoded.ok) return err('MALFORMED_TIMESTAMP_TOKEN', decoded.error.message)
  try {
    const contentInfo = expectTag(decoded.value, TAG.sequence, 'ContentInfo')
    if (readOid(contentInfo.children[0], 'contentType') !== OID.signedData) throw new DerStructureError('not a SignedData')
    const signedData = expectTag(expectTag(contentInfo.children[1], contextTag(0, true), 'content').children[0], TAG.sequence, 'SignedData')
    const encap = expectTag(signedData.children[2], TAG.sequence, 'encapContentInfo')
    if (readOid(encap.children[0], 'eContentType') !== OID.tstInfo) throw new DerStructureError('eContentType is not id-ct-TSTInfo')
    const eContent = readOctets(expectTag(encap.children[1], contextTag(0, true), 'eContent').children[0], 'eContent')
    const certificates: Uint8Array[] = []
    const certSet = signedData.children[3]
    if (certSet?.tag === contextTag(0, true)) for (const c of certSet.children) certificates.push(c.der)
    return ok({ ...readTstInfo(eContent), certificates })
  } catch (e) {
    if (e instanceof DerStructureError) return err('MALFORMED_TIMESTAMP_TOKEN', e.message)
    throw e
  }
}

function readTstInfo(der: Uint8Array): Omit<TimestampTokenInfo, 'certificates'> {
  const decoded = decodeDer(der)
  if (!decoded.ok) throw new DerStructureError(`TSTInfo: ${decoded.error.message}`)
  const f = expectTag(decoded.value, TAG.sequence, 'TSTInfo').children
  if (readSmallInt(f[0], 'version') !== 1) throw new DerStructureError('TSTInfo version must be 1')
  const imprint = expectTag(f[2], TAG.sequence, 'messageImprint')
  const info: Omit<TimestampTokenInfo, 'certificates'> = {
    policy: readOid(f[1], 'policy'),
    hashAlgorithm: readOid(expectTag(imprint.children[0], TAG.sequence, 'hashAlgorithm').children[0], 'hashAlgorithm'),
    hashedMessage: readOctets(imprint.children[1], 'hashedMessage'),
    serialNumber: readIntegerBytes(f[3], 'serialNumber'),
    genTime: readTime(expectTag(f[4], TAG.generalizedTime, 'genTime'), 'genTime'),
    ordering: false,
    tstInfoDer: der,
  }
  let i = 5
  if (f[i]?.tag === TAG.sequence) info.accuracy = readAccuracy(f[i++])
  if (f[i]?.tag === TAG.boolean) info.ordering = f[i++].content[0] === 0xff
  if (f[i]?.tag === TAG.integer) info.nonce = readBigInt(f[i++], 'nonce')
  return info
}

function readAccuracy(e: DerElement): NonNullable<TimestampTokenInfo['accuracy']> {
  const a: NonNullable<TimestampTokenInfo['accuracy']> = {}
  for (const c of e.children) {
    if (c.tag === TAG.integer) a.seconds = readSmallInt(c, 'seconds')
    else if (c.tag === contextTag(0, false)) a.millis = readSmallInt(c, 'millis', c.tag)
    else if (c.tag === contextTag(1, false)) a.micros = readSmallInt(c, 'micros', c.tag)
  }
  return a
}
