import { PdfDict, PdfRef, type PdfValue } from '../pdf/pdf-objects'
import type { PdfReader } from '../pdf/pdf-reader'
import { pageGeometry, userRectToDisplay } from '../signing/page-geometry'
import type { SignatureWidgetView } from './report'

/** Annotation flag Hidden (ISO 32000-1 Table 165, bit 2). */
const HIDDEN = 2

/**
 * Where the signature `signature` (its dictionary's reference) shows in `reader`'s revision: every
 * widget of the signature field whose value it is, with its page (0-based) and its rectangle in
 * display space (crop box and rotation applied). Widgets with no area (invisible signatures) or
 * flagged hidden are left out; a widget on no page of the document is left out. A field's own
 * widget (merged field and widget) and `/Kids` widgets, e.g. the strips of a 骑缝章, both count.
 *
 * @example
 * const [stamp] = signatureWidgets(finalRevision.reader, signatureRef) // { page: 0, rect: [400, 40, 150, 90], … }
 */
export function signatureWidgets(reader: PdfReader, signature: PdfRef): SignatureWidgetView[] {
  const field = reader.signatureFields().find((f) => f.value instanceof PdfRef && f.value.num === signature.num)
  if (!field) return []
  const pages = new PageIndex(reader)
  const out: SignatureWidgetView[] = []
  for (const ref of field.widgets) {
    const widget = reader.dictAt(ref)
    if (!widget) continue
    const flags = reader.resolve(widget.get('F'))
    if (typeof flags === 'number' && (flags & HIDDEN) !== 0) continue
    const rect = numbers(reader, widget.get('Rect'))
    if (!rect || rect[0] === rect[2] || rect[1] === rect[3]) continue
    const page = pages.of(ref, widget)
    if (!page) continue
    const g = pageGeometry(reader, page.ref)
    out.push({
      page: page.index,
      rect: userRectToDisplay(g, rect).map(round) as [number, number, number, number],
      pageWidth: round(g.width),
      pageHeight: round(g.height),
      crossPageStrip: reader.resolve(widget.get('QianyueStrip')) === true,
    })
  }
  return out
}

/** Points to a thousandth: what a viewer can tell apart, without floating-point noise. */
const round = (n: number): number => Math.round(n * 1000) / 1000 || 0

function numbers(reader: PdfReader, v: PdfValue | undefined): [number, number, number, number] | undefined {
  const a = reader.resolve(v)
  if (!Array.isArray(a) || a.length !== 4) return undefined
  const n = a.map((x) => reader.resolve(x))
  return n.every((x): x is number => typeof x === 'number' && Number.isFinite(x)) ? (n as [number, number, number, number]) : undefined
}

/** The pages of a revision in order, read once: by reference, and (only when a widget has no `/P`) by annotation. */
class PageIndex {
  private byRef?: Map<number, { ref: PdfRef; index: number }>
  private byAnnot?: Map<number, { ref: PdfRef; index: number }>

  constructor(private readonly reader: PdfReader) {}

  /** The page showing `widget`: its `/P` when that is a page of the document, else the page whose `/Annots` lists it. */
  of(ref: PdfRef, widget: PdfDict): { ref: PdfRef; index: number } | undefined {
    const p = widget.get('P')
    const byP = p instanceof PdfRef ? this.pages().get(p.num) : undefined
    if (byP) return byP
    if (!this.byAnnot) {
      this.byAnnot = new Map()
      for (const page of this.pages().values()) {
        const annots = this.reader.resolve(this.reader.dictAt(page.ref)?.get('Annots'))
        if (!Array.isArray(annots)) continue
        for (const a of annots) if (a instanceof PdfRef && !this.byAnnot.has(a.num)) this.byAnnot.set(a.num, page)
      }
    }
    return this.byAnnot.get(ref.num)
  }

  /** One walk of the page tree (cycles and absurd depth cut off). */
  private pages(): Map<number, { ref: PdfRef; index: number }> {
    if (this.byRef) return this.byRef
    const byRef = new Map<number, { ref: PdfRef; index: number }>()
    const seen = new Set<number>()
    let index = 0
    const walk = (node: PdfValue | undefined, depth: number): void => {
      if (!(node instanceof PdfRef) || seen.has(node.num) || depth > 64) return
      seen.add(node.num)
      const d = this.reader.dictAt(node)
      if (!d) return
      const kids = this.reader.resolve(d.get('Kids'))
      const isNode = d.name('Type') === 'Pages' || (Array.isArray(kids) && d.name('Type') !== 'Page')
      if (!isNode) {
        byRef.set(node.num, { ref: node, index: index++ })
        return
      }
      if (Array.isArray(kids)) for (const kid of kids) walk(kid, depth + 1)
    }
    walk(this.reader.catalog().get('Pages'), 0)
    this.byRef = byRef
    return byRef
  }
}
