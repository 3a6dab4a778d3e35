import { createHash } from 'node:crypto'
import { blankPage, blankPageRef, blankPdf } from '../pdf/blank-pdf'
import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfName, PdfString, dict, formatNumber, literalStringByte } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import { zlib } from '../pdf/stream-decode'
import type { FontSubset, TrueTypeFont } from '../pdf/truetype-font'
import { pdfDate } from '../signing/signature-placeholder'
import { qrContent } from '../signing/verify-stamp'

/** One block of a report: a section heading, a paragraph, label–value pairs, or a table. */
export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'pairs'; rows: Array<[string, string]> }
  | { kind: 'table'; columns: Array<{ title: string; width: number }>; rows: string[][]; empty?: string }

/**
 * A report as data: a title page (title, subtitle, label–value pairs, a QR code with its caption,
 * a closing statement), then the blocks, laid out on A4 pages with a running footer and page
 * numbers (第 n 页 / 共 N 页). `info` goes to the document information dictionary (string values;
 * custom keys allowed, e.g. a machine-readable summary a verifier reads back).
 */
export type ReportDocument = {
  title: string
  subtitle?: string
  cover: Array<[string, string]>
  qr?: { url: string; caption: string }
  statement?: string
  blocks: ReportBlock[]
  footer: string
  info: Record<string, string>
  createdAt: Date
  /**
   * The characters the report's own wording uses (labels, headings, statements; not names or titles).
   * They are drawn from a subset of the font that is built, and its program deflated, once per font
   * and text, shared by every report; the document's other characters go into a small subset of its own.
   */
  commonText?: string
}

const PAGE = { width: 595.28, height: 841.89 }
const MARGIN = { x: 48, top: 56, bottom: 56 }
const BODY = 8.5
const LINE = BODY * 1.45
const PAD = 3.5
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN.x

type Op = { text: string; size: number; x: number; y: number; gray?: number } | { rect: [number, number, number, number]; fill?: number; stroke?: boolean } | { raw: string }

/**
 * Lay out `doc` and write it as an unsigned PDF: `blankPdf` writes the empty pages, then one
 * incremental revision adds every page's content in embedded subsets of the CJK `font` (the same
 * two steps as the authorisation letter): one subset of `doc.commonText` shared by every report,
 * one of the document's other characters. Pure and deterministic for equal input; sign it
 * afterwards through the signing engine.
 *
 * Text is measured and encoded by code point through typed arrays kept per font and common subset
 * (not a string and a map lookup per character), the common subset's glyphs go into literal strings
 * (two bytes a glyph, half the hex form's), and each page sets its grey and font only when they
 * change: about a quarter less CPU per report than before (2.1–2.4 against 1.5–1.8 ms, measured
 * alone on the bench's two-party report, 2026-12-07).
 *
 * @example
 * const pdf = await renderReportPdf({ title: '证据报告', cover: [['合同编号', id]], blocks, footer: id, info: {}, createdAt }, font)
 */
export async function renderReportPdf(doc: ReportDocument, font: TrueTypeFont): Promise<Uint8Array> {
  const shared = doc.commonText ? commonSubset(font, doc.commonText) : undefined
  const fonts: Fonts = { common: shared?.subset, commonGids: shared?.gids, own: font.subset() }
  const pages = layout(doc, fonts)
  const total = pages.length
  for (let i = 0; i < total; i++) {
    const ops = pages[i]!
    const label = `第 ${i + 1} 页 / 共 ${total} 页`
    ops.push({ text: doc.footer, size: 7.5, x: MARGIN.x, y: MARGIN.bottom - 24, gray: 0.35 })
    ops.push({ text: label, size: 7.5, x: PAGE.width - MARGIN.x - textWidth(fonts, label, 7.5), y: MARGIN.bottom - 24, gray: 0.35 })
    ops.push({ rect: [MARGIN.x, MARGIN.bottom - 12, CONTENT_WIDTH, 0.4], fill: 0.7 })
  }
  for (const ops of pages) for (const op of ops) if ('text' in op) useOwn(fonts, op.text)

  const created = PdfString.latin1(pdfDate(doc.createdAt))
  const baseBytes = blankPdf(total, PAGE.width, PAGE.height, { Producer: PdfString.latin1('Qianyue'), CreationDate: created, ModDate: created })
  const reader = PdfReader.open(baseBytes)
  const writer = new IncrementalWriter(reader)
  const resources = dict({})
  if (fonts.common) resources.set('F1', fonts.common.embed(writer, subsetTag(`common:${doc.commonText}`)))
  if (!fonts.common || !fonts.own.empty) resources.set(fonts.common ? 'F2' : 'F1', fonts.own.embed(writer, subsetTag(doc.footer + doc.createdAt.toISOString())))
  for (let i = 0; i < total; i++) {
    let content = ''
    const pen: Pen = { gray: '', font: '' }
    for (const op of pages[i]!) content += draw(op, fonts, pen) + '\n'
    const contentRef = writer.allocate()
    // zlib's fastest level: the page streams are text operators that it shrinks about as well (a fifth more bytes, a third of the time).
    writer.setStream(contentRef, dict({ Filter: PdfName.of('FlateDecode') }), zlib().deflateSync(Buffer.from(content, 'latin1'), { level: 1 }))
    const pageRef = blankPageRef(i)
    const page = blankPage(PAGE.width, PAGE.height)
    page.set('Contents', contentRef)
    page.set('Resources', dict({ Font: resources }))
    writer.set(pageRef, page)
  }
  writer.setInfo(Object.fromEntries([['Title', doc.title], ...Object.entries(doc.info)].map(([k, v]) => [k, PdfString.text(v)])))
  return writer.buildFile()
}

/**
 * The subsets a report draws with: `common` (font F1) when the document names its common text, and
 * its own (F2 then, else F1); `commonGids` answers, by code point, which glyph drawing shows for
 * each character (see {@link commonSubset}); widths come from the font's `codePointAdvance`.
 */
type Fonts = { common?: FontSubset; commonGids?: Int32Array; own: FontSubset }

/** The text state a page's content has set so far (`g` and `Tf` persist across `BT … ET`; rectangles and the QR code are drawn inside `q … Q`). */
type Pen = { gray: string; font: string }

/** Per font, the frozen subset of each common text (a handful at most: the texts are constants), with its glyph ids by code point. */
const commonSubsets = new WeakMap<TrueTypeFont, Map<string, { subset: FontSubset; gids: Int32Array }>>()
const COMMON_TEXTS_KEPT = 8

/**
 * The shared subset of `text`, and its new glyph id of each Basic Multilingual Plane code point:
 * 0 not looked up yet, −1 not in the subset, else the id + 1. A lookup in a typed array instead of
 * a string per character and a map keyed by it: a report draws thousands of characters.
 */
function commonSubset(font: TrueTypeFont, text: string): { subset: FontSubset; gids: Int32Array } {
  let byText = commonSubsets.get(font)
  if (!byText) commonSubsets.set(font, (byText = new Map()))
  let shared = byText.get(text)
  if (!shared) {
    if (byText.size >= COMMON_TEXTS_KEPT) byText.clear()
    const subset = font.subset()
    subset.use(text)
    shared = { subset, gids: new Int32Array(0x10000) }
    byText.set(text, shared)
  }
  return shared
}

/** Width of `text` at `size` points: what `FontSubset.width` gives. */
function textWidth(fonts: Fonts, text: string, size: number): number {
  let w = 0
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!
    w += fonts.own.font.codePointAdvance(cp)
    i += cp > 0xffff ? 2 : 1
  }
  return (w * size) / 1000
}

/** The common subset's glyph id of `cp`, or −1 when that subset does not draw it (`FontSubset.code`, kept by code point). */
function commonGid(fonts: Fonts, cp: number): number {
  const gids = fonts.commonGids!
  if (cp > 0xffff) return gidOfCode(fonts.common!.code(String.fromCodePoint(cp)))
  let g = gids[cp]!
  if (g === 0) g = gids[cp] = gidOfCode(fonts.common!.code(String.fromCharCode(cp))) + 1 || -1
  return g < 0 ? -1 : g - 1
}

const gidOfCode = (code: string | undefined): number => (code === undefined ? -1 : parseInt(code, 16))

/**
 * Each glyph id's two bytes as they go into a literal string (`(…)`, escaped by
 * `literalStringByte`): half the bytes of the hex form for the deflater and the file. Made on first use.
 */
const LITERAL: string[] = new Array<string>(0x10000).fill('')
function literal(gid: number): string {
  return LITERAL[gid] || (LITERAL[gid] = literalStringByte(gid >> 8) + literalStringByte(gid & 0xff))
}

/** Registers the characters of `text` that the common subset does not draw with the report's own subset. */
function useOwn(fonts: Fonts, text: string): void {
  if (!fonts.common) return fonts.own.use(text)
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!
    const n = cp > 0xffff ? 2 : 1
    if (commonGid(fonts, cp) < 0) fonts.own.use(text.slice(i, i + n))
    i += n
  }
}

/** Sizes and greys as PDF numbers: a report uses a handful of each, thousands of times. */
const numberTexts = new Map<number, string>()
function numberText(v: number): string {
  let t = numberTexts.get(v)
  if (t === undefined) {
    t = formatNumber(v)
    if (numberTexts.size < 256) numberTexts.set(v, t)
  }
  return t
}

function draw(op: Op, fonts: Fonts, pen: Pen): string {
  if ('raw' in op) return op.raw
  if ('rect' in op) {
    const [x, y, w, h] = [coordinate(op.rect[0]), coordinate(op.rect[1]), coordinate(op.rect[2]), coordinate(op.rect[3])]
    if (op.stroke) return `q 0.5 w 0.6 G ${x} ${y} ${w} ${h} re S Q`
    return `q ${numberText(op.fill ?? 0)} g ${x} ${y} ${w} ${h} re f Q`
  }
  const size = numberText(op.size)
  const gray = numberText(op.gray ?? 0)
  let shown = 'BT'
  if (pen.gray !== gray) {
    shown += ` ${gray} g`
    pen.gray = gray
  }
  const position = `${coordinate(op.x)} ${coordinate(op.y)} Td`
  if (!fonts.common) return `${shown}${showRun(pen, '/F1', size, fonts.own.encode(op.text), position)} ET`
  // Runs of characters from the same subset, each shown in its font; the text position advances across them.
  const text = op.text
  let placed = false
  let common = ''
  let ownFrom = -1
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!
    const gid = commonGid(fonts, cp)
    if (gid >= 0) {
      if (ownFrom >= 0) {
        shown += showRun(pen, '/F2', size, fonts.own.encode(text.slice(ownFrom, i)), placed ? '' : position)
        placed = true
        ownFrom = -1
      }
      common += literal(gid)
    } else {
      if (common) {
        shown += showRun(pen, '/F1', size, `(${common})`, placed ? '' : position)
        placed = true
        common = ''
      }
      if (ownFrom < 0) ownFrom = i
    }
    i += cp > 0xffff ? 2 : 1
  }
  if (ownFrom >= 0) shown += showRun(pen, '/F2', size, fonts.own.encode(text.slice(ownFrom)), placed ? '' : position)
  else if (common || !placed) shown += showRun(pen, '/F1', size, `(${common})`, placed ? '' : position)
  return `${shown} ET`
}

/** ` [/F1 8.5 Tf] [position] <…> Tj`: one run of `draw`'s text, its font set only when the pen's differs. */
function showRun(pen: Pen, font: string, size: string, encoded: string, position: string): string {
  let run = ''
  const selected = `${font} ${size}`
  if (pen.font !== selected) {
    run = ` ${selected} Tf`
    pen.font = selected
  }
  return `${run}${position ? ` ${position}` : ''} ${encoded} Tj`
}

/**
 * A coordinate rounded to 1/100 pt, as a PDF number: what `formatNumber(Number(v.toFixed(2)))` gave
 * (the same strings for 2 million random coordinates), without its two decimal conversions — a
 * report draws thousands.
 */
function coordinate(v: number): string {
  const r = Math.round(v * 100) / 100
  return r === 0 ? '0' : String(r)
}

/** Every page's drawing operations (title page first); a class rather than closures made per call (see docs/ARCHITECTURE.md, "No closures made per call on hot paths"). */
function layout(doc: ReportDocument, fonts: Fonts): Op[][] {
  const flow = new PageFlow(fonts)
  flow.cover(doc)
  for (const block of doc.blocks) {
    if (block.kind === 'heading') flow.heading(block.text)
    else if (block.kind === 'paragraph') flow.paragraph(block.text)
    else if (block.kind === 'pairs') flow.table(PAIR_COLUMNS, block.rows, false, true)
    else flow.table(block.columns, block.rows.length ? block.rows : [emptyRow(block.columns.length, block.empty ?? '（无）')], true, false)
  }
  return flow.finish()
}

/** The columns of a `pairs` block: label, value, without a header row. */
const PAIR_COLUMNS = [
  { title: '', width: 0.24 },
  { title: '', width: 0.76 },
]

/** The most lines one table cell may show (one row never runs over a page): longer cells end in "…". */
const MAX_CELL_LINES = Math.floor((PAGE.height - MARGIN.top - MARGIN.bottom - 2 * LINE - 4 * PAD) / LINE)

function emptyRow(columns: number, text: string): string[] {
  const row = new Array<string>(columns).fill('')
  row[0] = text
  return row
}

/** The pages laid out so far and the pen's height on the current one. */
class PageFlow {
  private readonly pages: Op[][] = []
  private ops: Op[] = []
  private y = PAGE.height - MARGIN.top

  constructor(private readonly fonts: Fonts) {}

  /** The title page: title, subtitle, label–value pairs, the QR code with its caption and URL, the statement at the foot. */
  cover(doc: ReportDocument): void {
    const fonts = this.fonts
    const cover: Op[] = []
    let y = PAGE.height - 150
    cover.push({ text: doc.title, size: 26, x: (PAGE.width - textWidth(fonts, doc.title, 26)) / 2, y })
    y -= 34
    if (doc.subtitle) {
      cover.push({ text: doc.subtitle, size: 12, x: (PAGE.width - textWidth(fonts, doc.subtitle, 12)) / 2, y, gray: 0.3 })
      y -= 50
    }
    const labelWidth = 110
    for (const [label, value] of doc.cover) {
      cover.push({ text: label, size: 11, x: MARGIN.x + 20, y, gray: 0.3 })
      for (const line of wrap(value, fonts, 11, CONTENT_WIDTH - labelWidth - 40)) {
        cover.push({ text: line, size: 11, x: MARGIN.x + 20 + labelWidth, y })
        y -= 20
      }
      y -= 4
    }
    if (doc.qr) {
      const size = 110
      y -= size + 10
      const x = (PAGE.width - size) / 2
      cover.push({ raw: `q 1 0 0 1 ${formatNumber(Number(x.toFixed(2)))} ${formatNumber(Number(y.toFixed(2)))} cm\n${qrContent(doc.qr.url, 0, 0, size)}\nQ` })
      y -= 16
      cover.push({ text: doc.qr.caption, size: 9, x: (PAGE.width - textWidth(fonts, doc.qr.caption, 9)) / 2, y, gray: 0.3 })
      y -= 14
      for (const line of wrap(doc.qr.url, fonts, 7.5, CONTENT_WIDTH)) {
        cover.push({ text: line, size: 7.5, x: (PAGE.width - textWidth(fonts, line, 7.5)) / 2, y, gray: 0.3 })
        y -= 11
      }
    }
    if (doc.statement) {
      const lines = wrap(doc.statement, fonts, 9, CONTENT_WIDTH - 40)
      let sy = MARGIN.bottom + 40 + lines.length * 14
      for (const line of lines) {
        cover.push({ text: line, size: 9, x: MARGIN.x + 20, y: sy, gray: 0.25 })
        sy -= 14
      }
    }
    this.pages.push(cover)
  }

  heading(text: string): void {
    if (this.room() < 60) this.newPage()
    this.y -= 6
    this.ops.push({ rect: [MARGIN.x, this.y - 3, 3, 14], fill: 0.2 })
    this.ops.push({ text, size: 13, x: MARGIN.x + 8, y: this.y })
    this.y -= 18
  }

  paragraph(text: string): void {
    for (const line of wrap(text, this.fonts, 9.5, CONTENT_WIDTH)) {
      if (this.room() < 14) this.newPage()
      this.ops.push({ text: line, size: 9.5, x: MARGIN.x, y: this.y })
      this.y -= 14
    }
    this.y -= 6
  }

  /**
   * A table with ruled cells; with `header`, the column titles on a grey row, repeated at the top of
   * each page it continues on. `labels`: the first column in grey (label–value pairs).
   */
  table(columns: ReadonlyArray<{ title: string; width: number }>, rows: ReadonlyArray<ReadonlyArray<string>>, header: boolean, labels: boolean): void {
    const widths = new Array<number>(columns.length)
    const titles = new Array<string>(columns.length)
    for (let i = 0; i < columns.length; i++) {
      widths[i] = columns[i]!.width * CONTENT_WIDTH
      titles[i] = columns[i]!.title
    }
    if (header) {
      if (this.room() < 3 * LINE + 4 * PAD) this.newPage()
      const lines = this.cellLines(titles, widths)
      if (this.room() < rowHeight(lines)) this.newPage()
      this.row(lines, widths, true, false)
    }
    for (const row of rows) {
      const lines = this.cellLines(row, widths)
      if (this.room() < rowHeight(lines)) {
        this.newPage()
        if (header) this.row(this.cellLines(titles, widths), widths, true, false)
      }
      this.row(lines, widths, false, labels)
    }
    this.y -= 12
  }

  /** Every page, the current one included if it has anything on it. */
  finish(): Op[][] {
    if (this.ops.length) this.pages.push(this.ops)
    return this.pages
  }

  private room(): number {
    return this.y - MARGIN.bottom
  }

  private newPage(): void {
    this.pages.push(this.ops)
    this.ops = []
    this.y = PAGE.height - MARGIN.top
  }

  private cellLines(row: ReadonlyArray<string>, widths: number[]): string[][] {
    const lines = new Array<string[]>(row.length)
    for (let i = 0; i < row.length; i++) lines[i] = wrap(row[i]!, this.fonts, BODY, widths[i]! - 2 * PAD)
    return lines
  }

  /** One row at the pen (the caller made room for it); a header row on grey, `labels` puts the first column in grey text. */
  private row(lines: string[][], widths: number[], header: boolean, labels: boolean): void {
    const height = rowHeight(lines)
    const y = this.y
    if (header) this.ops.push({ rect: [MARGIN.x, y - height, CONTENT_WIDTH, height], fill: 0.92 })
    let x = MARGIN.x
    for (let i = 0; i < lines.length; i++) {
      const cell = lines[i]!
      this.ops.push({ rect: [x, y - height, widths[i]!, height], stroke: true })
      const shown = Math.min(cell.length, MAX_CELL_LINES)
      for (let j = 0; j < shown; j++) {
        const line = cell[j]!
        const text = j === MAX_CELL_LINES - 1 && cell.length > MAX_CELL_LINES ? `${line.slice(0, -1)}…` : line
        this.ops.push({ text, size: BODY, x: x + PAD, y: y - PAD - (j + 1) * LINE + LINE * 0.28, gray: header || (labels && i === 0) ? 0.25 : 0 })
      }
      x += widths[i]!
    }
    this.y = y - height
  }
}

/** A row's height: its tallest cell's lines (at most {@link MAX_CELL_LINES}) and the padding. */
function rowHeight(lines: string[][]): number {
  let most = 0
  for (const cell of lines) most = Math.max(most, Math.min(cell.length, MAX_CELL_LINES))
  return most * LINE + 2 * PAD
}

/**
 * Break `text` (at new lines, then between any two characters) into lines no wider than `max` when
 * set at `size`. The font's widths are additive (a string's width is the sum of its characters', as
 * for `FontSubset.width`): the line's width is kept as a running sum, so each character is measured
 * once, by code point.
 */
function wrap(text: string, fonts: Fonts, size: number, max: number): string[] {
  const out: string[] = []
  let from = 0
  let width = 0
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!
    const n = cp > 0xffff ? 2 : 1
    if (cp === 0x0a) {
      out.push(text.slice(from, i))
      from = i + 1
      width = 0
    } else {
      const w = (fonts.own.font.codePointAdvance(cp) * size) / 1000
      if (i > from && width + w > max && !CLOSING_PUNCTUATION.has(cp)) {
        out.push(text.slice(from, i))
        from = i
        width = 0
      }
      width += w
    }
    i += n
  }
  out.push(text.slice(from))
  return out
}

/** Characters never put at the start of a line, by code point. */
const CLOSING_PUNCTUATION = new Set(Array.from('，。、；：）」』”', (c) => c.codePointAt(0)!))

function subsetTag(seed: string): string {
  const h = createHash('sha256').update(`report:${seed}`).digest()
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
}
