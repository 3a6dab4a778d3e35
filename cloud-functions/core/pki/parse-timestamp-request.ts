import { err, ok, type DomainError, type Result } from '../shared/result'
import { contextTag, DerStructureError, expectTag, readBigInt, readBoolean, readOctets, readOid, readSmallInt, TAG } from './der-values'
import { decodeDer } from './jsrsasign-adapter'

/** A parsed RFC 3161 `TimeStampReq` (§2.4.1). */
export type TimestampRequest = {
  /** Hash algorithm OID of the message imprint. */
  hashAlgorithm: string
  /** Whether the request's AlgorithmIdentifier carried NULL parameters (echoed as is in the token). */
  hashAlgorithmNullParameters?: boolean
  hashedMessage: Uint8Array
  /** `reqPolicy`, when the client asks for one. */
  policy?: string
  nonce?: bigint
  /** `certReq`: put the TSA certificate in the token. */
  certReq?: boolean
  /** The request carried an `extensions` field (the platform TSA accepts none). */
  hasExtensions?: boolean
}

/** Requests larger than this are not parsed (a TimeStampReq with SHA-512 and a nonce is ~100 bytes). */
export const MAX_TIMESTAMP_REQUEST_SIZE = 16 * 1024

/** Nonces longer than this many bytes are refused (RFC 3161 suggests a 64-bit random nonce). */
export const MAX_NONCE_BYTES = 64

/**
 * Parse a DER `TimeStampReq`:
 *
 * ```asn1
 * TimeStampReq ::= SEQUENCE {
 *   version INTEGER { v1(1) }, messageImprint MessageImprint, reqPolicy TSAPolicyId OPTIONAL,
 *   nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE, extensions [0] IMPLICIT Extensions OPTIONAL }
 * MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
 * ```
 *
 * Structure only: whether the algorithm, policy or extensions are acceptable is the responder's
 * decision. Anything malformed (bad DER, wrong version, wrong field types or order, an oversized
 * nonce) is `MALFORMED_TIMESTAMP_REQUEST`, which the responder answers with `badDataFormat`.
 */
export function parseTimestampRequest(der: Uint8Array): Result<TimestampRequest, DomainError<'MALFORMED_TIMESTAMP_REQUEST'>> {
  if (der.length > MAX_TIMESTAMP_REQUEST_SIZE) return err('MALFORMED_TIMESTAMP_REQUEST', 'request too large')
  const decoded = decodeDer(der)
  if (!decoded.ok) return err('MALFORMED_TIMESTAMP_REQUEST', decoded.error.message)
  try {
    const fields = expectTag(decoded.value, TAG.sequence, 'TimeStampReq').children
    if (readSmallInt(fields[0], 'version') !== 1) throw new DerStructureError('version must be 1')
    const imprint = expectTag(fields[1], TAG.sequence, 'messageImprint')
    if (imprint.children.length !== 2) throw new DerStructureError('messageImprint must have 2 fields')
    const algorithm = expectTag(imprint.children[0], TAG.sequence, 'hashAlgorithm')
    if (algorithm.children.length < 1 || algorithm.children.length > 2) throw new DerStructureError('bad AlgorithmIdentifier')
    const hashAlgorithm = readOid(algorithm.children[0], 'hashAlgorithm.algorithm')
    const params = algorithm.children[1]
    if (params && (params.tag !== TAG.null || params.content.length !== 0)) throw new DerStructureError('hash algorithm parameters must be absent or NULL')
    const request: TimestampRequest = {
      hashAlgorithm,
      hashAlgorithmNullParameters: params !== undefined,
      hashedMessage: readOctets(imprint.children[1], 'hashedMessage'),
      certReq: false,
    }
    // The optional fields, each at most once and in order.
    let i = 2
    if (fields[i]?.tag === TAG.oid) request.policy = readOid(fields[i++], 'reqPolicy')
    if (fields[i]?.tag === TAG.integer) {
      const nonceElement = fields[i++]
      if (nonceElement.content.length > MAX_NONCE_BYTES) throw new DerStructureError('nonce too long')
      request.nonce = readBigInt(nonceElement, 'nonce')
    }
    if (fields[i]?.tag === TAG.boolean) {
      const certReq = readBoolean(fields[i++], 'certReq')
      // DER: a DEFAULT value must be omitted, but real clients send FALSE explicitly; accept it.
      request.certReq = certReq
    }
    if (fields[i]?.tag === contextTag(0, true)) {
      request.hasExtensions = true
      i++
    }
    if (i !== fields.length) throw new DerStructureError('unexpected field in TimeStampReq')
    return ok(request)
  } catch (e) {
    if (e instanceof DerStructureError) return err('MALFORMED_TIMESTAMP_REQUEST', e.message)
    throw e
  }
}
