import { TrueTypeFont, type FontSource } from '../pdf/truetype-font'
import { GlyphOutlines } from './glyph-outlines'

/** sRGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number]

/** The red of generated seals and of normalised uploads (印泥红). */
export const SEAL_RED: Rgb = [214, 30, 30]
/** Ink of handwritten signatures. */
export const INK_BLACK: Rgb = [20, 20, 28]

/** Path operators, in drawing units (millimetres), y up. */
export type PathOp =
  | readonly ['M', number, number]
  | readonly ['L', number, number]
  | readonly ['C', number, number, number, number, number, number]
  | readonly ['Z']

/** A PDF-style matrix `[a b c d e f]`: (x, y) → (a·x + c·y + e, b·x + d·y + f). */
export type Matrix = readonly [number, number, number, number, number, number]

/**
 * One filled shape. Paths fill with the non-zero winding rule (so a ring is an outer contour
 * plus an inner one of the opposite direction). A glyph is one character of the seal font drawn
 * through `matrix`, which maps its em square (1 × 1, baseline at y = 0) into drawing units.
 */
export type Shape =
  | { type: 'path'; ops: PathOp[]; color: Rgb }
  | { type: 'glyph'; char: string; matrix: Matrix; color: Rgb }

/**
 * A vector seal or signature: `width` × `height` millimetres, origin at the bottom left, y up
 * (as in PDF). Drawn to PDF by `seal-pdf.ts` and to pixels by `rasterise.ts`, from the same data.
 */
export type Drawing = { width: number; height: number; shapes: Shape[] }

/** The seal font: metrics and cmap for PDF embedding, outlines for rasterising. */
export type SealFont = { font: TrueTypeFont; outlines: GlyphOutlines }

/** The seal font read through `source` (only the tables and glyphs used are read). */
export function sealFontFrom(source: FontSource): SealFont {
  return { font: TrueTypeFont.fromSource(source), outlines: GlyphOutlines.fromSource(source) }
}

/** Height above the baseline of the middle of the CJK ideographic em box (−0.12 … 0.88 em). */
export const EM_MIDDLE = 0.38

/** Whether the font can draw every character of `text`. */
export function missingGlyphs(font: SealFont, text: string): string[] {
  return [...new Set([...text].filter((ch) => font.font.glyphId(ch.codePointAt(0) as number) === 0))]
}

/** Advance of `char` in em. */
export function advance(font: SealFont, char: string): number {
  return font.font.advance(font.font.glyphId(char.codePointAt(0) as number)) / 1000
}

/**
 * The matrix that draws `char` centred at (cx, cy), `height` mm per em vertically and
 * `height·scaleX` horizontally, turned `rotation` radians counter-clockwise.
 */
export function glyphMatrix(font: SealFont, char: string, cx: number, cy: number, height: number, scaleX: number, rotation: number): Matrix {
  const cos = Math.cos(rotation)
  const sin = Math.sin(rotation)
  const kx = height * scaleX
  const a = cos * kx
  const b = sin * kx
  const c = -sin * height
  const d = cos * height
  const ax = -advance(font, char) / 2
  const ay = -EM_MIDDLE
  return [a, b, c, d, cx + a * ax + c * ay, cy + b * ax + d * ay]
}

const KAPPA = 0.5522847498307936

/** An ellipse centred at (cx, cy) as four cubic Béziers; counter-clockwise unless `clockwise`. */
export function ellipsePath(cx: number, cy: number, rx: number, ry: number, clockwise = false): PathOp[] {
  const kx = rx * KAPPA
  const ky = ry * KAPPA
  if (!clockwise) {
    return [
      ['M', cx + rx, cy],
      ['C', cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry],
      ['C', cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy],
      ['C', cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry],
      ['C', cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy],
      ['Z'],
    ]
  }
  return [
    ['M', cx + rx, cy],
    ['C', cx + rx, cy - ky, cx + kx, cy - ry, cx, cy - ry],
    ['C', cx - kx, cy - ry, cx - rx, cy - ky, cx - rx, cy],
    ['C', cx - rx, cy + ky, cx - kx, cy + ry, cx, cy + ry],
    ['C', cx + kx, cy + ry, cx + rx, cy + ky, cx + rx, cy],
    ['Z'],
  ]
}

/** An elliptic ring `lineWidth` wide, whose outer edge has radii (rx, ry). */
export function ringPath(cx: number, cy: number, rx: number, ry: number, lineWidth: number): PathOp[] {
  return [...ellipsePath(cx, cy, rx, ry), ...ellipsePath(cx, cy, rx - lineWidth, ry - lineWidth, true)]
}

/** A rectangle, counter-clockwise unless `clockwise`. */
export function rectPath(x: number, y: number, w: number, h: number, clockwise = false): PathOp[] {
  const pts: Array<[number, number]> = clockwise
    ? [[x, y], [x, y + h], [x + w, y + h], [x + w, y]]
    : [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
  return [['M', pts[0][0], pts[0][1]], ...pts.slice(1).map(([px, py]) => ['L', px, py] as const), ['Z']]
}

/** A rectangular frame `lineWidth` wide whose outer edge is (x, y, w, h). */
export function framePath(x: number, y: number, w: number, h: number, lineWidth: number): PathOp[] {
  return [...rectPath(x, y, w, h), ...rectPath(x + lineWidth, y + lineWidth, w - 2 * lineWidth, h - 2 * lineWidth, true)]
}

/** A five-pointed star centred at (cx, cy), point up, outer radius `r` (regular pentagram outline). */
export function starPath(cx: number, cy: number, r: number): PathOp[] {
  const inner = (r * Math.sin(Math.PI / 10)) / Math.sin((7 * Math.PI) / 10)
  const ops: PathOp[] = []
  for (let i = 0; i < 10; i++) {
    const a = Math.PI / 2 + (i * Math.PI) / 5
    const rr = i % 2 === 0 ? r : inner
    ops.push([i === 0 ? 'M' : 'L', cx + rr * Math.cos(a), cy + rr * Math.sin(a)])
  }
  ops.push(['Z'])
  return ops
}

/** Every character drawn, in order (for font subsetting). */
export function drawingText(d: Drawing): string {
  return d.shapes.map((s) => (s.type === 'glyph' ? s.char : '')).join('')
}
