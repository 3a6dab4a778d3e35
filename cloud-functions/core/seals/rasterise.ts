import { deflateSync } from 'node:zlib'
import { PNG_SIGNATURE, pngChunk } from '../shared/png-chunk'
import type { Drawing, Matrix, PathOp, Rgb, SealFont } from './drawing'
import type { OutlineContour } from './glyph-outlines'

/** An RGBA image, 8 bits per channel, not premultiplied, rows top to bottom. */
export type RgbaImage = { width: number; height: number; data: Uint8Array }

/** Sub-scanlines per pixel row (vertical anti-aliasing); horizontal coverage is exact. */
const SUBSAMPLES = 5

/**
 * A small deterministic scanline rasteriser for {@link Drawing}s: paths and glyph outlines are
 * flattened to polygons and filled with the non-zero winding rule, anti-aliased (exact horizontal
 * coverage, five sub-scanlines per row), composited source-over onto a transparent canvas.
 * Pure arithmetic on numbers: the same drawing gives the same pixels.
 *
 * @example
 * const img = rasterise(drawing, font, 12) // 12 px per mm ≈ 305 dpi
 */
export function rasterise(drawing: Drawing, font: SealFont | undefined, pixelsPerMm: number): RgbaImage {
  const width = Math.max(1, Math.ceil(drawing.width * pixelsPerMm))
  const height = Math.max(1, Math.ceil(drawing.height * pixelsPerMm))
  const canvas = new Canvas(width, height)
  const toPx = (x: number, y: number): [number, number] => [x * pixelsPerMm, (drawing.height - y) * pixelsPerMm]
  for (const shape of drawing.shapes) {
    if (shape.type === 'path') {
      canvas.fill(flattenPath(shape.ops, toPx), shape.color)
    } else {
      if (!font) throw new Error('a drawing with text needs the seal font to be rasterised')
      const gid = font.font.glyphId(shape.char.codePointAt(0) as number)
      canvas.fill(flattenGlyph(font.outlines.contours(gid), shape.matrix, toPx), shape.color)
    }
  }
  return canvas.toImage()
}

/**
 * PNG bytes (8-bit RGBA, colour type 6; PNG spec §11) of `image`, each row with the Sub filter,
 * zlib level 9, and a pHYs chunk when `pixelsPerMm` is given (so print tools know the real size).
 * Deterministic for the same pixels.
 */
export function encodePng(image: RgbaImage, pixelsPerMm?: number): Uint8Array {
  const { width: w, height: h, data } = image
  const stride = w * 4
  const raw = Buffer.alloc((stride + 1) * h)
  for (let y = 0; y < h; y++) {
    const o = y * (stride + 1)
    raw[o] = 1 // Sub: each byte minus the byte 4 to its left
    for (let x = 0; x < stride; x++) raw[o + 1 + x] = (data[y * stride + x]! - (x >= 4 ? data[y * stride + x - 4]! : 0)) & 0xff
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const chunks = [pngChunk('IHDR', ihdr)]
  if (pixelsPerMm) {
    const phys = Buffer.alloc(9)
    const ppm = Math.round(pixelsPerMm * 1000)
    phys.writeUInt32BE(ppm, 0)
    phys.writeUInt32BE(ppm, 4)
    phys[8] = 1 // unit: metre
    chunks.push(pngChunk('pHYs', phys))
  }
  chunks.push(pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0)))
  return new Uint8Array(Buffer.concat([PNG_SIGNATURE, ...chunks]))
}

/** `drawing` as a PNG preview at `pixelsPerMm`. */
export function drawingToPng(drawing: Drawing, font: SealFont | undefined, pixelsPerMm: number): Uint8Array {
  return encodePng(rasterise(drawing, font, pixelsPerMm), pixelsPerMm)
}

type Polygon = number[] // x0, y0, x1, y1, … (closed implicitly)

function segmentsFor(len: number): number {
  return Math.min(64, Math.max(2, Math.ceil(Math.sqrt(len * 4))))
}

function flattenPath(ops: PathOp[], toPx: (x: number, y: number) => [number, number]): Polygon[] {
  const polys: Polygon[] = []
  let cur: Polygon = []
  let x = 0
  let y = 0
  for (const op of ops) {
    switch (op[0]) {
      case 'M': {
        if (cur.length >= 6) polys.push(cur)
        ;[x, y] = toPx(op[1], op[2])
        cur = [x, y]
        break
      }
      case 'L': {
        ;[x, y] = toPx(op[1], op[2])
        cur.push(x, y)
        break
      }
      case 'C': {
        const [x1, y1] = toPx(op[1], op[2])
        const [x2, y2] = toPx(op[3], op[4])
        const [x3, y3] = toPx(op[5], op[6])
        const n = segmentsFor(Math.hypot(x1 - x, y1 - y) + Math.hypot(x2 - x1, y2 - y1) + Math.hypot(x3 - x2, y3 - y2))
        for (let i = 1; i <= n; i++) {
          const t = i / n
          const u = 1 - t
          const a = u * u * u
          const b = 3 * u * u * t
          const c = 3 * u * t * t
          const d = t * t * t
          cur.push(a * x + b * x1 + c * x2 + d * x3, a * y + b * y1 + c * y2 + d * y3)
        }
        x = x3
        y = y3
        break
      }
      case 'Z':
        break
    }
  }
  if (cur.length >= 6) polys.push(cur)
  return polys
}

function flattenGlyph(contours: OutlineContour[], m: Matrix, toPx: (x: number, y: number) => [number, number]): Polygon[] {
  const map = (px: number, py: number): [number, number] => toPx(m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5])
  return contours.map((c) => {
    let [x, y] = map(c.start.x, c.start.y)
    const poly: Polygon = [x, y]
    for (const s of c.segments) {
      const [ex, ey] = map(s.p.x, s.p.y)
      if (!s.c) poly.push(ex, ey)
      else {
        const [cx, cy] = map(s.c.x, s.c.y)
        const n = segmentsFor(Math.hypot(cx - x, cy - y) + Math.hypot(ex - cx, ey - cy))
        for (let i = 1; i <= n; i++) {
          const t = i / n
          const u = 1 - t
          poly.push(u * u * x + 2 * u * t * cx + t * t * ex, u * u * y + 2 * u * t * cy + t * t * ey)
        }
      }
      x = ex
      y = ey
    }
    return poly
  })
}

/** Premultiplied RGBA in [0, 1] while drawing; 8-bit straight alpha out. */
class Canvas {
  private readonly px: Float32Array
  private readonly acc: Float32Array

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.px = new Float32Array(width * height * 4)
    this.acc = new Float32Array(width + 1)
  }

  /** Fills the union of `polys` (non-zero winding) with `color`, at full opacity. */
  fill(polys: Polygon[], color: Rgb): void {
    // Edges: [yTop, yBottom, xAtTop, dx/dy, winding]
    const edges: number[][] = []
    let minY = Infinity
    let maxY = -Infinity
    let minX = Infinity
    let maxX = -Infinity
    for (const p of polys) {
      const n = p.length / 2
      for (let i = 0; i < n; i++) {
        const x0 = p[i * 2]!
        const y0 = p[i * 2 + 1]!
        const j = (i + 1) % n
        const x1 = p[j * 2]!
        const y1 = p[j * 2 + 1]!
        minX = Math.min(minX, x0)
        maxX = Math.max(maxX, x0)
        if (y0 === y1) continue
        const [ya, yb, xa, xb, dir] = y0 < y1 ? [y0, y1, x0, x1, 1] : [y1, y0, x1, x0, -1]
        edges.push([ya, yb, xa, (xb - xa) / (yb - ya), dir])
        minY = Math.min(minY, ya)
        maxY = Math.max(maxY, yb)
      }
    }
    if (!edges.length) return
    edges.sort((a, b) => a[0]! - b[0]! || a[2]! - b[2]!)
    const r = color[0] / 255
    const g = color[1] / 255
    const b = color[2] / 255
    const x0 = Math.max(0, Math.floor(minX))
    const x1 = Math.min(this.width, Math.ceil(maxX) + 1)
    const row0 = Math.max(0, Math.floor(minY))
    const row1 = Math.min(this.height, Math.ceil(maxY))
    let next = 0
    let active: number[][] = []
    const crossings: Array<[number, number]> = []
    const w = 1 / SUBSAMPLES
    for (let row = row0; row < row1; row++) {
      this.acc.fill(0, x0, x1 + 1)
      for (let s = 0; s < SUBSAMPLES; s++) {
        const sy = row + (s + 0.5) / SUBSAMPLES
        while (next < edges.length && edges[next]![0]! <= sy) active.push(edges[next++]!)
        active = active.filter((e) => e[1]! > sy)
        crossings.length = 0
        for (const e of active) if (e[0]! <= sy) crossings.push([e[2]! + (sy - e[0]!) * e[3]!, e[4]!])
        crossings.sort((p, q) => p[0] - q[0])
        let winding = 0
        let start = 0
        for (const [x, dir] of crossings) {
          const before = winding
          winding += dir
          if (before === 0 && winding !== 0) start = x
          else if (before !== 0 && winding === 0) this.span(start, x, w)
        }
      }
      const base = row * this.width
      for (let x = x0; x < x1; x++) {
        const cov = this.acc[x]!
        if (cov <= 0) continue
        const a = Math.min(1, cov)
        const i = (base + x) * 4
        const keep = 1 - a
        this.px[i] = r * a + this.px[i]! * keep
        this.px[i + 1] = g * a + this.px[i + 1]! * keep
        this.px[i + 2] = b * a + this.px[i + 2]! * keep
        this.px[i + 3] = a + this.px[i + 3]! * keep
      }
    }
  }

  /** Adds `weight` × the covered fraction of each pixel of [a, b) on the current row. */
  private span(a: number, b: number, weight: number): void {
    a = Math.max(0, a)
    b = Math.min(this.width, b)
    if (b <= a) return
    const ia = Math.floor(a)
    const ib = Math.floor(b)
    if (ia === ib) {
      this.acc[ia] = this.acc[ia]! + (b - a) * weight
      return
    }
    this.acc[ia] = this.acc[ia]! + (ia + 1 - a) * weight
    for (let i = ia + 1; i < ib; i++) this.acc[i] = this.acc[i]! + weight
    if (ib < this.width) this.acc[ib] = this.acc[ib]! + (b - ib) * weight
  }

  toImage(): RgbaImage {
    const out = new Uint8Array(this.width * this.height * 4)
    for (let i = 0; i < out.length; i += 4) {
      const a = this.px[i + 3]!
      if (a <= 0) continue
      out[i] = Math.round(Math.min(1, this.px[i]! / a) * 255)
      out[i + 1] = Math.round(Math.min(1, this.px[i + 1]! / a) * 255)
      out[i + 2] = Math.round(Math.min(1, this.px[i + 2]! / a) * 255)
      out[i + 3] = Math.round(Math.min(1, a) * 255)
    }
    return { width: this.width, height: this.height, data: out }
  }
}
