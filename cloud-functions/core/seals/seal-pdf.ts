import { createHash } from 'node:crypto'
import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfDict, PdfName, PdfRef, dict, formatNumber } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import type { FontSubset } from '../pdf/truetype-font'
import { appearanceMatrix } from '../signing/page-geometry'
import type { SignatureAppearance, WidgetAppearanceRequest } from '../signing/prepare-signature'
import { drawingText, type Drawing, type Rgb, type SealFont } from './drawing'

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4

const f = formatNumber
const n = (v: number) => f(Math.round(v * 10000) / 10000)
const rgb = (c: Rgb) => `${n(c[0] / 255)} ${n(c[1] / 255)} ${n(c[2] / 255)} rg`

/**
 * PDF content-stream operators (ISO 32000-1 §8.5, §9.4) that draw `drawing` into the box
 * (x, y, w, h) in points, keeping its aspect ratio and centring it. Paths are filled with the
 * non-zero rule (`f`); each character is shown through its own text matrix (`Tm`) in font
 * `fontName` at size 1, so the page carries real, extractable text (ToUnicode) in vector form.
 * Every character must have been registered with `subset.use` before the subset was frozen.
 */
export function sealContent(drawing: Drawing, subset: FontSubset | undefined, fontName: string, box: { x: number; y: number; w: number; h: number }): string {
  const k = Math.min(box.w / drawing.width, box.h / drawing.height)
  const tx = box.x + (box.w - drawing.width * k) / 2
  const ty = box.y + (box.h - drawing.height * k) / 2
  let out = `q ${n(k)} 0 0 ${n(k)} ${n(tx)} ${n(ty)} cm\n`
  let color = ''
  for (const s of drawing.shapes) {
    const c = rgb(s.color)
    if (c !== color) {
      out += c + '\n'
      color = c
    }
    if (s.type === 'path') {
      for (const op of s.ops) {
        if (op[0] === 'M') out += `${n(op[1])} ${n(op[2])} m `
        else if (op[0] === 'L') out += `${n(op[1])} ${n(op[2])} l `
        else if (op[0] === 'C') out += `${n(op[1])} ${n(op[2])} ${n(op[3])} ${n(op[4])} ${n(op[5])} ${n(op[6])} c `
        else out += 'h '
      }
      out += 'f\n'
    } else {
      if (!subset) throw new Error('a drawing with text needs a font subset')
      const m = s.matrix
      out += `BT /${fontName} 1 Tf ${n(m[0])} ${n(m[1])} ${n(m[2])} ${n(m[3])} ${n(m[4])} ${n(m[5])} Tm ${subset.encode(s.char)} Tj ET\n`
    }
  }
  return out + 'Q\n'
}

/** Six uppercase letters derived from the content, as subset fonts are tagged (§9.6.4). */
function subsetTag(seed: string): string {
  const h = createHash('sha256').update(seed).digest()
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
}

/** Embeds the subset of `font` that `drawing` uses; `undefined` when it has no text. */
function embedFont(writer: IncrementalWriter, drawing: Drawing, font: SealFont): { subset?: FontSubset; ref?: PdfRef } {
  const text = drawingText(drawing)
  if (!text) return {}
  const subset = font.font.subset()
  subset.use(text)
  return { subset, ref: subset.embed(writer, subsetTag(text)) }
}

/**
 * A signature appearance (for `signPdf`'s `appearance`) that draws a vector seal: the seal fills
 * the widget, centred; on cross-page strips (骑缝章) each strip shows its vertical slice of the
 * seal drawn across all strips, as SIGNING.md §7 describes. The font subset is embedded once per
 * revision and shared by every widget; on rotated pages the seal stays upright for the reader.
 *
 * @example
 * const appearance = createSealAppearance({ drawing, font })
 * await signPdf(pdf, { ...options, placement: { page: 0, rect: [380, 60, 120, 120] }, appearance })
 */
export function createSealAppearance(o: { drawing: Drawing; font: SealFont }): SignatureAppearance {
  let embedded: { subset?: FontSubset; ref?: PdfRef } | undefined
  return {
    async build(writer, _reader, req: WidgetAppearanceRequest) {
      embedded ??= embedFont(writer, o.drawing, o.font)
      let content: string
      if (req.kind === 'strip') {
        const { index, count } = req.strip ?? { index: 0, count: 1 }
        const fullW = req.width * count
        content = `q 0 0 ${n(req.width)} ${n(req.height)} re W n\n` + sealContent(o.drawing, embedded.subset, 'S1', { x: -index * req.width, y: 0, w: fullW, h: req.height }) + 'Q\n'
      } else {
        content = sealContent(o.drawing, embedded.subset, 'S1', { x: 0, y: 0, w: req.width, h: req.height })
      }
      const ref = writer.allocate()
      const form = dict({
        Type: PdfName.of('XObject'),
        Subtype: PdfName.of('Form'),
        BBox: [0, 0, Number(n(req.width)), Number(n(req.height))],
        Resources: dict({ Font: embedded.ref ? dict({ S1: embedded.ref }) : dict({}) }),
      })
      // On a rotated page the appearance is drawn upright (display space) and turned by /Matrix.
      const m = appearanceMatrix(req.rotation ?? 0)
      if (m) form.set('Matrix', m)
      writer.setStream(ref, form, Buffer.from(content, 'latin1'))
      return ref
    },
  }
}

/**
 * A one-page PDF showing `drawing` at its real size (millimetres → points) with `marginMm` around
 * it: the vector form of a seal, for download and printing. Deterministic (no dates, no ids).
 */
export function drawingToPdf(drawing: Drawing, font: SealFont, marginMm = 2): Uint8Array {
  const w = (drawing.width + 2 * marginMm) * PT_PER_MM
  const h = (drawing.height + 2 * marginMm) * PT_PER_MM
  const base = minimalPdf(Number(n(w)), Number(n(h)))
  const reader = PdfReader.open(base)
  const writer = new IncrementalWriter(reader)
  const { subset, ref } = embedFont(writer, drawing, font)
  const content = sealContent(drawing, subset, 'S1', { x: marginMm * PT_PER_MM, y: marginMm * PT_PER_MM, w: drawing.width * PT_PER_MM, h: drawing.height * PT_PER_MM })
  const contentRef = writer.allocate()
  writer.setStream(contentRef, new PdfDict(), Buffer.from(content, 'latin1'))
  const pageRef = reader.pageRef(0)
  const page = (reader.dictAt(pageRef) as PdfDict).clone()
  page.set('Contents', contentRef)
  page.set('Resources', dict({ Font: ref ? dict({ S1: ref }) : dict({}) }))
  writer.set(pageRef, page)
  const update = writer.build()
  return Buffer.concat([base, update.appended])
}

/** An empty one-page PDF with a classic cross-reference table. */
function minimalPdf(w: number, h: number): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${f(w)} ${f(h)}] /Resources << >> >>`,
  ]
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n\r\n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}
