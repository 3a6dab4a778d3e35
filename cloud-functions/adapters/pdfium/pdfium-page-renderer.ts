import { readFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
// The CommonJS build by path: a bundler resolving the bare name for an `import` picks the ESM build,
// whose `createRequire(import.meta.url)` breaks once bundled to CommonJS (serverless-esbuild).
import { PDFiumLibrary } from '@hyzyla/pdfium/dist/index.cjs'
import { PNG_SIGNATURE, pngChunk } from '../../core/shared/png-chunk'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import type { PageImage, PageImageRequest, PageRenderErrorCode, PageRenderLimits, PageRenderer } from '../../ports/page-renderer'

/**
 * The documented bounds: images 64–2000 px wide (2000 px is a sharp A4 page on any phone at 3×),
 * at most 8 megapixels (an A4 page at 2000 px is 2.8 MP; the bound stops a 1:20 strip from costing
 * 40 MP of memory), documents up to 50 MB and 1000 pages.
 */
export const DEFAULT_PAGE_RENDER_LIMITS: PageRenderLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 1000, minWidth: 64, maxWidth: 2000, maxPixels: 8_000_000 }

export type PdfiumPageRendererOptions = {
  limits?: Partial<PageRenderLimits>
  /** The PDFium WebAssembly file; by default the one inside the npm package (`@hyzyla/pdfium/dist/pdfium.wasm`). */
  wasmPath?: string
}

type RenderError = DomainError<PageRenderErrorCode>

/**
 * Page images with PDFium (Google's PDF engine, BSD-3/Apache-2.0) compiled to WebAssembly, through
 * `@hyzyla/pdfium` (MIT). The 4 MB `pdfium.wasm` ships inside the npm package and is read from disk
 * once; nothing is downloaded at run time and there is no native binary, so the same code runs in
 * the local server and in Lambda (from the assets layer, `ESIGN_ASSET_DIR`, as the CJK fonts are).
 *
 * Embedded fonts (CJK included — LibreOffice, Word, Chromium and Ghostscript all embed subsets) render
 * as in poppler; text in a *non-embedded* CJK font has no system font to fall back on in WebAssembly
 * and comes out blank.
 *
 * Off the event loop: a render is synchronous WebAssembly (≈20–150 ms for an A4 page at 800 px) plus
 * PNG encoding. {@link renderPdfPage} is the whole job as one function of (library, request,
 * limits), so a worker-pool task (piscina, `ports/` of issue 10 A) can hold one `PDFiumLibrary`
 * per worker thread (`loadPdfium()` once, ≈120 ms) and return the PNG bytes as a transferable
 * buffer; this adapter is then the in-process fallback. Renders through one adapter are queued,
 * as the library instance is not re-entrant.
 */
export function pdfiumPageRenderer(options: PdfiumPageRendererOptions = {}): PageRenderer & { close(): void } {
  const limits = { ...DEFAULT_PAGE_RENDER_LIMITS, ...options.limits }
  let library: Promise<PDFiumLibrary> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  return {
    limits,
    renderPage(request) {
      library ??= loadPdfium(options.wasmPath)
      const run = queue.then(async () => renderPdfPage(await library!, request, limits))
      queue = run.catch(() => undefined)
      return run
    },
    close() {
      const l = library
      library = undefined
      void l?.then((lib) => lib.destroy())
    },
  }
}

/** The WebAssembly file inside the npm package (not a literal in `require.resolve`, so bundlers leave it to run time, as the fonts). */
const PDFIUM_WASM = '@hyzyla/pdfium/dist/pdfium.wasm'

/** Instantiates PDFium from the package's WebAssembly file (no network, no `fetch`). */
export async function loadPdfium(wasmPath = require.resolve(PDFIUM_WASM)): Promise<PDFiumLibrary> {
  const bytes = readFileSync(wasmPath)
  const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  return PDFiumLibrary.init({ wasmBinary })
}

/**
 * Checks `request` against `limits` and renders the page as displayed (crop box, `/Rotate`, form
 * widgets) on white, to an RGB PNG `request.width` pixels wide.
 */
export async function renderPdfPage(lib: PDFiumLibrary, request: PageImageRequest, limits: PageRenderLimits): Promise<Result<PageImage, RenderError>> {
  const { pdf, pageIndex, width } = request
  if (!Number.isInteger(width) || width < limits.minWidth || width > limits.maxWidth) {
    return err('RENDER_WIDTH_INVALID', `图片宽度应为 ${limits.minWidth} 到 ${limits.maxWidth} 像素之间的整数`, { width, minWidth: limits.minWidth, maxWidth: limits.maxWidth })
  }
  if (!Number.isInteger(pageIndex) || pageIndex < 0) return err('PAGE_OUT_OF_RANGE', '页码不正确', { pageIndex })
  if (pdf.byteLength > limits.maxBytes) return err('PAYLOAD_TOO_LARGE', `文档不能超过 ${Math.floor(limits.maxBytes / 1024 / 1024)} MB`, { limit: limits.maxBytes })
  if (!isPdfHeader(pdf)) return err('NOT_A_PDF', '文件不是有效的 PDF')

  let doc: Awaited<ReturnType<PDFiumLibrary['loadDocument']>>
  try {
    doc = await lib.loadDocument(pdf)
  } catch (e) {
    return err('NOT_A_PDF', '文件不是有效的 PDF，或已加密', { reason: e instanceof Error ? e.message : String(e) })
  }
  try {
    const pageCount = doc.getPageCount()
    if (pageCount > limits.maxPages) return err('DOCUMENT_TOO_MANY_PAGES', `文档不能超过 ${limits.maxPages} 页`, { pageCount, limit: limits.maxPages })
    if (pageIndex >= pageCount) return err('PAGE_OUT_OF_RANGE', `第 ${pageIndex + 1} 页不存在（文档共 ${pageCount} 页）`, { pageIndex, pageCount })
    const page = doc.getPage(pageIndex)
    // FPDF_GetPageWidth/Height: the crop box as displayed (turned for /Rotate 90 and 270).
    const { originalWidth: pw, originalHeight: ph } = page.getOriginalSize()
    const height = pw > 0 && ph > 0 ? Math.max(1, Math.round((width * ph) / pw)) : 0
    const refused =
      height === 0
        ? err('NOT_A_PDF', '页面内容损坏或尺寸不正确', { pageIndex })
        : width * height > limits.maxPixels
          ? err('RENDER_TOO_MANY_PIXELS', `页面图片不能超过 ${limits.maxPixels} 像素，请选择更小的宽度`, { width, height, limit: limits.maxPixels })
          : undefined
    if (refused) {
      closeUnrenderedPage(page)
      return refused
    }
    const rendered = await page.render({ width, height, renderFormFields: true }) // closes the page
    const png = encodeRgbPng(rendered.data, rendered.width, rendered.height)
    return ok({ png, width: rendered.width, height: rendered.height, pageCount, pageSize: { width: pw, height: ph } })
  } finally {
    doc.destroy()
  }
}

/**
 * `render()` closes the page it loaded; a page refused before rendering must be closed here, or
 * PDFium keeps it until the process ends. The wrapper does not expose FPDF_ClosePage, so this
 * reaches two private fields of its page object (`module`, `pageIdx`; @hyzyla/pdfium 2.1).
 */
function closeUnrenderedPage(page: unknown): void {
  const p = page as { module?: { _FPDF_ClosePage?: (i: number) => void }; pageIdx?: number }
  if (p.pageIdx && p.module?._FPDF_ClosePage) p.module._FPDF_ClosePage(p.pageIdx)
}

/** `%PDF-` within the first 1024 bytes (ISO 32000-2 §7.5.2, Acrobat's tolerance for leading junk). */
function isPdfHeader(b: Uint8Array): boolean {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 1024)).toString('latin1')
  return head.includes('%PDF-')
}

/**
 * An opaque RGBA bitmap (the page on white) as an 8-bit RGB PNG (colour type 2, PNG spec §11): every
 * row with the Up filter, zlib level 6 — a text page at 800 px is ≈100 KB and encodes in a few ms.
 */
function encodeRgbPng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 3
  const raw = Buffer.alloc((stride + 1) * height)
  const rgb = new Uint8Array(stride * 2) // this row and the previous one
  for (let y = 0; y < height; y++) {
    const cur = (y & 1) * stride
    const prev = stride - cur
    for (let x = 0, i = y * width * 4; x < stride; x += 3, i += 4) {
      rgb[cur + x] = rgba[i]
      rgb[cur + x + 1] = rgba[i + 1]
      rgb[cur + x + 2] = rgba[i + 2]
    }
    const o = y * (stride + 1)
    raw[o] = 2 // Up: each byte minus the byte above it
    for (let x = 0; x < stride; x++) raw[o + 1 + x] = (rgb[cur + x] - (y > 0 ? rgb[prev + x] : 0)) & 0xff
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const out = Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 6 })), pngChunk('IEND', Buffer.alloc(0))])
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}
