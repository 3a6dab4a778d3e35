import type { DomainError, Result } from '../core/shared/result'

/**
 * Renders one PDF page to a PNG at a requested width, so the mini-program shows page images rather
 * than a PDF viewer. The page is rendered as displayed: its crop box, turned by its `/Rotate`
 * (the same display space as `core/signing/page-geometry.ts`), widget appearances included.
 *
 * Implemented by `adapters/pdfium/pdfium-page-renderer.ts` (PDFium compiled to WebAssembly).
 * CPU-bound: a caller on a request path should run it on a worker thread (see that file).
 */
export interface PageRenderer {
  readonly limits: PageRenderLimits
  renderPage(request: PageImageRequest): Promise<Result<PageImage, DomainError<PageRenderErrorCode>>>
}

export type PageImageRequest = {
  pdf: Uint8Array
  /** 0-based. */
  pageIndex: number
  /** Image width in pixels, an integer within `limits.minWidth..limits.maxWidth`; the height follows the page's aspect ratio. */
  width: number
}

export type PageImage = {
  png: Uint8Array
  width: number
  height: number
  /** Pages in the document (so a client can page through it). */
  pageCount: number
  /** The page's displayed size in points (crop box, rotated): pixel = point × width / pageSize.width. */
  pageSize: { width: number; height: number }
}

/**
 * The bounds every request is checked against (typed errors, nothing rendered):
 * `PAYLOAD_TOO_LARGE` (bytes), `NOT_A_PDF`, `DOCUMENT_TOO_MANY_PAGES`, `PAGE_OUT_OF_RANGE`,
 * `RENDER_WIDTH_INVALID`, `RENDER_TOO_MANY_PIXELS` (width × height, which bounds memory for
 * very tall pages).
 */
export type PageRenderLimits = { maxBytes: number; maxPages: number; minWidth: number; maxWidth: number; maxPixels: number }

export type PageRenderErrorCode =
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_A_PDF'
  | 'DOCUMENT_TOO_MANY_PAGES'
  | 'PAGE_OUT_OF_RANGE'
  | 'RENDER_WIDTH_INVALID'
  | 'RENDER_TOO_MANY_PIXELS'
