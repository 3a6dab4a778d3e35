import { PdfDict, PdfName, PdfRef, dict, type PdfValue } from '../pdf/pdf-objects'
import type { PdfReader } from '../pdf/pdf-reader'
import { displayRectToUser, pageGeometry, type PageGeometry, type PageRotation } from './page-geometry'

/**
 * A printable (`/F 4`) widget annotation on `pageRef` at `rect` (default user space), with
 * `/MK << /R n >>` when `rotation` is a rotated page's (how viewers that regenerate appearances orient it).
 * `extra` entries come before `/MK` (entry order is part of the bytes written).
 */
export function widgetAnnotation(rect: number[], pageRef: PdfRef, rotation?: PageRotation, extra: Record<string, PdfValue> = {}): PdfDict {
  const widget = dict({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), Rect: rect, F: 4, P: pageRef, ...extra })
  if (rotation) widget.set('MK', dict({ R: rotation }))
  return widget
}

/** One strip of a cross-page seal (骑缝章): the page it lies on, its size and its widget. */
export type CrossPageStrip = { pageRef: PdfRef; geometry: PageGeometry; width: number; height: number; widget: PdfDict }

/**
 * The strip of a cross-page seal (骑缝章) on page `index`: the seal `width` is cut into one strip per
 * page, at the right edge of the displayed page, `y` from the top of the display (default centred).
 * The widget carries no `/Parent`: poppler up to 23.x treats a kid with `/Parent` as a child *field*
 * and then cannot see the signature value; the field's `/Kids` still binds them.
 */
export function crossPageStrip(reader: PdfReader, index: number, seal: { width: number; height: number; y?: number }): CrossPageStrip {
  const pageRef = reader.pageRef(index)
  const geometry = pageGeometry(reader, pageRef)
  const width = seal.width / reader.pageCount()
  const height = seal.height
  const y = seal.y ?? (geometry.height - height) / 2
  const widget = widgetAnnotation(displayRectToUser(geometry, [geometry.width - width, y, width, height]), pageRef, geometry.rotation, { QianyueStrip: true })
  return { pageRef, geometry, width, height, widget }
}
