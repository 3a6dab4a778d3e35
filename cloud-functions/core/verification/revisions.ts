import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfReader } from '../pdf/pdf-reader'

/** One revision of the file: the bytes up to and including its `%%EOF` line, read through its own xref chain. */
export type Revision = {
  /** 1-based. */
  index: number
  /** Offset just after `%%EOF`. */
  eofEnd: number
  /** Offset after `%%EOF` and one end-of-line marker (CR, LF or CRLF) if present. */
  end: number
  reader: PdfReader
}

export type RevisionScan = {
  revisions: Revision[]
  /** Bytes after the last revision that are not white space (an update without xref, or garbage). */
  trailingGarbage: boolean
  /** More `%%EOF` markers than {@link MAX_REVISIONS}: only the last ones were examined. */
  truncated: boolean
}

/** A file with more incremental updates than this is not examined beyond the last ones. */
export const MAX_REVISIONS = 256

/**
 * The revisions of a PDF (ISO 32000-1 §7.5.6): every `%%EOF` whose prefix opens as a PDF through
 * its own `startxref`, and whose newest xref section belongs to the final file's `/Prev` chain (a
 * revision an update cut out of the chain is not part of the document). The last openable prefix is
 * the document as readers see it.
 *
 * @throws PdfFormatError when no prefix of the file opens (not a PDF, truncated, encrypted).
 */
export function scanRevisions(bytes: Uint8Array): RevisionScan {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.subarray(0, 1024).indexOf('%PDF-') < 0) throw new PdfFormatError('NOT_PDF', 'not a PDF file (no %PDF- header)')
  const eofs: number[] = []
  for (let p = buf.indexOf('%%EOF'); p >= 0; p = buf.indexOf('%%EOF', p + 5)) eofs.push(p)
  if (eofs.length === 0) throw new PdfFormatError('TRUNCATED', 'the PDF is truncated or damaged: no %%EOF')
  const truncated = eofs.length > MAX_REVISIONS
  const candidates = eofs.slice(-MAX_REVISIONS).map((p) => {
    let end = p + 5
    if (buf[end] === 0x0d) end++
    if (buf[end] === 0x0a) end++
    return { eofEnd: p + 5, end }
  })
  // The document as readers see it: the last prefix that opens.
  let last: { reader: PdfReader; at: number } | undefined
  let firstError: unknown
  for (let i = candidates.length - 1; i >= 0 && !last; i--) {
    try {
      last = { reader: PdfReader.open(bytes.subarray(0, candidates[i].end)), at: i }
    } catch (e) {
      firstError ??= e
      if (e instanceof PdfFormatError && e.code === 'ENCRYPTED') throw e
    }
  }
  if (!last) {
    if (firstError instanceof PdfFormatError) throw firstError
    throw new PdfFormatError('BROKEN_XREF', `the PDF cannot be read (${(firstError as Error)?.message ?? 'no usable cross-reference data'})`)
  }
  const chain = new Set(last.reader.sections.map((s) => s.offset))
  const revisions: Revision[] = []
  for (let i = 0; i < last.at; i++) {
    const c = candidates[i]
    let reader: PdfReader
    try {
      reader = PdfReader.open(bytes.subarray(0, c.end))
    } catch {
      continue
    }
    if (!chain.has(reader.sections[0].offset)) continue
    if (revisions.length && revisions[revisions.length - 1].reader.sections[0].offset === reader.sections[0].offset) continue
    revisions.push({ index: revisions.length + 1, ...c, reader })
  }
  revisions.push({ index: revisions.length + 1, ...candidates[last.at], reader: last.reader })
  const after = buf.subarray(candidates[last.at].end)
  const trailingGarbage = after.some((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0x0c && b !== 0x00)
  return { revisions, trailingGarbage, truncated }
}

/** The revision a byte range ending at `end` covers exactly (only white space between its `%%EOF` and `end`). */
export function revisionEndingAt(revisions: Revision[], bytes: Uint8Array, end: number): Revision | undefined {
  for (let i = revisions.length - 1; i >= 0; i--) {
    const r = revisions[i]
    if (r.eofEnd > end) continue
    if (end - r.eofEnd > 64) return undefined
    for (let p = r.eofEnd; p < end; p++) {
      const b = bytes[p]
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0x00) return undefined
    }
    return r
  }
  return undefined
}
