/**
 * Field placement: the page images are shown `displayWidth` pixels wide; fields are stored in PDF
 * points on the page as displayed (origin bottom-left, y up). Pure, so tests cover it without a page.
 */

/** A page's displayed size in points (`ContractView.pages`). */
export type PageSize = { width: number; height: number }
/** A box on the shown image, in pixels from its top-left corner. */
export type PixelBox = { left: number; top: number; width: number; height: number }
/** `[x, y, width, height]` in points, origin bottom-left. */
export type PointRect = [number, number, number, number]

const round2 = (n: number) => Math.round(n * 100) / 100

/** Pixels of the shown image per point. */
export const pixelsPerPoint = (page: PageSize, displayWidth: number) => displayWidth / page.width

/** The shown image's height for a width (keeps the page's proportions). */
export const displayHeight = (page: PageSize, displayWidth: number) => (displayWidth * page.height) / page.width

/** A box on the image → its rectangle in points (y flipped), rounded to 0.01 pt. */
export function pixelsToPoints(box: PixelBox, page: PageSize, displayWidth: number): PointRect {
  const s = page.width / displayWidth
  return [round2(box.left * s), round2(page.height - (box.top + box.height) * s), round2(box.width * s), round2(box.height * s)]
}

/** A rectangle in points → its box on the image shown `displayWidth` pixels wide. */
export function pointsToPixels(rect: readonly [number, number, number, number], page: PageSize, displayWidth: number): PixelBox {
  const s = displayWidth / page.width
  const [x, y, w, h] = rect
  return { left: x * s, top: (page.height - y - h) * s, width: w * s, height: h * s }
}

/** Moves a rectangle (not resizing it, unless it is larger than the page) so it lies inside the page. */
export function clampToPage(rect: PointRect, page: PageSize): PointRect {
  const w = Math.min(rect[2], page.width)
  const h = Math.min(rect[3], page.height)
  const x = Math.min(Math.max(rect[0], 0), page.width - w)
  const y = Math.min(Math.max(rect[1], 0), page.height - h)
  return [round2(x), round2(y), round2(w), round2(h)]
}

/** Whether a rectangle lies inside the page (0.5 pt tolerance for rounding). */
export function insidePage(rect: readonly [number, number, number, number], page: PageSize): boolean {
  const [x, y, w, h] = rect
  return x >= -0.5 && y >= -0.5 && x + w <= page.width + 0.5 && y + h <= page.height + 0.5
}

/** A rectangle of `size` points centred on a pixel point of the image, clamped to the page. */
export function rectAt(centre: { x: number; y: number }, size: { width: number; height: number }, page: PageSize, displayWidth: number): PointRect {
  const s = page.width / displayWidth
  const cx = centre.x * s
  const cy = page.height - centre.y * s
  return clampToPage([cx - size.width / 2, cy - size.height / 2, size.width, size.height], page)
}

/** Moves a rectangle by a drag of (dx, dy) pixels on the image, staying on the page. */
export function moveByPixels(rect: PointRect, dx: number, dy: number, page: PageSize, displayWidth: number): PointRect {
  const s = page.width / displayWidth
  return clampToPage([rect[0] + dx * s, rect[1] - dy * s, rect[2], rect[3]], page)
}

/** Whether a pixel point of the image lies inside a rectangle (tapping a signature on a page). */
export function hitTest(point: { x: number; y: number }, rect: readonly [number, number, number, number], page: PageSize, displayWidth: number): boolean {
  const b = pointsToPixels(rect, page, displayWidth)
  return point.x >= b.left && point.x <= b.left + b.width && point.y >= b.top && point.y <= b.top + b.height
}

/** Paper sizes in points a page image's proportions are matched against (portrait). */
const PAPER: PageSize[] = [
  { width: 595.28, height: 841.89 }, // A4
  { width: 612, height: 792 }, // Letter
  { width: 612, height: 1008 }, // Legal
  { width: 419.53, height: 595.28 }, // A5
  { width: 841.89, height: 1190.55 }, // A3
  { width: 498.9, height: 708.66 }, // B5 (JIS)
]

/**
 * A page's size in points guessed from its image's pixel size, for a draft whose `pages` the server
 * has not given: the paper size (either orientation) with the same proportions, else A4's width with
 * the image's proportions. Used only until the API reports draft page sizes.
 */
export function guessPageSize(pixelWidth: number, pixelHeight: number): PageSize {
  const ratio = pixelHeight / pixelWidth
  for (const p of PAPER) {
    if (Math.abs(p.height / p.width - ratio) < 0.01) return p
    if (Math.abs(p.width / p.height - ratio) < 0.01) return { width: p.height, height: p.width }
  }
  return { width: 595.28, height: round2(595.28 * ratio) }
}

/** Width and height of a PNG from its IHDR chunk (bytes 16–23), or undefined if it is not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes[0] !== 0x89 || bytes[1] !== 0x50 || bytes[2] !== 0x4e || bytes[3] !== 0x47) return undefined
  const u32 = (i: number) => ((bytes[i]! << 24) >>> 0) + (bytes[i + 1]! << 16) + (bytes[i + 2]! << 8) + bytes[i + 3]!
  return { width: u32(16), height: u32(20) }
}

/** Whether two rectangles overlap (touching edges do not count). */
export function overlaps(a: readonly [number, number, number, number], b: readonly [number, number, number, number]): boolean {
  return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

/**
 * Where a new field of `size` goes on a page: the spot nearest the page's middle (scanning a grid of
 * 12-point steps) that overlaps none of `taken`; the middle itself when the page is full.
 */
export function freeSpot(size: { width: number; height: number }, taken: readonly (readonly [number, number, number, number])[], page: PageSize): PointRect {
  const middle: PointRect = clampToPage([(page.width - size.width) / 2, (page.height - size.height) / 2, size.width, size.height], page)
  const spots: PointRect[] = []
  for (let y = 0; y + size.height <= page.height; y += 12) for (let x = 0; x + size.width <= page.width; x += 12) spots.push([round2(x), round2(y), size.width, size.height])
  const distance = (r: PointRect) => Math.hypot(r[0] - middle[0], r[1] - middle[1])
  const free = spots.filter((r) => taken.every((t) => !overlaps(r, t)))
  return free.length ? free.reduce((best, r) => (distance(r) < distance(best) ? r : best)) : middle
}
