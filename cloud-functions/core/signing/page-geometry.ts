import type { PdfDict, PdfRef, PdfValue } from '../pdf/pdf-objects'
import type { PdfReader } from '../pdf/pdf-reader'

/** A page rotation in degrees clockwise, as `/Rotate` gives it (ISO 32000-1 §7.7.3.3), normalized. */
export type PageRotation = 0 | 90 | 180 | 270

/**
 * A page as a viewer displays it: its visible box (CropBox, else MediaBox) in default user space
 * and its `/Rotate`. "Display space" is what a person sees on screen or paper: origin at the
 * bottom-left corner of the displayed page, x to the right, y up, in points. For an unrotated page
 * whose crop box starts at 0 0 it is default user space.
 */
export type PageGeometry = {
  /** The visible box [x0, y0, x1, y1] in default user space. */
  box: [number, number, number, number]
  rotation: PageRotation
  /** Displayed width and height (swapped from the box for 90° and 270°). */
  width: number
  height: number
}

export function normalizeRotation(v: unknown): PageRotation {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.round(v / 90) * 90 : 0
  return (((n % 360) + 360) % 360) as PageRotation
}

/** The page's (inherited) box `key` as four finite numbers, else undefined (module-level: see docs/ARCHITECTURE.md, "No closures made per call on hot paths"). */
function boxOf(reader: PdfReader, page: PdfDict, key: string): number[] | undefined {
  const v = reader.inherited(page, key) as PdfValue
  if (!Array.isArray(v) || v.length !== 4) return undefined
  const n = new Array<number>(4)
  for (let i = 0; i < 4; i++) {
    n[i] = Number(reader.resolve(v[i]))
    if (!Number.isFinite(n[i])) return undefined
  }
  return n
}

/** The geometry of page `pageRef` (inherited `/CropBox`, `/MediaBox` and `/Rotate`). */
export function pageGeometry(reader: PdfReader, pageRef: PdfRef): PageGeometry {
  const page = reader.dictAt(pageRef) as PdfDict
  const media = boxOf(reader, page, 'MediaBox') ?? [0, 0, 612, 792]
  let arr = boxOf(reader, page, 'CropBox') ?? media
  // The crop box is clipped to the media box (§14.11.2); a crop box outside it falls back to it.
  const clipped = [Math.max(Math.min(arr[0], arr[2]), Math.min(media[0], media[2])), Math.max(Math.min(arr[1], arr[3]), Math.min(media[1], media[3])), Math.min(Math.max(arr[0], arr[2]), Math.max(media[0], media[2])), Math.min(Math.max(arr[1], arr[3]), Math.max(media[1], media[3]))]
  arr = clipped[2] > clipped[0] && clipped[3] > clipped[1] ? clipped : media
  const box: [number, number, number, number] = [Math.min(arr[0], arr[2]), Math.min(arr[1], arr[3]), Math.max(arr[0], arr[2]), Math.max(arr[1], arr[3])]
  const rotation = normalizeRotation(reader.inherited(page, 'Rotate'))
  const w = box[2] - box[0]
  const h = box[3] - box[1]
  const turned = rotation === 90 || rotation === 270
  return { box, rotation, width: turned ? h : w, height: turned ? w : h }
}

/**
 * Maps a rectangle `[x, y, width, height]` in display space to the default-user-space rectangle
 * `[llx, lly, urx, ury]` a widget's `/Rect` needs.
 */
export function displayRectToUser(g: PageGeometry, [x, y, w, h]: [number, number, number, number]): [number, number, number, number] {
  const [x0, y0, x1, y1] = g.box
  const toUser = (u: number, v: number): [number, number] => {
    switch (g.rotation) {
      case 90:
        return [x1 - v, y0 + u]
      case 180:
        return [x1 - u, y1 - v]
      case 270:
        return [x0 + v, y1 - u]
      default:
        return [x0 + u, y0 + v]
    }
  }
  const a = toUser(x, y)
  const b = toUser(x + w, y + h)
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])]
}

/**
 * The inverse of {@link displayRectToUser}: a default-user-space rectangle `[llx, lly, urx, ury]`
 * (a widget's `/Rect`, corners in any order) as `[x, y, width, height]` in display space.
 */
export function userRectToDisplay(g: PageGeometry, rect: [number, number, number, number]): [number, number, number, number] {
  const [x0, y0, x1, y1] = g.box
  const toDisplay = (X: number, Y: number): [number, number] => {
    switch (g.rotation) {
      case 90:
        return [Y - y0, x1 - X]
      case 180:
        return [x1 - X, y1 - Y]
      case 270:
        return [y1 - Y, X - x0]
      default:
        return [X - x0, Y - y0]
    }
  }
  const a = toDisplay(rect[0], rect[1])
  const b = toDisplay(rect[2], rect[3])
  const x = Math.min(a[0], b[0])
  const y = Math.min(a[1], b[1])
  return [x, y, Math.max(a[0], b[0]) - x, Math.max(a[1], b[1]) - y]
}

/**
 * The `/Matrix` of an appearance drawn upright in display space on a page rotated by `rotation`:
 * a counter-clockwise rotation by the same angle, so the page's clockwise `/Rotate` brings it
 * upright again (ISO 32000-1 §12.5.5, Algorithm 8.1 then fits it to the widget's `/Rect`).
 * `undefined` for unrotated pages (the identity).
 */
export function appearanceMatrix(rotation: PageRotation): number[] | undefined {
  switch (rotation) {
    case 90:
      return [0, 1, -1, 0, 0, 0]
    case 180:
      return [-1, 0, 0, -1, 0, 0]
    case 270:
      return [0, -1, 1, 0, 0, 0]
    default:
      return undefined
  }
}

/** The displayed width and height of a widget whose `/Rect` is `rect` on a page rotated by `rotation`. */
export function displaySize(rect: number[], rotation: PageRotation): { width: number; height: number } {
  const w = Math.abs(rect[2] - rect[0])
  const h = Math.abs(rect[3] - rect[1])
  return rotation === 90 || rotation === 270 ? { width: h, height: w } : { width: w, height: h }
}

/**
 * The rotation a widget's appearance must compensate: its `/MK /R` when present (ISO 32000-1
 * Table 189: degrees counter-clockwise relative to the page, which is how we write it for rotated
 * pages), else the `/Rotate` of its page `/P`.
 */
export function widgetRotation(reader: PdfReader, widget: PdfDict): PageRotation {
  const mk = reader.dictAt(widget.get('MK'))
  const r = mk ? reader.resolve(mk.get('R')) : undefined
  if (typeof r === 'number') return normalizeRotation(r)
  const p = widget.get('P')
  const page = p ? reader.dictAt(p) : undefined
  return page ? normalizeRotation(reader.inherited(page, 'Rotate')) : 0
}
