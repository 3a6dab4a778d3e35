import { PdfRef } from '../pdf/pdf-objects'
import type { PdfReader } from '../pdf/pdf-reader'
import { pageGeometry, userRectToDisplay, type PageGeometry } from './page-geometry'

/** A page's displayed size in points, and a widget's place: page (0-based) and `[x, y, w, h]` in display space. */
export type DocumentLayout = {
  pages: { width: number; height: number }[]
  /** The widgets of the signature fields that are already signed (main widget and 骑缝章 strips). */
  signedAreas: { page: number; rect: [number, number, number, number]; fieldName: string }[]
}

/**
 * What placing fields needs to know of a document: every page's displayed size (crop box and
 * `/Rotate` applied) and where the signatures already in it are drawn, so new fields can be kept
 * off them. A widget's page is its `/P`, or the page whose `/Annots` lists it.
 */
export function documentLayout(reader: PdfReader): DocumentLayout {
  const count = reader.pageCount()
  const geometries: PageGeometry[] = []
  const pageOf = new Map<number, number>()
  for (let i = 0; i < count; i++) {
    const ref = reader.pageRef(i)
    pageOf.set(ref.num, i)
    geometries.push(pageGeometry(reader, ref))
  }
  const signedAreas: DocumentLayout['signedAreas'] = []
  const signed = reader.signatureFields().filter((f) => f.value !== undefined)
  if (signed.length) {
    const annotPage = new Map<number, number>()
    for (let i = 0; i < count; i++) {
      const annots = reader.resolve(reader.dictAt(reader.pageRef(i))?.get('Annots'))
      if (Array.isArray(annots)) for (const a of annots) if (a instanceof PdfRef) annotPage.set(a.num, i)
    }
    for (const f of signed) {
      for (const w of f.widgets) {
        const widget = reader.dictAt(w)
        const p = widget?.get('P')
        const page = (p instanceof PdfRef ? pageOf.get(p.num) : undefined) ?? annotPage.get(w.num)
        const rect = reader.resolve(widget?.get('Rect'))
        if (page === undefined || !Array.isArray(rect) || rect.length !== 4) continue
        const n = rect.map((v) => Number(reader.resolve(v)))
        if (!n.every(Number.isFinite)) continue
        const r = userRectToDisplay(geometries[page]!, [n[0]!, n[1]!, n[2]!, n[3]!])
        if (r[2] > 0 && r[3] > 0) signedAreas.push({ page, rect: r, fieldName: f.name })
      }
    }
  }
  return { pages: geometries.map((g) => ({ width: g.width, height: g.height })), signedAreas }
}
