import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfName, PdfRef, dict } from '../pdf/pdf-objects'
import { zlib } from '../pdf/stream-decode'
import type { PdfReader } from '../pdf/pdf-reader'
import { FontSubset, type TrueTypeFont } from '../pdf/truetype-font'
import { pageGeometry } from './page-geometry'
import { qrSymbol } from './qr-symbol'

/** The QR code put on every page at send time: it points to the public verify page of this contract. */
export type VerifyStamp = {
  url: string
  /** A small label beside the code, e.g. `合同编号 ct_…` (drawn with the CJK font, embedded as a subset). */
  label?: string
}

/** Side of the QR code in points (with its 4-module quiet zone) and its distance from the page's lower-left corner. */
const SIZE = 56
const MARGIN = 8

/**
 * The page content that draws `url` as a QR code (error correction M, black modules on a white quiet
 * zone) as vector rectangles at (x, y). Pure: the matrix comes from {@link qrSymbol}.
 * The modules are drawn in module units under one scaling `cm`, each row's run of dark modules as
 * one rectangle: small integers instead of four formatted decimals per module (a tenth of the bytes
 * and of the formatting work; the same shape on the page).
 */
export function qrContent(url: string, x: number, y: number, size = SIZE): string {
  const qr = qrSymbol(url)
  const n = qr.size
  const quiet = 4
  const total = n + 2 * quiet
  const f = (v: number, digits = 3) => Number(v.toFixed(digits)).toString()
  const m = f(size / total, 6)
  const ops: string[] = ['q', '1 g', `${f(x)} ${f(y)} ${f(size)} ${f(size)} re f`, '0 g', `${m} 0 0 ${m} ${f(x)} ${f(y)} cm`]
  const dark = qr.data
  for (let r = 0; r < n; r++) {
    // Row 0 is the top of the symbol; PDF y grows upwards.
    const bottom = total - (r + quiet + 1)
    for (let c = 0; c < n; ) {
      if (!dark[r * n + c]) {
        c++
        continue
      }
      let end = c + 1
      while (end < n && dark[r * n + end]) end++
      ops.push(`${c + quiet} ${bottom} ${end - c} 1 re`)
      c = end
    }
  }
  ops.push('f', 'Q')
  return ops.join('\n')
}

/**
 * Appends, as one incremental update, the QR code to the content of every page (lower-left corner of
 * the visible box, in default user space, so it turns with a rotated page — a QR code reads in any
 * orientation). The page's own content is wrapped in q/Q so its graphics state cannot move the code.
 * Runs before any signature exists (send time), so no signature is disturbed.
 */
export function stampPages(reader: PdfReader, stamp: VerifyStamp, font?: TrueTypeFont): Uint8Array {
  const writer = new IncrementalWriter(reader)
  let label: { fontRef: PdfRef; hex: string } | undefined
  if (stamp.label && font) {
    const subset = new FontSubset(font)
    subset.use(stamp.label)
    const hex = subset.encode(stamp.label)
    label = { fontRef: subset.embed(writer, 'QYVRFY'), hex }
  }
  const open = writer.allocate()
  writer.setStream(open, dict({}), Buffer.from('q\n', 'latin1'))
  // The code itself, drawn at the origin once for all pages (deflated); each page moves it into place.
  // zlib's fastest level: on these few KB of rectangle operators a quarter of the default's CPU (50 against 190 µs), 8 % more bytes.
  const code = writer.allocate()
  writer.setStream(code, dict({ Filter: PdfName.of('FlateDecode') }), zlib().deflateSync(Buffer.from(qrContent(stamp.url, 0, 0), 'latin1'), { level: 1 }))
  for (let i = 0; i < reader.pageCount(); i++) {
    const pRef = reader.pageRef(i)
    const g = pageGeometry(reader, pRef)
    const ref = writer.allocate()
    const x = g.box[0] + MARGIN
    const y = g.box[1] + MARGIN
    const text = label ? `q BT 0 g /QYVerify 6 Tf ${x + SIZE + 4} ${y + 4} Td ${label.hex} Tj ET Q\n` : ''
    writer.setStream(ref, dict({}), Buffer.from(`Q\nq 1 0 0 1 ${Number(x.toFixed(3))} ${Number(y.toFixed(3))} cm\n`, 'latin1'))
    const after = writer.allocate()
    writer.setStream(after, dict({}), Buffer.from(`\nQ\n${text}`, 'latin1'))
    const page = reader.dictAt(pRef)
    if (!page) continue
    const contents = page.get('Contents')
    const resolved = contents instanceof PdfRef ? reader.resolve(contents) : contents
    const existing: PdfRef[] = Array.isArray(resolved) ? (resolved as PdfRef[]) : contents instanceof PdfRef ? [contents] : []
    const next = page.clone().set('Contents', [open, ...existing, ref, code, after])
    if (label) {
      // Page-level resources (a copy of the inherited ones) with the label font added.
      const res = reader.dictAt(reader.inherited(page, 'Resources'))?.clone() ?? dict({})
      const fonts = reader.dictAt(res.get('Font'))?.clone() ?? dict({})
      res.set('Font', fonts.set('QYVerify', label.fontRef))
      next.set('Resources', res)
    }
    writer.set(pRef, next)
  }
  return writer.build().appended
}
