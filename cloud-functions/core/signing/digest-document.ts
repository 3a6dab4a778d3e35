import { digestByteRange } from '../pdf/byte-range'
import { preparedPieces, type DocumentDigest, type PreparedDocument } from './prepared-document'

/**
 * Stage 2 — digest: SHA-256 over the two ByteRange parts, streamed over the original bytes and the
 * appended revision without joining them.
 */
export function digestDocument(prepared: PreparedDocument): DocumentDigest {
  return { prepared, algorithm: 'sha256', value: digestByteRange(preparedPieces(prepared), prepared.byteRange) }
}
