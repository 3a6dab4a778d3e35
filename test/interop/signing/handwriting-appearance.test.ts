/**
 * Handwritten-signature appearances: a PNG with alpha (blue strokes on a transparent background,
 * drawn here with pngjs) embedded with an SMask and rendered by pdftoppm exactly where the field
 * is, upright and unmirrored, with the page showing through between the strokes; beside the seal
 * when both are given; and never on the cross-page seal strips.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { PdfDict, PdfStream } from '../../../cloud-functions/core/pdf/pdf-objects'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { assertSignedPdfValid, countRedPixels, renderPage, requireTools, tempDir } from '../../support/pdf-tools'
import { countBlackPixels, findInk, handwritingPng, inkCentroidX } from '../../support/test-images'

jest.setTimeout(120_000)

const FIXTURES = join(__dirname, '../../fixtures/pdf')
const SEAL = readFileSync(join(FIXTURES, 'seal.png'))
const DPI = 144
const K = DPI / 72

let pki: PdfTestPki
let dir: string
let root: string
const HANDWRITING = handwritingPng()

beforeAll(async () => {
  requireTools('pdftoppm', 'pdfsig', 'qpdf', 'openssl')
  pki = await createPdfTestPki()
  dir = tempDir('qianyue-handwriting-')
  root = pki.writeRoot(dir)
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A PDF rectangle [x, y, w, h] (points, unrotated page of height `h`) as a pixel box at DPI. */
function px([x, y, w, h]: [number, number, number, number], pageHeight: number): [number, number, number, number] {
  return [x * K, (pageHeight - y - h) * K, (x + w) * K, (pageHeight - y) * K]
}

describe('handwriting appearance', () => {
  it('draws the strokes inside the field, upright, with the page visible between them (alpha → SMask)', async () => {
    const original = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const rect: [number, number, number, number] = [330, 60, 200, 110]
    const signed = await signAs(pki, original, '王小明', { placement: { page: 0, rect }, appearance: { handwriting: HANDWRITING } })
    const file = join(dir, 'handwriting.pdf')
    writeFileSync(file, signed)
    assertSignedPdfValid(file, { expected: 1, caFile: root, dir, label: 'handwriting' })

    // The image is embedded once with a soft mask.
    const r = PdfReader.open(signed)
    const widget = r.dictAt(r.signatureFields()[0].ref) as PdfDict
    const ap = r.getObject((r.dictAt(widget.get('AP')) as PdfDict).get('N') as never) as PdfStream
    const im = r.getObject((r.dictAt((r.dictAt(ap.dict.get('Resources')) as PdfDict).get('XObject')) as PdfDict).get('Im2') as never) as PdfStream
    expect(im.dict.get('Width')).toBe(300)
    expect(im.dict.has('SMask')).toBe(true)

    const png = renderPage(file, 1, DPI, dir)
    const h = 842
    const box = px(rect, h)
    const inside = findInk(png, ...box)
    const everywhere = findInk(png, 0, 0, png.width, png.height)
    expect(inside.count).toBeGreaterThan(1500)
    expect(everywhere.count - inside.count).toBe(0)
    // The strokes span an area with the image's aspect ratio (280×100 of stroke extent): not turned.
    const [x0, y0, x1, y1] = inside.box as [number, number, number, number]
    expect((x1 - x0) / (y1 - y0)).toBeGreaterThan(2.3)
    expect((x1 - x0) / (y1 - y0)).toBeLessThan(3.3)
    // A "Z", not mirrored: in the upper middle band the diagonal is on the right, in the lower on the left.
    expect(inkCentroidX(png, [x0, y0, x1, y1], 0.25, 0.4)).toBeGreaterThan(0.55)
    expect(inkCentroidX(png, [x0, y0, x1, y1], 0.6, 0.75)).toBeLessThan(0.45)
    // Transparent pixels show the page beneath: no black box behind the strokes, the page's own
    // text still there (a renderer ignoring the alpha would paint the whole image black).
    const before = renderPage(join(FIXTURES, 'labor-libreoffice.pdf'), 1, DPI, dir)
    const blackBefore = countBlackPixels(before, x0, y0, x1, y1)
    const blackAfter = countBlackPixels(png, x0, y0, x1, y1)
    expect(blackAfter).toBeLessThan(blackBefore + ((x1 - x0) * (y1 - y0)) / 100)
    expect(blackAfter).toBeGreaterThan(blackBefore * 0.5)
  })

  it('puts the seal on the left and the handwriting on the right when both are given', async () => {
    const original = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    const rect: [number, number, number, number] = [300, 80, 240, 120]
    const signed = await signAs(pki, original, '苏州样例', { placement: { page: 0, rect }, appearance: { seal: SEAL, handwriting: HANDWRITING } })
    const file = join(dir, 'seal-and-handwriting.pdf')
    writeFileSync(file, signed)
    assertSignedPdfValid(file, { expected: 1, caFile: root, dir, label: 'seal + handwriting' })
    const png = renderPage(file, 1, DPI, dir)
    const [bx0, by0, bx1, by1] = px(rect, 842)
    const mid = (bx0 + bx1) / 2
    expect(countRedPixels(png, bx0, by0, mid, by1)).toBeGreaterThan(1000)
    expect(countRedPixels(png, mid, by0, bx1, by1)).toBeLessThan(20)
    expect(findInk(png, mid, by0, bx1, by1).count).toBeGreaterThan(800)
    expect(findInk(png, bx0, by0, mid, by1).count).toBe(0)
  })

  it('keeps handwriting off the cross-page strips: they show the generated stamp', async () => {
    const original = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const signed = await signAs(pki, original, '赵六', {
      placement: { page: 'last', rect: [300, 100, 200, 110] },
      appearance: { handwriting: HANDWRITING },
      crossPageSeal: { width: 100, height: 100 },
    })
    const file = join(dir, 'handwriting-cross.pdf')
    writeFileSync(file, signed)
    assertSignedPdfValid(file, { expected: 1, caFile: root, dir, label: 'handwriting + 骑缝章' })
    for (const page of [1, 2]) {
      const png = renderPage(file, page, DPI, dir)
      const edge = [png.width - 50 * K - 2, 0, png.width, png.height] as const
      expect({ page, red: countRedPixels(png, ...edge) > 200, ink: findInk(png, ...edge).count }).toEqual({ page, red: true, ink: 0 })
    }
  })
})
