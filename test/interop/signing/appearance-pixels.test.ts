/**
 * The visible appearance, judged by rendering with pdftoppm: the seal's red pixels are inside the
 * signature field's rectangle (and not elsewhere), the Chinese name/date text is drawn with the
 * embedded subset font, and a cross-page seal (骑缝章) puts a strip on the right edge of every page.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { PdfDict, PdfStream } from '../../../cloud-functions/core/pdf/pdf-objects'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { countRedPixels, pdfsig, qpdfCheck, renderPage, requireTools, run, tempDir } from '../../support/pdf-tools'

jest.setTimeout(120_000)

const FIXTURES = join(__dirname, '../../fixtures/pdf')
const SEAL = readFileSync(join(FIXTURES, 'seal.png'))
const DPI = 72 // 1 pixel = 1 point

let pki: PdfTestPki
let dir: string

beforeAll(async () => {
  requireTools('pdftoppm', 'pdfsig', 'qpdf', 'pdffonts')
  pki = await createPdfTestPki()
  dir = tempDir()
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Page height in points (MediaBox), to flip PDF y into image rows. */
function pageHeight(pdf: Uint8Array, index: number): number {
  const r = PdfReader.open(pdf)
  const box = r.inherited(r.dictAt(r.pageRef(index)) as PdfDict, 'MediaBox') as number[]
  return box[3] - box[1]
}

function assertValid(file: string, count: number): void {
  const s = pdfsig(file).signatures
  expect(s.map((x) => x.status)).toEqual(Array(count).fill('Signature is Valid.'))
  expect(qpdfCheck(file).ok).toBe(true)
}

describe('signature appearance rendered by pdftoppm', () => {
  it('draws the seal image (PNG with alpha) inside the field rectangle on the chosen page, and nowhere else', async () => {
    const original = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const rect: [number, number, number, number] = [380, 60, 150, 100]
    const signed = await signAs(pki, original, '张三', { placement: { page: 0, rect }, appearance: { seal: SEAL } })
    const file = join(dir, 'seal.pdf')
    writeFileSync(file, signed)
    assertValid(file, 1)
    const png = renderPage(file, 1, DPI, dir)
    const h = pageHeight(signed, 0)
    const [x, y, w, hh] = rect
    const inside = countRedPixels(png, x, h - (y + hh), x + w, h - y)
    const total = countRedPixels(png, 0, 0, png.width, png.height)
    expect(inside).toBeGreaterThan(500)
    expect(total - inside).toBeLessThan(20)
    // The unsigned page has no red at all there.
    const before = join(dir, 'before.pdf')
    writeFileSync(before, original)
    expect(countRedPixels(renderPage(before, 1, DPI, dir), x, h - (y + hh), x + w, h - y)).toBe(0)
    // The name line uses an embedded subset CJK font.
    const fonts = run('pdffonts', [file])
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/)
  })

  it('draws a generated red name stamp when there is no seal, at the default bottom-right position', async () => {
    const original = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    const signed = await signAs(pki, original, '李四', { placement: { page: 'last' } })
    const file = join(dir, 'stamp.pdf')
    writeFileSync(file, signed)
    assertValid(file, 1)
    const png = renderPage(file, 1, DPI, dir)
    const half = { x: png.width / 2, y: png.height / 2 }
    const bottomRight = countRedPixels(png, half.x, half.y, png.width, png.height)
    const elsewhere = countRedPixels(png, 0, 0, png.width, half.y) + countRedPixels(png, 0, half.y, half.x, png.height)
    expect(bottomRight).toBeGreaterThan(200)
    expect(elsewhere).toBeLessThan(20)
  })

  it('splits a cross-page seal into one strip per page at the right edge, as widgets of the signature', async () => {
    // A 3-page document from Ghostscript (two LibreOffice pages + one Chromium page).
    const three = join(dir, 'three.pdf')
    run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', '-o', three, join(FIXTURES, 'labor-libreoffice.pdf'), join(FIXTURES, 'po-chrome.pdf')])
    const original = readFileSync(three)
    const signed = await signAs(pki, original, '王五', {
      placement: { page: 'last' },
      appearance: { seal: SEAL },
      crossPageSeal: { width: 120, height: 120 },
    })
    const file = join(dir, 'cross.pdf')
    writeFileSync(file, signed)
    assertValid(file, 1)
    const reader = PdfReader.open(signed)
    const field = reader.signatureFields()[0]
    expect(field.widgets.length).toBe(1 + 3) // main stamp + one strip per page
    for (let p = 0; p < 3; p++) {
      const png = renderPage(file, p + 1, DPI, dir)
      const stripW = 120 / 3
      const rightEdge = countRedPixels(png, png.width - stripW - 1, 0, png.width, png.height)
      const middle = countRedPixels(png, 0, 0, png.width - stripW - 2, png.height * 0.6)
      expect({ page: p + 1, hasStrip: rightEdge > 100 }).toEqual({ page: p + 1, hasStrip: true })
      expect(middle).toBeLessThan(20)
    }
    // Each strip's appearance clips a different slice of the same image XObject.
    const aps = field.widgets.slice(1).map((w) => {
      const ap = reader.dictAt((reader.dictAt(w) as PdfDict).get('AP')) as PdfDict
      return reader.getObject(ap.get('N') as never) as PdfStream
    })
    const xobjs = new Set(aps.map((s) => String((reader.dictAt(s.dict.get('Resources')) as PdfDict).get('XObject') && ((reader.dictAt((reader.dictAt(s.dict.get('Resources')) as PdfDict).get('XObject')) as PdfDict).get('Im1') as { num: number }).num)))
    expect(xobjs.size).toBe(1)
  })
})
