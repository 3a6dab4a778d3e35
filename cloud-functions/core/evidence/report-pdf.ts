import { createHash } from 'node:crypto'
import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfName, PdfString, dict, formatNumber } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import { zlib } from '../pdf/stream-decode'
import type { FontSubset, TrueTypeFont } from '../pdf/truetype-font'
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
}

const PAGE = { width: 595.28, height: 841.89 }
const MARGIN = { x: 48, top: 56, bottom: 56 }
const BODY = 8.5
const LINE = BODY * 1.45
const PAD = 3.5
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN.x

type Op = { text: string; size: number; x: number; y: number; gray?: number } | { rect: [number, number, number, number]; fill?: number; stroke?: boolean } | { raw: string }

/**
 * Lay out `doc` and write it as an unsigned PDF: pdf-lib writes the empty pages, then one
 * incremental revision adds every page's content in an embedded subset of the CJK `font` (the same
 * two steps as the authorisation letter). Pure and deterministic for equal input; sign it afterwards
 * through the signing engine.
 *
 * @example
 * const pdf = await renderReportPdf({ title: '证据报告', cover: [['合同编号', id]], blocks, footer: id, info: {}, createdAt }, font)
 */
export async function renderReportPdf(doc: ReportDocument, font: TrueTypeFont): Promise<Uint8Array> {
  const subset = font.subset()
  const pages = layout(doc, subset)
  const total = pages.length
  pages.forEach((ops, i) => {
    const label = `第 ${i + 1} 页 / 共 ${total} 页`
    ops.push({ text: doc.footer, size: 7.5, x: MARGIN.x, y: MARGIN.bottom - 24, gray: 0.35 })
    ops.push({ text: label, size: 7.5, x: PAGE.width - MARGIN.x - subset.width(label, 7.5), y: MARGIN.bottom - 24, gray: 0.35 })
    ops.push({ rect: [MARGIN.x, MARGIN.bottom - 12, CONTENT_WIDTH, 0.4], fill: 0.7 })
  })
  for (const ops of pages) for (const op of ops) if ('text' in op) subset.use(op.text)

  // pdf-lib is loaded on first use: it is the largest library in the bundles that reach this file.
  const { PDFDocument } = await import('pdf-lib')
  const base = await PDFDocument.create({ updateMetadata: false })
  base.setProducer('Qianyue')
  base.setCreationDate(doc.createdAt)
  base.setModificationDate(doc.createdAt)
  for (let i = 0; i < total; i++) base.addPage([PAGE.width, PAGE.height])
  const baseBytes = await base.save({ useObjectStreams: false })

  const reader = PdfReader.open(baseBytes)
  const writer = new IncrementalWriter(reader)
  const fontRef = subset.embed(writer, subsetTag(doc.footer + doc.createdAt.toISOString()))
  pages.forEach((ops, i) => {
    const content = ops.map((op) => draw(op, subset)).join('\n') + '\n'
    const contentRef = writer.allocate()
    writer.setStream(contentRef, dict({ Filter: PdfName.of('FlateDecode') }), zlib().deflateSync(Buffer.from(content, 'latin1')))
    const pageRef = reader.pageRef(i)
    const page = reader.dictAt(pageRef)!.clone()
    page.set('Contents', contentRef)
    page.set('Resources', dict({ Font: dict({ F1: fontRef }) }))
    writer.set(pageRef, page)
  })
  writer.setInfo(Object.fromEntries([['Title', doc.title], ...Object.entries(doc.info)].map(([k, v]) => [k, PdfString.text(v)])))
  return writer.buildFile()
}

function draw(op: Op, subset: FontSubset): string {
  const n = formatNumber
  if ('raw' in op) return op.raw
  if ('rect' in op) {
    const [x, y, w, h] = op.rect.map((v) => n(Number(v.toFixed(2))))
    if (op.stroke) return `q 0.5 w 0.6 G ${x} ${y} ${w} ${h} re S Q`
    return `q ${n(op.fill ?? 0)} g ${x} ${y} ${w} ${h} re f Q`
  }
  return `BT ${n(op.gray ?? 0)} g /F1 ${n(op.size)} Tf ${n(Number(op.x.toFixed(2)))} ${n(Number(op.y.toFixed(2)))} Td ${subset.encode(op.text)} Tj ET`
}

/** Every page's drawing operations (title page first). */
function layout(doc: ReportDocument, subset: FontSubset): Op[][] {
  const measure = (t: string, size: number) => subset.width(t, size)
  const pages: Op[][] = []
  // Title page.
  const cover: Op[] = []
  let y = PAGE.height - 150
  cover.push({ text: doc.title, size: 26, x: (PAGE.width - measure(doc.title, 26)) / 2, y })
  y -= 34
  if (doc.subtitle) {
    cover.push({ text: doc.subtitle, size: 12, x: (PAGE.width - measure(doc.subtitle, 12)) / 2, y, gray: 0.3 })
    y -= 50
  }
  const labelWidth = 110
  for (const [label, value] of doc.cover) {
    const lines = wrap(value, (t) => measure(t, 11), CONTENT_WIDTH - labelWidth - 40)
    cover.push({ text: label, size: 11, x: MARGIN.x + 20, y, gray: 0.3 })
    for (const line of lines) {
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
    cover.push({ text: doc.qr.caption, size: 9, x: (PAGE.width - measure(doc.qr.caption, 9)) / 2, y, gray: 0.3 })
    y -= 14
    for (const line of wrap(doc.qr.url, (t) => measure(t, 7.5), CONTENT_WIDTH)) {
      cover.push({ text: line, size: 7.5, x: (PAGE.width - measure(line, 7.5)) / 2, y, gray: 0.3 })
      y -= 11
    }
  }
  if (doc.statement) {
    let sy = MARGIN.bottom + 40
    const lines = wrap(doc.statement, (t) => measure(t, 9), CONTENT_WIDTH - 40)
    sy += lines.length * 14
    for (const line of lines) {
      cover.push({ text: line, size: 9, x: MARGIN.x + 20, y: sy, gray: 0.25 })
      sy -= 14
    }
  }
  pages.push(cover)

  // Content pages.
  let ops: Op[] = []
  y = PAGE.height - MARGIN.top
  const newPage = () => {
    pages.push(ops)
    ops = []
    y = PAGE.height - MARGIN.top
  }
  const room = () => y - MARGIN.bottom
  for (const block of doc.blocks) {
    if (block.kind === 'heading') {
      if (room() < 60) newPage()
      y -= 6
      ops.push({ rect: [MARGIN.x, y - 3, 3, 14], fill: 0.2 })
      ops.push({ text: block.text, size: 13, x: MARGIN.x + 8, y })
      y -= 18
    } else if (block.kind === 'paragraph') {
      for (const line of wrap(block.text, (t) => measure(t, 9.5), CONTENT_WIDTH)) {
        if (room() < 14) newPage()
        ops.push({ text: line, size: 9.5, x: MARGIN.x, y })
        y -= 14
      }
      y -= 6
    } else {
      const table =
        block.kind === 'pairs'
          ? { columns: [{ title: '', width: 0.24 }, { title: '', width: 0.76 }], rows: block.rows.map(([a, b]) => [a, b]), header: false, empty: undefined }
          : { columns: block.columns, rows: block.rows.length ? block.rows : [[block.empty ?? '（无）', ...block.columns.slice(1).map(() => '')]], header: true, empty: block.empty }
      const widths = table.columns.map((c) => c.width * CONTENT_WIDTH)
      const cellLines = (row: string[]) => row.map((cell, i) => wrap(cell, (t) => measure(t, BODY), widths[i] - 2 * PAD))
      const maxLines = Math.floor((PAGE.height - MARGIN.top - MARGIN.bottom - 2 * LINE - 4 * PAD) / LINE)
      const drawRow = (lines: string[][], header: boolean) => {
        const height = Math.max(...lines.map((l) => Math.min(l.length, maxLines))) * LINE + 2 * PAD
        if (room() < height) {
          newPage()
          if (!header && table.header) drawRow(cellLines(table.columns.map((c) => c.title)), true)
        }
        if (header) ops.push({ rect: [MARGIN.x, y - height, CONTENT_WIDTH, height], fill: 0.92 })
        let x = MARGIN.x
        lines.forEach((cell, i) => {
          ops.push({ rect: [x, y - height, widths[i], height], stroke: true })
          cell.slice(0, maxLines).forEach((line, j) => {
            const text = j === maxLines - 1 && cell.length > maxLines ? `${line.slice(0, -1)}…` : line
            ops.push({ text, size: BODY, x: x + PAD, y: y - PAD - (j + 1) * LINE + LINE * 0.28, gray: header || (block.kind === 'pairs' && i === 0) ? 0.25 : 0 })
          })
          x += widths[i]
        })
        y -= height
      }
      if (table.header) {
        if (room() < 3 * LINE + 4 * PAD) newPage()
        drawRow(cellLines(table.columns.map((c) => c.title)), true)
      }
      for (const row of table.rows) drawRow(cellLines(row), false)
      y -= 12
    }
  }
  if (ops.length) pages.push(ops)
  return pages
}

/**
 * Break `text` (at new lines, then between any two characters) into lines no wider than `max`.
 * `measure` must be additive (the width of a string is the sum of its characters' widths, as for
 * `FontSubset.width`): the line's width is kept as a running sum, so each character is measured once.
 */
export function wrap(text: string, measure: (t: string) => number, max: number): string[] {
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    let width = 0
    for (const ch of paragraph) {
      const w = measure(ch)
      if (line && width + w > max && !CLOSING_PUNCTUATION.has(ch)) {
        out.push(line)
        line = ''
        width = 0
      }
      line += ch
      width += w
    }
    out.push(line)
  }
  return out
}

/** Characters never put at the start of a line. */
const CLOSING_PUNCTUATION = new Set('，。、；：）」』”')

function subsetTag(seed: string): string {
  const h = createHash('sha256').update(`report:${seed}`).digest()
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
}
