import { createHash } from 'node:crypto'
import type { IncrementalWriter } from '../pdf/incremental-writer'
import { embedPng } from '../pdf/png-image'
import { TrueTypeFont } from '../pdf/truetype-font'
import { PdfDict, PdfName, PdfRef, PdfString, dict, formatNumber, type PdfValue } from '../pdf/pdf-objects'
import type { PdfReader } from '../pdf/pdf-reader'
import { appearanceMatrix, displaySize, widgetRotation, type PageRotation } from './page-geometry'
import type { SignatureAppearance, WidgetAppearanceRequest } from './prepare-signature'

export type AppearanceOptions = {
  /** Shown under the image: the signer's name. */
  signerName: string
  /** Shown under the name, e.g. "2026-11-30 10:15". */
  dateText: string
  /**
   * TrueType font with CJK glyphs (embedded as a subset, Type0/CIDFontType2): its bytes, or a
   * {@link TrueTypeFont} read through a FontSource (reads only the tables and glyphs used).
   */
  font: Uint8Array | TrueTypeFont
  /** Seal image (PNG, or its `serializePdfReadyImage` bytes; alpha becomes an SMask). Also what the cross-page seal strips show. */
  seal?: Uint8Array
  /**
   * Handwritten signature image (PNG with alpha: the strokes on a transparent background). Drawn in
   * place of the generated name stamp, or beside the seal when both are given; never on the
   * cross-page strips (those show the seal, or the generated stamp).
   */
  handwriting?: Uint8Array
  /** Label before the name; default "签署人：". */
  nameLabel?: string
  /**
   * Values for the text/date/checkbox fields this signer fills, by field name; written (`/V`) and
   * rendered (`/AP`) in the same revision as the signature, so the signature covers them.
   */
  fieldValues?: Record<string, string | boolean>
}

type EmbeddedImage = { ref: PdfRef; aspect: number; name: string }

/** What one revision embeds once and every appearance shares: the font subset and the images. */
type EmbeddedParts = {
  fontName: string
  fontRef: PdfRef
  /** The seal image (`/Im1`). */
  seal?: EmbeddedImage
  /** The handwriting image (`/Im2`). */
  handwriting?: EmbeddedImage
  encode(text: string): string
  width(text: string, size: number): number
}

const RED = '0.82 0.1 0.1'

/**
 * Builds signature appearances (ISO 32000-1 §12.7.3.3, §12.5.5): a form XObject holding the seal
 * image, the handwriting image (or both side by side), or a generated red name stamp, with the
 * signer's name and date in Chinese under it, in an embedded subset CJK font. Cross-page strips show
 * one vertical slice of the same seal each. The font and images are embedded once per revision and
 * shared by all widgets. On a rotated page the appearance is drawn upright in display space and
 * turned by its `/Matrix` (see page-geometry.ts).
 */
export function createSignatureAppearance(o: AppearanceOptions): SignatureAppearance {
  let parts: EmbeddedParts | undefined
  const label = o.nameLabel ?? '签署人：'
  const nameLine = label + o.signerName
  const stampText = o.signerName.length > 4 ? o.signerName.slice(0, 4) : o.signerName
  const stampTitle = '签章'
  const valueTexts = Object.values(o.fieldValues ?? {}).filter((v): v is string => typeof v === 'string')
  const allTexts = [nameLine, o.dateText, stampText, stampTitle, ...valueTexts]
  return {
    async extraObjects(writer, reader) {
      if (!o.fieldValues || Object.keys(o.fieldValues).length === 0) return
      if (!parts) parts = embedParts(writer, o, allTexts)
      return { appearancesComplete: writeFieldValues(writer, reader, parts, o.fieldValues) }
    },
    async build(writer, _reader, req) {
      if (!parts) parts = embedParts(writer, o, allTexts)
      const ref = writer.allocate()
      const content = req.kind === 'strip' ? stripContent(parts, req, stampText) : mainContent(parts, req, nameLine, o.dateText, stampText)
      const xobjects = dict({})
      for (const img of [parts.seal, parts.handwriting]) if (img) xobjects.set(img.name, img.ref)
      writer.setStream(ref, formXObject(req.width, req.height, req.rotation, dict({ Font: dict({ [parts.fontName]: parts.fontRef }), XObject: xobjects })), Buffer.from(content, 'latin1'))
      return ref
    },
  }
}

/** A form XObject dictionary for an appearance `width`×`height` as displayed, turned for a rotated page. */
function formXObject(width: number, height: number, rotation: PageRotation | undefined, resources: PdfDict): PdfDict {
  const d = dict({ Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: [0, 0, round(width), round(height)], Resources: resources })
  const m = appearanceMatrix(rotation ?? 0)
  if (m) d.set('Matrix', m)
  return d
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
const f = formatNumber

function embedParts(writer: IncrementalWriter, o: AppearanceOptions, texts: string[]): EmbeddedParts {
  const subset = (o.font instanceof TrueTypeFont ? o.font : TrueTypeFont.parse(o.font)).subset()
  for (const t of texts) subset.use(t)
  const fontRef = subset.embed(writer, subsetTag(texts.join('')))
  const image = (png: Uint8Array | undefined, name: string, what: string): EmbeddedImage | undefined => {
    if (!png) return undefined
    let img: ReturnType<typeof embedPng>
    try {
      img = embedPng(writer, png)
    } catch (e) {
      throw new Error(`the ${what} image cannot be used: ${(e as Error).message}`, { cause: e })
    }
    return { ref: img.ref, aspect: img.width / img.height, name }
  }
  return {
    fontName: 'F1',
    fontRef,
    seal: image(o.seal, 'Im1', 'seal'),
    handwriting: image(o.handwriting, 'Im2', 'handwriting'),
    encode: (t) => subset.encode(t),
    width: (t, size) => subset.width(t, size),
  }
}

/** Six uppercase letters derived from the content, as subset fonts are tagged (§9.6.4). */
function subsetTag(seed: string): string {
  const h = createHash('sha256').update(seed).digest()
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
}

/** Text drawn centered at baseline y. */
function centeredText(p: EmbeddedParts, text: string, size: number, cx: number, y: number, color = '0 0 0'): string {
  const w = p.width(text, size)
  return `BT ${color} rg /${p.fontName} ${f(size)} Tf ${f(cx - w / 2)} ${f(y)} Td ${p.encode(text)} Tj ET\n`
}

/** An image drawn into the box (x, y, w, h), centred, keeping its aspect ratio. */
function imageDrawing(img: EmbeddedImage, x: number, y: number, w: number, h: number): string {
  let dw = w
  let dh = w / img.aspect
  if (dh > h) {
    dh = h
    dw = h * img.aspect
  }
  return `q ${f(dw)} 0 0 ${f(dh)} ${f(x + (w - dw) / 2)} ${f(y + (h - dh) / 2)} cm /${img.name} Do Q\n`
}

/** The seal (image or generated stamp) drawn into the box (x, y, w, h), keeping its aspect ratio. */
function sealDrawing(p: EmbeddedParts, x: number, y: number, w: number, h: number, stampText: string): string {
  if (p.seal) return imageDrawing(p.seal, x, y, w, h)
  // Generated name stamp: a red square frame with the name, in the manner of a personal seal.
  const side = Math.min(w, h)
  const sx = x + (w - side) / 2
  const sy = y + (h - side) / 2
  const border = Math.max(1, side * 0.06)
  let out = `q ${RED} RG ${f(border)} w ${f(sx + border / 2)} ${f(sy + border / 2)} ${f(side - border)} ${f(side - border)} re S Q\n`
  const chars = [...stampText]
  if (chars.length <= 2) {
    const size = Math.min(side * 0.55, (side * 0.8) / Math.max(1, chars.length))
    out += centeredText(p, stampText, size, sx + side / 2, sy + side / 2 - size * 0.35, RED)
  } else {
    // Two columns, read right to left, top to bottom (traditional seal layout).
    const size = side * 0.36
    const cols = [chars.slice(0, Math.ceil(chars.length / 2)), chars.slice(Math.ceil(chars.length / 2))]
    cols.forEach((col, ci) => {
      const cx = sx + side * (ci === 0 ? 0.72 : 0.28)
      col.forEach((ch, ri) => {
        out += centeredText(p, ch, size, cx, sy + side * (ri === 0 ? 0.56 : 0.16), RED)
      })
    })
  }
  return out
}

function mainContent(p: EmbeddedParts, req: WidgetAppearanceRequest, nameLine: string, dateText: string, stampText: string): string {
  const { width: w, height: h } = req
  const textSize = Math.max(5, Math.min(9, h / 9, (w * 0.95) / Math.max(1, [...nameLine].length)))
  const textBlock = textSize * 2.6
  const imgY = textBlock
  const imgH = Math.max(1, h - textBlock - 2)
  let out: string
  if (p.handwriting && p.seal) {
    // Seal on the left, handwriting on the right, as a company seal beside its representative's signature.
    const half = (w - 4) / 2
    out = sealDrawing(p, 2, imgY, half, imgH, stampText) + imageDrawing(p.handwriting, 2 + half, imgY, half, imgH)
  } else if (p.handwriting) {
    out = imageDrawing(p.handwriting, 2, imgY, w - 4, imgH)
  } else {
    out = sealDrawing(p, 2, imgY, w - 4, imgH, stampText)
  }
  out += centeredText(p, nameLine, textSize, w / 2, textSize * 1.45)
  out += centeredText(p, dateText, textSize, w / 2, textSize * 0.3)
  return out
}

/** Strip i of N: the whole seal drawn N strips wide, shifted left by i strips and clipped to one. */
function stripContent(p: EmbeddedParts, req: WidgetAppearanceRequest, stampText: string): string {
  const { index, count } = req.strip ?? { index: 0, count: 1 }
  const fullW = req.width * count
  const side = Math.min(fullW, req.height)
  const sealX = (fullW - side) / 2 - index * req.width
  return `q 0 0 ${f(req.width)} ${f(req.height)} re W n\n` + sealDrawing(p, sealX, (req.height - side) / 2, side, side, stampText) + 'Q\n'
}

/** Finds terminal fields by full name: `{ ref, dict, widgets }`. */
function findFields(reader: PdfReader): Map<string, { ref: PdfRef; dict: PdfDict; widgets: PdfRef[] }> {
  const out = new Map<string, { ref: PdfRef; dict: PdfDict; widgets: PdfRef[] }>()
  const form = reader.dictAt(reader.catalog().get('AcroForm'))
  const fields = form ? reader.resolve(form.get('Fields')) : undefined
  // Each object once: a field tree whose kids list their parent would otherwise branch 2^32 ways.
  const seen = new Set<number>()
  const walk = (v: PdfValue, prefix: string, depth: number): void => {
    if (!(v instanceof PdfRef) || depth > 32 || seen.has(v.num)) return
    seen.add(v.num)
    const d = reader.dictAt(v)
    if (!d) return
    const t = d.get('T')
    const name = t instanceof PdfString ? (prefix ? `${prefix}.${t.toText()}` : t.toText()) : prefix
    const kids = reader.resolve(d.get('Kids'))
    const kidFields = Array.isArray(kids) ? kids.filter((k) => reader.dictAt(k)?.has('T')) : []
    if (kidFields.length) {
      for (const k of kidFields) walk(k, name, depth + 1)
      return
    }
    const widgets = Array.isArray(kids) ? kids.filter((k): k is PdfRef => k instanceof PdfRef) : [v]
    out.set(name, { ref: v, dict: d, widgets })
  }
  if (Array.isArray(fields)) for (const f of fields) walk(f, '', 0)
  return out
}

/**
 * Writes the values and their appearances. Returns true when every visible widget of the form has an
 * appearance stream afterwards (the caller may then clear `/NeedAppearances`).
 */
function writeFieldValues(writer: IncrementalWriter, reader: PdfReader, p: EmbeddedParts, values: Record<string, string | boolean>): boolean {
  const fields = findFields(reader)
  const filled = new Set<number>()
  for (const [name, value] of Object.entries(values)) {
    const fld = fields.get(name)
    if (!fld) throw new Error(`the document has no field named "${name}"`)
    const ft = fld.dict.name('FT')
    const field = fld.dict.clone()
    const isCheckbox = ft === 'Btn'
    if (isCheckbox !== (typeof value === 'boolean')) {
      throw new Error(`field "${name}" is ${isCheckbox ? 'a checkbox (give true/false)' : 'a text field (give a string)'}`)
    }
    if (isCheckbox) field.set('V', PdfName.of(value ? 'Yes' : 'Off'))
    else field.set('V', PdfString.text(value as string))
    for (const wRef of fld.widgets) {
      const w = wRef.num === fld.ref.num ? field : (reader.dictAt(wRef) as PdfDict).clone()
      const rect = ((reader.resolve(w.get('Rect')) as number[]) ?? [0, 0, 0, 0]).map(Number)
      const rotation = widgetRotation(reader, w)
      const { width, height } = displaySize(rect, rotation)
      const res = dict({ Font: dict({ [p.fontName]: p.fontRef }) })
      const xobj = (content: string): PdfRef => {
        const ref = writer.allocate()
        writer.setStream(ref, formXObject(width, height, rotation, res), Buffer.from(content, 'latin1'))
        return ref
      }
      if (isCheckbox) {
        const s = Math.min(width, height)
        const on = xobj(`q 0 g ${f(s * 0.08)} w ${f(s * 0.2)} ${f(s * 0.5)} m ${f(s * 0.42)} ${f(s * 0.22)} l ${f(s * 0.82)} ${f(s * 0.8)} l S Q\n`)
        const off = xobj('')
        w.set('AP', dict({ N: dict({ Yes: on, Off: off }) }))
        w.set('AS', PdfName.of(value ? 'Yes' : 'Off'))
      } else {
        const text = value as string
        const size = Math.max(4, Math.min(11, height * 0.7, (width - 4) / Math.max(1, p.width(text, 1))))
        w.set('AP', dict({ N: xobj(`/Tx BMC q BT 0 g /${p.fontName} ${f(size)} Tf 2 ${f((height - size) / 2 + size * 0.15)} Td ${p.encode(text)} Tj ET Q EMC\n`) }))
      }
      writer.set(wRef, w)
      filled.add(wRef.num)
    }
    if (!fld.widgets.some((w) => w.num === fld.ref.num)) writer.set(fld.ref, field)
  }
  for (const fld of fields.values()) {
    for (const wRef of fld.widgets) {
      if (filled.has(wRef.num)) continue
      const w = reader.dictAt(wRef)
      const rect = w ? reader.resolve(w.get('Rect')) : undefined
      const visible = Array.isArray(rect) && rect.length === 4 && Number(rect[0]) !== Number(rect[2]) && Number(rect[1]) !== Number(rect[3])
      if (visible && !w?.has('AP')) return false
    }
  }
  return true
}
