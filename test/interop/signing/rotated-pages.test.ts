/**
 * Pages with /Rotate 90, 180, 270 (written as -90) and crop boxes that do not start at 0 0: stamps,
 * explicit rectangles, cross-page seal (骑缝章) strips and prepared fields are placed in the
 * displayed orientation and drawn upright. Judged by pdftoppm pixels of the pages as displayed
 * (crop box, rotation applied), with a seal that is red only in its top 40 %: if a stamp were drawn
 * turned, its red would not be in the upper half of where it shows.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib'
import { PNG } from 'pngjs'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { pageGeometry, type PageGeometry } from '../../../cloud-functions/core/signing/page-geometry'
import { prepareDocument } from '../../../cloud-functions/core/signing/prepare-document'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { assertSignedPdfValid, countDarkPixels, countRedPixels, renderPage, requireTools, tempDir } from '../../support/pdf-tools'

jest.setTimeout(180_000)

type Rect = [number, number, number, number]

/** The pages under test: rotation and crop box (A4 media box). */
const PAGES: Array<{ rotate: number; crop?: Rect }> = [
  { rotate: 0 },
  { rotate: 90 },
  { rotate: 180 },
  { rotate: -90 },
  { rotate: 0, crop: [60, 90, 540, 760] },
  { rotate: 90, crop: [40, 50, 560, 800] },
]
const STAMP = { width: 150, height: 90, margin: 36 }
const STRIP = { width: 120, height: 120 }

let pki: PdfTestPki
let dir: string
let rotated: Buffer
/** 200×200, red in the top 40 % only, transparent below. */
let topRedSeal: Buffer

beforeAll(async () => {
  requireTools('pdftoppm', 'pdfsig', 'qpdf', 'openssl')
  dir = tempDir('qianyue-rotated-')
  pki = await createPdfTestPki()
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  PAGES.forEach((p, i) => {
    const page = doc.addPage([595, 842])
    page.drawText(`Page ${i + 1}: /Rotate ${p.rotate}${p.crop ? `, CropBox [${p.crop.join(' ')}]` : ''}`, { x: 80, y: 700, size: 14, font })
    page.setRotation(degrees(p.rotate))
    if (p.crop) page.setCropBox(p.crop[0], p.crop[1], p.crop[2] - p.crop[0], p.crop[3] - p.crop[1])
  })
  rotated = Buffer.from(await doc.save({ useObjectStreams: false }))
  const png = new PNG({ width: 200, height: 200 })
  for (let y = 0; y < 80; y++) {
    for (let x = 10; x < 190; x++) png.data.set([220, 20, 20, 255], (y * 200 + x) * 4)
  }
  topRedSeal = PNG.sync.write(png)
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A display-space rectangle as a pixel box of the page rendered at 72 dpi with its crop box. */
function pixelBox(g: PageGeometry, [x, y, w, h]: Rect): Rect {
  return [x, g.height - y - h, x + w, g.height - y]
}

function geometries(pdf: Uint8Array): PageGeometry[] {
  const r = PdfReader.open(pdf)
  return PAGES.map((_, i) => pageGeometry(r, r.pageRef(i)))
}

/** Red pixels inside `box` and outside every box of `allowed`; and the red in the box's upper and lower halves. */
function redLayout(png: PNG, box: Rect, allowed: Rect[]): { inside: number; upper: number; lower: number; stray: number } {
  const [x0, y0, x1, y1] = box
  const mid = (y0 + y1) / 2
  const upper = countRedPixels(png, x0, y0, x1, mid)
  const lower = countRedPixels(png, x0, mid, x1, y1)
  let stray = countRedPixels(png, 0, 0, png.width, png.height)
  for (const a of allowed) stray -= countRedPixels(png, a[0] - 1, a[1] - 1, a[2] + 1, a[3] + 1)
  return { inside: upper + lower, upper, lower, stray }
}

describe('rotated pages and crop box offsets', () => {
  it('reads the displayed size of each page', () => {
    const g = geometries(rotated)
    expect(g.map((x) => [x.rotation, x.width, x.height])).toEqual([
      [0, 595, 842],
      [90, 842, 595],
      [180, 595, 842],
      [270, 842, 595],
      [0, 480, 670],
      [90, 750, 520],
    ])
  })

  it('puts default stamps at the bottom right of each displayed page, explicit rects in display space and 骑缝章 strips at every right edge, all upright', async () => {
    let pdf = rotated
    for (let i = 0; i < PAGES.length; i++) {
      pdf = await signAs(pki, pdf, `签署人${i + 1}`, { placement: { page: i }, appearance: { seal: topRedSeal } })
    }
    const explicit: Rect = [60, 300, 120, 100]
    pdf = await signAs(pki, pdf, '显式甲', { placement: { page: 1, rect: explicit }, appearance: { seal: topRedSeal } })
    pdf = await signAs(pki, pdf, '显式乙', { placement: { page: 5, rect: explicit }, appearance: { seal: topRedSeal } })
    pdf = await signAs(pki, pdf, '骑缝', {
      placement: { page: 0, rect: [60, 60, 120, 100] },
      appearance: { seal: topRedSeal },
      crossPageSeal: STRIP,
    })
    const file = join(dir, 'rotated-signed.pdf')
    writeFileSync(file, pdf)
    assertSignedPdfValid(file, { expected: PAGES.length + 3, caFile: pki.writeRoot(dir), dir, label: 'rotated pages' })

    const g = geometries(pdf)
    const stripW = STRIP.width / PAGES.length
    for (let i = 0; i < PAGES.length; i++) {
      const png = renderPage(file, i + 1, 72, dir, { cropBox: true })
      expect({ page: i + 1, size: [png.width, png.height] }).toEqual({ page: i + 1, size: [Math.round(g[i].width), Math.round(g[i].height)] })
      const stamp = pixelBox(g[i], [g[i].width - STAMP.margin - STAMP.width, STAMP.margin, STAMP.width, STAMP.height])
      const strip = pixelBox(g[i], [g[i].width - stripW, (g[i].height - STRIP.height) / 2, stripW, STRIP.height])
      const extra = i === 1 || i === 5 ? [pixelBox(g[i], explicit)] : i === 0 ? [pixelBox(g[i], [60, 60, 120, 100])] : []
      const allowed = [stamp, strip, ...extra]
      const s = redLayout(png, stamp, allowed)
      // Stamp: in place, upright (the seal's red top is in the upper half), nothing red elsewhere.
      expect({ page: i + 1, inPlace: s.inside > 400, upright: s.upper > 400 && s.lower < 20, stray: s.stray < 30 }).toEqual({
        page: i + 1,
        inPlace: true,
        upright: true,
        stray: true,
      })
      // Strip: one slice of the seal at the right edge, red at its top.
      const t = redLayout(png, strip, allowed)
      expect({ page: i + 1, strip: t.inside > 60, upright: t.upper > 60 && t.lower < 10 }).toEqual({ page: i + 1, strip: true, upright: true })
      for (const e of extra) {
        const x = redLayout(png, e, allowed)
        expect({ page: i + 1, explicit: x.inside > 300, upright: x.upper > 300 && x.lower < 20 }).toEqual({ page: i + 1, explicit: true, upright: true })
      }
    }
  })

  it('places fields prepared at send time in display space and fills them upright', async () => {
    const slot: Rect = [300, 80, 150, 90]
    const dateRect: Rect = [100, 150, 220, 30]
    const { bytes } = await prepareDocument(rotated, {
      signers: [{ fieldName: '甲方', page: 1, rect: slot, crossPageSeal: STRIP }],
      fields: [{ name: '签署日期', type: 'text', page: 3, rect: dateRect }],
    })
    const signed = await signAs(pki, bytes, '甲方', {
      fieldName: '甲方',
      placement: { page: 1 },
      appearance: { seal: topRedSeal, fieldValues: { 签署日期: '2027-03-18' } },
    })
    const file = join(dir, 'rotated-prepared.pdf')
    writeFileSync(file, signed)
    assertSignedPdfValid(file, { expected: 1, caFile: pki.writeRoot(dir), dir, label: 'rotated prepared' })
    const g = geometries(signed)
    const stripW = STRIP.width / PAGES.length
    for (let i = 0; i < PAGES.length; i++) {
      const png = renderPage(file, i + 1, 72, dir, { cropBox: true })
      const strip = pixelBox(g[i], [g[i].width - stripW, (g[i].height - STRIP.height) / 2, stripW, STRIP.height])
      const allowed = i === 1 ? [strip, pixelBox(g[i], slot)] : [strip]
      const t = redLayout(png, strip, allowed)
      expect({ page: i + 1, strip: t.inside > 60, upright: t.upper > 60 && t.lower < 10, stray: t.stray < 30 }).toEqual({ page: i + 1, strip: true, upright: true, stray: true })
      if (i === 1) {
        const s = redLayout(png, pixelBox(g[i], slot), allowed)
        expect({ upright: s.upper > 400 && s.lower < 20 }).toEqual({ upright: true })
      }
      if (i === 3) {
        // The date text is drawn inside its field, left-aligned and vertically centred as displayed:
        // ink in the left part of the box, none in its right third.
        const [x0, y0, x1, y1] = pixelBox(g[i], dateRect)
        expect(countDarkPixels(png, x0, y0, x0 + (x1 - x0) / 2, y1)).toBeGreaterThan(60)
        expect(countDarkPixels(png, x0 + ((x1 - x0) * 2) / 3, y0, x1, y1)).toBe(0)
      }
    }
    expect(readFileSync(file).length).toBe(signed.length)
  })
})
