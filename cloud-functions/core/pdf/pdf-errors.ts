/**
 * Why a PDF cannot be used. `code` tells the caller what to do:
 * - `NOT_PDF`, `TRUNCATED`, `ENCRYPTED`: refuse the file (exit 2 in the CLI).
 * - `BROKEN_XREF`: the tail is present but the cross-reference data is wrong; an unsigned file can be
 *   repaired by one full rewrite before the first signature, a signed one must be refused.
 * - `SIGNED_AND_BROKEN`: a broken file that already carries signatures; never rewrite it.
 * - `UNSUPPORTED`: valid PDF syntax we do not handle.
 */
export type PdfFormatErrorCode =
  | 'NOT_PDF'
  | 'TRUNCATED'
  | 'BROKEN_XREF'
  | 'ENCRYPTED'
  | 'SIGNED_AND_BROKEN'
  | 'UNSUPPORTED'

export class PdfFormatError extends Error {
  override readonly name = 'PdfFormatError'
  constructor(
    readonly code: PdfFormatErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}
