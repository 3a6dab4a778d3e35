/**
 * The PDFium (WebAssembly) page renderer against an independent judge: poppler's pdftoppm renders
 * the same page at the same pixel size (crop box, rotation applied) and pixelmatch compares them.
 *
 * Tolerance: the 4×4-pixel blocks that differ (pixelmatch threshold 0.1 on block means; see
 * test/support/page-image-diff.mjs) may be at most 2% of the page AND at most a third of the blocks
 * a blank page differs in. Two rasterisers never agree pixel for pixel — glyphs land on different
 * sub-pixel positions and are anti-aliased differently (1–2.5% of raw pixels on a text page here) —
 * but a page that lost its CJK glyphs, ignored its rotation or crop box, or moved by a few pixels
 * differs in far more blocks. Each comparison carries its own controls: the page must have ink
 * enough for the judge to mean something (a blank page differs in ≥ 1% of blocks) and the render
 * moved down 4 px must fail the same tolerance, so the judge is shown able to fail on that page.
 *
 * Measured at 800 px wide (blocks / raw pixels differing): LibreOffice Chinese 0.45% / 1.3%, with a
 * table 0.30% / 1.1%, form 0.19% / 0.76%, /Rotate 90 0.79% / 2.5%, CropBox 1.5% / 2.3%,
 * Chromium Type 3 0.72% / 1.0%.
 *
 * Fixtures: Chinese text from LibreOffice (committed, and converted from .fodt now, a form with
 * widgets included), a page with /Rotate 90 and one with a CropBox, Chromium's Type 3 fonts.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { DEFAULT_PAGE_RENDER_LIMITS, pdfiumPageRenderer } from '../../cloud-functions/adapters/pdfium/pdfium-page-renderer'
import type { PageImage } from '../../cloud-functions/ports/page-renderer'
import { createPdfTestPki } from '../support/pdf-signing-ca'
import { signAs } from '../support/pdf-sign-helpers'
import { convertWithLibreOffice, countRedPixels, requireTools, run, tempDir } from '../support/pdf-tools'

const FIXTURES = join(__dirname, '..', 'fixtures', 'pdf')
const DIFF_SCRIPT = join(__dirname, '..', 'support', 'page-image-diff.mjs')
const TOLERANCE = 0.02
const limitFor = (v: Verdict) => Math.min(TOLERANCE, v.controls.blank / 3)
const WIDTH = 800

let dir: string
let libreContract: string
let libreForm: string
const renderer = pdfiumPageRenderer()

beforeAll(() => {
  requireTools('pdftoppm', 'pdfinfo', 'qpdf', 'soffice')
  dir = tempDir('qianyue-render-')
  ;[libreContract, libreForm] = convertWithLibreOffice([join(FIXTURES, 'contract-zh.fodt'), join(FIXTURES, 'contract-form.fodt')], dir, { formFields: true })
}, 180_000)

afterAll(() => {
  renderer.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** pdftoppm at exactly `width × height` as displayed (its -scale-to applies before /Rotate, so 90°/270° pages swap). */
function pdftoppmPage(file: string, pageIndex: number, width: number, height: number): string {
  const info = run('pdfinfo', ['-f', String(pageIndex + 1), '-l', String(pageIndex + 1), file])
  const rotation = Number(/^Page\s+\d+ rot:\s+(\d+)/m.exec(info)?.[1] ?? 0)
  const [sx, sy] = rotation % 180 ? [height, width] : [width, height]
  const prefix = join(dir, `ref-${Math.random().toString(36).slice(2)}`)
  run('pdftoppm', ['-f', String(pageIndex + 1), '-l', String(pageIndex + 1), '-cropbox', '-scale-to-x', String(sx), '-scale-to-y', String(sy), '-png', '-singlefile', file, prefix])
  return `${prefix}.png`
}

type Verdict = { raw: number; blocks: number; controls: { blank: number; shifted: number }; sizeMismatch?: number[] }

function judge(image: PageImage, reference: string): Verdict {
  const candidate = join(dir, `cand-${Math.random().toString(36).slice(2)}.png`)
  writeFileSync(candidate, image.png)
  const r = spawnSync(process.execPath, [DIFF_SCRIPT, candidate, reference], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`page-image-diff failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as Verdict
}

async function render(file: string, pageIndex: number, width = WIDTH): Promise<PageImage> {
  const r = await renderer.renderPage({ pdf: readFileSync(file), pageIndex, width })
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

describe('PDFium page images agree with pdftoppm', () => {
  const cases: Array<[string, () => string, number, { width: number; height: number }, string]> = [
    ['LibreOffice Chinese contract (committed), page 1', () => join(FIXTURES, 'labor-libreoffice.pdf'), 0, { width: 800, height: 1131 }, 'portrait A4'],
    ['LibreOffice Chinese purchase contract with a table, page 1', () => libreContract, 0, { width: 800, height: 1131 }, 'portrait A4'],
    ['LibreOffice Chinese form with text fields and a checkbox', () => libreForm, 0, { width: 800, height: 1131 }, 'widgets drawn'],
    ['Chinese page as is', () => join(FIXTURES, 'labor-rotated-cropped.pdf'), 0, { width: 800, height: 1131 }, 'portrait A4'],
    ['Chinese page with /Rotate 90', () => join(FIXTURES, 'labor-rotated-cropped.pdf'), 1, { width: 800, height: 566 }, 'landscape as displayed'],
    ['Chinese page with a CropBox', () => join(FIXTURES, 'labor-rotated-cropped.pdf'), 2, { width: 800, height: 914 }, 'the 420 × 480 pt crop box only'],
    ['Chromium print-to-pdf (Type 3 fonts)', () => join(FIXTURES, 'po-chrome.pdf'), 0, { width: 800, height: 1035 }, 'US letter'],
  ]

  it.each(cases)('%s', async (_name, file, pageIndex, size, _shape) => {
    // Prepare
    const pdf = file()

    // Act
    const image = await render(pdf, pageIndex)
    const verdict = judge(image, pdftoppmPage(pdf, pageIndex, image.width, image.height))

    // Assess
    expect({ width: image.width, height: image.height }).toEqual(size)
    expect(verdict.sizeMismatch).toBeUndefined()
    expect(verdict.controls.blank).toBeGreaterThanOrEqual(0.01) // enough ink on the page for the judge to mean something
    expect(verdict.controls.shifted).toBeGreaterThan(limitFor(verdict)) // the judge fails a render 4 px off
    expect(verdict.blocks).toBeLessThanOrEqual(limitFor(verdict))
  }, 60_000)

  it('reports the page count and the displayed page size in points', async () => {
    // Act
    const rotated = await render(join(FIXTURES, 'labor-rotated-cropped.pdf'), 1, 400)
    const cropped = await render(join(FIXTURES, 'labor-rotated-cropped.pdf'), 2, 420)

    // Assess
    expect(rotated.pageCount).toBe(3)
    expect(rotated.pageSize.width).toBeCloseTo(841.89, 1)
    expect(rotated.pageSize.height).toBeCloseTo(595.3, 1)
    expect(cropped.pageSize).toEqual({ width: 420, height: 480 })
    expect([cropped.width, cropped.height]).toEqual([420, 480])
    const png = PNG.sync.read(Buffer.from(cropped.png))
    expect([png.width, png.height]).toEqual([420, 480])
  })

  it('gives the same image for renders started at the same time', async () => {
    // Prepare
    const file = join(FIXTURES, 'labor-rotated-cropped.pdf')

    // Act
    const images = await Promise.all([0, 1, 2, 0].map((i) => render(file, i, 300)))

    // Assess
    expect(images.map((i) => i.height)).toEqual([424, 212, 343, 424])
    expect(Buffer.from(images[3].png).equals(Buffer.from(images[0].png))).toBe(true)
  })
})

describe('signed pages: seal appearances (signature widgets) are drawn where the field is', () => {
  it('shows our red seal in its display rectangle on the rotated and the cropped page, as pdftoppm does', async () => {
    // Prepare: seals at display-space rectangles on page 2 (/Rotate 90) and page 3 (CropBox)
    const pki = await createPdfTestPki()
    const seal = readFileSync(join(FIXTURES, 'seal.png'))
    const rects: Array<[number, [number, number, number, number]]> = [
      [1, [600, 60, 150, 150]],
      [2, [240, 40, 120, 120]],
    ]
    let pdf: Buffer = readFileSync(join(FIXTURES, 'labor-rotated-cropped.pdf'))
    for (const [page, rect] of rects) pdf = await signAs(pki, pdf, `甲方${page}`, { placement: { page, rect }, appearance: { seal } })
    const file = join(dir, 'signed.pdf')
    writeFileSync(file, pdf)

    for (const [page, [x, y, w, h]] of rects) {
      // Act
      const image = await render(file, page, 600)
      const verdict = judge(image, pdftoppmPage(file, page, image.width, image.height))

      // Assess
      const k = image.width / image.pageSize.width
      const [px0, py0, px1, py1] = [x * k, (image.pageSize.height - y - h) * k, (x + w) * k, (image.pageSize.height - y) * k]
      const png = PNG.sync.read(Buffer.from(image.png))
      const inside = countRedPixels(png, px0, py0, px1, py1)
      const everywhere = countRedPixels(png, 0, 0, png.width, png.height)
      expect(inside).toBeGreaterThan(200)
      expect(inside / everywhere).toBeGreaterThan(0.95)
      expect(verdict.blocks).toBeLessThanOrEqual(limitFor(verdict))
    }
  }, 120_000)
})

describe('PDFium page renderer — bounded input', () => {
  const pdf = () => readFileSync(join(FIXTURES, 'labor-rotated-cropped.pdf'))
  const rows: Array<[string, string, () => Parameters<typeof renderer.renderPage>[0], Parameters<typeof pdfiumPageRenderer>[0]?]> = [
    ['width below the minimum', 'RENDER_WIDTH_INVALID', () => ({ pdf: pdf(), pageIndex: 0, width: DEFAULT_PAGE_RENDER_LIMITS.minWidth - 1 })],
    ['width above the documented maximum (2000 px)', 'RENDER_WIDTH_INVALID', () => ({ pdf: pdf(), pageIndex: 0, width: 2001 })],
    ['width not an integer', 'RENDER_WIDTH_INVALID', () => ({ pdf: pdf(), pageIndex: 0, width: 500.5 })],
    ['page after the last', 'PAGE_OUT_OF_RANGE', () => ({ pdf: pdf(), pageIndex: 3, width: 300 })],
    ['negative page', 'PAGE_OUT_OF_RANGE', () => ({ pdf: pdf(), pageIndex: -1, width: 300 })],
    ['not a PDF', 'NOT_A_PDF', () => ({ pdf: new TextEncoder().encode('<html>合同</html>'), pageIndex: 0, width: 300 })],
    ['a PDF header and nothing else', 'NOT_A_PDF', () => ({ pdf: new TextEncoder().encode('%PDF-1.7\n%%EOF\n'), pageIndex: 0, width: 300 })],
    ['more pages than allowed', 'DOCUMENT_TOO_MANY_PAGES', () => ({ pdf: pdf(), pageIndex: 0, width: 300 }), { limits: { maxPages: 2 } }],
    ['more pixels than allowed', 'RENDER_TOO_MANY_PIXELS', () => ({ pdf: pdf(), pageIndex: 0, width: 1000 }), { limits: { maxPixels: 1000 * 1400 } }],
    ['more bytes than allowed', 'PAYLOAD_TOO_LARGE', () => ({ pdf: pdf(), pageIndex: 0, width: 300 }), { limits: { maxBytes: 1024 } }],
    ['within every bound', 'ok', () => ({ pdf: pdf(), pageIndex: 2, width: 2000 })],
  ]

  it.each(rows)('%s → %s', async (...[_name, expected, request, options]) => {
    // Prepare
    const r8 = options ? pdfiumPageRenderer(options) : renderer

    // Act
    const r = await r8.renderPage(request())

    // Assess
    expect(r.ok ? 'ok' : r.error.code).toBe(expected)
    if (r8 !== renderer) (r8 as ReturnType<typeof pdfiumPageRenderer>).close()
  })

  it('keeps working after a refused document', async () => {
    // Act
    await renderer.renderPage({ pdf: new TextEncoder().encode('%PDF-1.4 garbage'), pageIndex: 0, width: 300 })
    const after = await renderer.renderPage({ pdf: pdf(), pageIndex: 0, width: 300 })

    // Assess
    expect(after.ok).toBe(true)
  })
})
