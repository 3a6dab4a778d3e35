import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfReader } from '../pdf/pdf-reader'

/**
 * Opens `pdf` for signing. A file whose tail is intact but whose cross-reference offsets are wrong,
 * and that carries no signature, is repaired by one full rewrite (pdf-lib parses objects in file
 * order, ignoring the xref); a broken file that is already signed is refused, because rewriting it
 * would invalidate its signatures.
 *
 * @returns the bytes to sign (the input itself unless it was repaired) and whether it was repaired.
 * @throws PdfFormatError for unusable input (not a PDF, truncated, encrypted, signed and broken).
 */
export async function openForSigning(pdf: Uint8Array): Promise<{ bytes: Uint8Array; reader: PdfReader; repaired: boolean }> {
  try {
    return { bytes: pdf, reader: PdfReader.open(pdf), repaired: false }
  } catch (e) {
    if (!(e instanceof PdfFormatError) || e.code !== 'BROKEN_XREF') throw e
    if (PdfReader.looksSigned(pdf)) {
      throw new PdfFormatError('SIGNED_AND_BROKEN', `the PDF is already signed and its cross-reference data is broken (${e.message}); it cannot be signed without invalidating the existing signatures`)
    }
    const bytes = await rewriteDocument(pdf)
    return { bytes, reader: PdfReader.open(bytes), repaired: true }
  }
}

/** One full rewrite with pdf-lib (classic xref table, no object streams). Only for unsigned files. */
export async function rewriteDocument(pdf: Uint8Array): Promise<Uint8Array> {
  const { PDFDocument } = await import('pdf-lib')
  let pages: number
  let doc
  try {
    // pdf-lib meets hostile structure with whatever its code does (a TypeError on a page tree that is
    // not one, a RangeError on deep nesting): every failure here is "beyond repair", never a crash.
    doc = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: false })
    pages = doc.getPageCount()
  } catch (e) {
    throw new PdfFormatError('BROKEN_XREF', `the PDF is damaged beyond repair (${(e as Error)?.message})`, { cause: e })
  }
  if (pages === 0) throw new PdfFormatError('BROKEN_XREF', 'the PDF is damaged beyond repair (no pages found)')
  try {
    return await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false })
  } catch (e) {
    throw new PdfFormatError('BROKEN_XREF', `the PDF cannot be rewritten (${(e as Error)?.message})`, { cause: e })
  }
}
