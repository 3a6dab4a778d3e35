import { createHash } from 'node:crypto'
import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfDict, PdfName, dict, formatNumber, type PdfValue } from '../pdf/pdf-objects'
import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfReader } from '../pdf/pdf-reader'
import { zlib } from '../pdf/stream-decode'
import type { FontSubset, TrueTypeFont } from '../pdf/truetype-font'
import { pageGeometry, type PageGeometry } from '../signing/page-geometry'
import { err, ok, type DomainError, type Result } from '../shared/result'
import { DEFAULT_PLACEHOLDER_FONT_SIZE, type TemplatePlaceholder } from './template'
import { wrapText } from './wrap-text'

/** Line height as a multiple of the font size. */
const LEADING = 1.25
/** Inner padding of a placeholder box, in points. */
const PADDING = 1
/** The resource name of the font (unlikely to clash with a page's own fonts). */
const FONT_NAME = 'QyTplF1'

export type FillErrorCode = 'TEMPLATE_VALUE_TOO_LONG' | 'TEMPLATE_VALUE_INVALID' | 'NOT_A_PDF'

/** The lines of one placeholder's value laid out in its box (display space), or why it does not fit. */
export function layoutPlaceholder(p: TemplatePlaceholder, value: string, measure: (t: string, size: number) => number): Result<{ lines: string[]; size: number }, DomainError<'TEMPLATE_VALUE_TOO_LONG'>> {
  const size = p.fontSize ?? DEFAULT_PLACEHOLDER_FONT_SIZE
  const [, , w, h] = p.rect
  const lines = wrapText(value, (t) => measure(t, size), w - 2 * PADDING)
  const widest = Math.max(0, ...lines.map((l) => measure(l, size)))
  const height = size + (lines.length - 1) * size * LEADING
  if (widest > w - 2 * PADDING + 0.001 || height > h - 2 * PADDING + 0.001) {
    return err('TEMPLATE_VALUE_TOO_LONG', `「${p.key}」的内容太长，放不进模板中的位置（${lines.length} 行，最多 ${maxLines(h, size)} 行）`, { key: p.key, lines: lines.length, maxLines: maxLines(h, size) })
  }
  return ok({ lines, size })
}

const maxLines = (h: number, size: number): number => Math.max(0, Math.floor((h - 2 * PADDING - size) / (size * LEADING)) + 1)

/**
 * Draw each placeholder's value into `pdf` (unsigned: a template's document) in one incremental
 * update: the text in an embedded subset of the CJK `font` (Type0 / CIDFontType2), wrapped inside
 * its box (Chinese per character, Latin at spaces), top-left aligned. The page's own content is
 * wrapped in `q … Q` so its graphics state cannot move the text; its resources are copied onto the
 * page with the font added (shared resource objects stay untouched). A value that does not fit its
 * box is `TEMPLATE_VALUE_TOO_LONG`, a character the font lacks `TEMPLATE_VALUE_INVALID`, both with
 * the key. Pure and deterministic.
 *
 * @example
 * const filled = fillPlaceholders(pdf, [{ key: '乙方姓名', page: 0, rect: [72, 700, 200, 20] }], { 乙方姓名: '张三' }, font)
 */
export function fillPlaceholders(pdf: Uint8Array, placeholders: TemplatePlaceholder[], values: Record<string, string>, font: TrueTypeFont): Result<Uint8Array, DomainError<FillErrorCode>> {
  for (const p of placeholders) {
    const value = values[p.key] ?? ''
    for (const ch of value) {
      if (ch !== '\n' && ch !== '\r' && !font.glyphId(ch.codePointAt(0) as number)) return err('TEMPLATE_VALUE_INVALID', `「${p.key}」含有无法显示的字符「${ch}」`, { key: p.key })
    }
  }
  const subset = font.subset()
  const laid: { p: TemplatePlaceholder; lines: string[]; size: number }[] = []
  for (const p of placeholders) {
    const value = values[p.key] ?? ''
    if (!value) continue
    const layout = layoutPlaceholder(p, value, (t, size) => subset.width(t, size))
    if (!layout.ok) return layout
    laid.push({ p, ...layout.value })
    for (const line of layout.value.lines) subset.use(line)
  }
  if (laid.length === 0) return ok(pdf)
  let reader: PdfReader
  try {
    reader = PdfReader.open(pdf)
  } catch (e) {
    if (e instanceof PdfFormatError) return err('NOT_A_PDF', '模板文件不是可读的 PDF', { reason: e.code })
    throw e
  }
  const pageCount = reader.pageCount()
  for (const { p } of laid) if (p.page >= pageCount) return err('TEMPLATE_VALUE_INVALID', `「${p.key}」所在的第 ${p.page + 1} 页不存在`, { key: p.key })

  const writer = new IncrementalWriter(reader)
  const fontRef = subset.embed(writer, subsetTag(laid.map((l) => l.lines.join('\n')).join('\u0000')))
  const byPage = new Map<number, typeof laid>()
  for (const l of laid) byPage.set(l.p.page, [...(byPage.get(l.p.page) ?? []), l])
  for (const [index, items] of [...byPage].sort((a, b) => a[0] - b[0])) {
    const pageRef = reader.pageRef(index)
    const page = (reader.dictAt(pageRef) as PdfDict).clone()
    const geometry = pageGeometry(reader, pageRef)
    const saveRef = writer.allocate()
    writer.setStream(saveRef, dict({}), Buffer.from('q\n', 'latin1'))
    const textRef = writer.allocate()
    const content = `Q\nq ${toUserMatrix(geometry).map(formatNumber).join(' ')} cm\n${items.map((l) => draw(l, subset)).join('\n')}\nQ\n`
    writer.setStream(textRef, dict({ Filter: PdfName.of('FlateDecode') }), zlib().deflateSync(Buffer.from(content, 'latin1')))
    const existing = reader.resolve(page.get('Contents'))
    const before: PdfValue[] = existing === undefined ? [] : Array.isArray(existing) ? existing : [page.get('Contents') as PdfValue]
    page.set('Contents', [saveRef, ...before, textRef])
    const resources = reader.dictAt(reader.inherited(page, 'Resources'))?.clone() ?? new PdfDict()
    const fonts = reader.dictAt(resources.get('Font'))?.clone() ?? new PdfDict()
    fonts.set(FONT_NAME, fontRef)
    resources.set('Font', fonts)
    page.set('Resources', resources)
    writer.set(pageRef, page)
  }
  return ok(writer.buildFile())
}

/** The text of one placeholder: lines from the top of its box, in display space. */
function draw(l: { p: TemplatePlaceholder; lines: string[]; size: number }, subset: FontSubset): string {
  const n = (v: number) => formatNumber(Number(v.toFixed(2)))
  const [x, y, , h] = l.p.rect
  const top = y + h - PADDING - l.size * 0.88
  return l.lines
    .map((line, i) => (line ? `BT 0 g /${FONT_NAME} ${n(l.size)} Tf ${n(x + PADDING)} ${n(top - i * l.size * LEADING)} Td ${subset.encode(line)} Tj ET` : ''))
    .filter(Boolean)
    .join('\n')
}

/** The matrix from display space (what a person sees, origin bottom-left) to the page's default user space. */
function toUserMatrix(g: PageGeometry): number[] {
  const [x0, y0, x1, y1] = g.box
  switch (g.rotation) {
    case 90:
      return [0, 1, -1, 0, x1, y0]
    case 180:
      return [-1, 0, 0, -1, x1, y1]
    case 270:
      return [0, -1, 1, 0, x0, y1]
    default:
      return [1, 0, 0, 1, x0, y0]
  }
}

function subsetTag(seed: string): string {
  const h = createHash('sha256').update(`template:${seed}`).digest()
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
}
