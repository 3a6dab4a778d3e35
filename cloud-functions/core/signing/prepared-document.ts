import { ByteRange, type PieceList } from '../pdf/byte-range'

/**
 * Stage 1 of signing: the original file plus an appended revision that holds the signature
 * dictionary with its `/ByteRange` filled and `/Contents` still zero. Plain data, so it can be stored
 * and the signature finished in a later call (KMS, or a signer confirming on a phone).
 */
export type PreparedDocument = {
  readonly original: Uint8Array
  /** The new revision; only its `/Contents` hole changes at embedding. */
  readonly appended: Uint8Array
  readonly byteRange: ByteRange
  /** Bytes reserved for the DER CMS (half the hex hole minus the brackets). */
  readonly contentsSize: number
  readonly fieldName: string
}

/** Stage 2: the SHA-256 over the ByteRange. */
export type DocumentDigest = {
  readonly prepared: PreparedDocument
  readonly algorithm: 'sha256'
  readonly value: Uint8Array
}

/** Stage 3: the DER CMS SignedData over the digest. */
export type SignedCms = {
  readonly digest: DocumentDigest
  readonly cms: Uint8Array
}

/** Stage 4: the signed file, as the untouched original followed by the completed revision. */
export type SealedDocument = {
  readonly pieces: PieceList
  readonly length: number
  readonly byteRange: ByteRange
  readonly fieldName: string
  /** Joins the pieces (copies the whole file once; write `pieces` in order to avoid it). */
  toBytes(): Uint8Array
}

/** The prepared document as pieces: [original, appended]. */
export function preparedPieces(p: PreparedDocument): PieceList {
  return [p.original, p.appended]
}

/** JSON-safe form of a prepared revision (the original is stored by the caller). */
export function serializePrepared(p: PreparedDocument): { appended: string; byteRange: number[]; contentsSize: number; fieldName: string; originalLength: number } {
  return {
    appended: Buffer.from(p.appended).toString('base64'),
    byteRange: p.byteRange.toArray(),
    contentsSize: p.contentsSize,
    fieldName: p.fieldName,
    originalLength: p.original.length,
  }
}

export function deserializePrepared(original: Uint8Array, s: ReturnType<typeof serializePrepared>): PreparedDocument {
  if (original.length !== s.originalLength) throw new Error('the original file does not match the prepared revision')
  return {
    original,
    appended: Buffer.from(s.appended, 'base64'),
    byteRange: ByteRange.of(s.byteRange),
    contentsSize: s.contentsSize,
    fieldName: s.fieldName,
  }
}
