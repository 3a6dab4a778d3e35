import { TrueTypeFont, type FontSource } from '../pdf/truetype-font'

/** A point of an outline, in em units (1 = the font's units per em), y up. */
export type OutlinePoint = { x: number; y: number }
/**
 * One closed contour as quadratic segments: `start`, then for each segment an optional control
 * point and an end point (a straight line when `c` is absent).
 */
export type OutlineContour = { start: OutlinePoint; segments: Array<{ c?: OutlinePoint; p: OutlinePoint }> }

/**
 * Reads glyph outlines (TrueType `glyf`, ISO/IEC 14496-22 §5.3.3) so seals and handwriting can be
 * rasterised with the same font that `truetype-font.ts` embeds in the PDF, from its parse
 * (`TrueTypeFont.glyphData`: the table directory, `loca` and `glyf` are read once). Composite glyphs are
 * resolved with their offsets and 2×2 transforms. Reads only the tables and glyphs used.
 *
 * @example
 * const outlines = GlyphOutlines.fromSource(source)
 * outlines.contours(font.glyphId(0x5370)) // 印
 */
export class GlyphOutlines {
  private readonly cache = new Map<number, OutlineContour[]>()

  private constructor(private readonly font: TrueTypeFont) {}

  private static readonly instances = new WeakMap<object, GlyphOutlines>()

  /** The outline reader for `source` (one per source object), over the font's own parse. */
  static fromSource(source: FontSource): GlyphOutlines {
    let g = GlyphOutlines.instances.get(source)
    if (!g) {
      g = new GlyphOutlines(TrueTypeFont.fromSource(source))
      GlyphOutlines.instances.set(source, g)
    }
    return g
  }

  private rawGlyph(gid: number): Buffer {
    const data = this.font.glyphData(gid)
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  }

  /** The contours of glyph `gid` in em units (y up); empty for blank glyphs such as the space. */
  contours(gid: number): OutlineContour[] {
    let c = this.cache.get(gid)
    if (!c) {
      c = this.read(gid, 0).map((contour) => scaleContour(contour, 1 / this.font.unitsPerEm))
      this.cache.set(gid, c)
    }
    return c
  }

  /** Contours in font units. */
  private read(gid: number, depth: number): OutlineContour[] {
    const g = this.rawGlyph(gid)
    if (g.length < 10 || depth > 8) return []
    const n = g.readInt16BE(0)
    return n >= 0 ? simpleGlyph(g, n) : this.compositeGlyph(g, depth)
  }

  private compositeGlyph(g: Buffer, depth: number): OutlineContour[] {
    const out: OutlineContour[] = []
    let p = 10
    for (;;) {
      const flags = g.readUInt16BE(p)
      const child = g.readUInt16BE(p + 2)
      p += 4
      let dx = 0
      let dy = 0
      if (flags & 0x0001) {
        dx = flags & 0x0002 ? g.readInt16BE(p) : 0
        dy = flags & 0x0002 ? g.readInt16BE(p + 2) : 0
        p += 4
      } else {
        dx = flags & 0x0002 ? g.readInt8(p) : 0
        dy = flags & 0x0002 ? g.readInt8(p + 1) : 0
        p += 2
      }
      let [a, b, c, d] = [1, 0, 0, 1]
      const f2dot14 = (at: number) => g.readInt16BE(at) / 16384
      if (flags & 0x0008) {
        a = d = f2dot14(p)
        p += 2
      } else if (flags & 0x0040) {
        a = f2dot14(p)
        d = f2dot14(p + 2)
        p += 4
      } else if (flags & 0x0080) {
        a = f2dot14(p)
        b = f2dot14(p + 2)
        c = f2dot14(p + 4)
        d = f2dot14(p + 6)
        p += 8
      }
      const map = (q: OutlinePoint): OutlinePoint => ({ x: a * q.x + c * q.y + dx, y: b * q.x + d * q.y + dy })
      for (const contour of this.read(child, depth + 1)) {
        out.push({ start: map(contour.start), segments: contour.segments.map((s) => ({ c: s.c && map(s.c), p: map(s.p) })) })
      }
      if (!(flags & 0x0020)) break
    }
    return out
  }
}

function scaleContour(c: OutlineContour, k: number): OutlineContour {
  const s = (q: OutlinePoint): OutlinePoint => ({ x: q.x * k, y: q.y * k })
  return { start: s(c.start), segments: c.segments.map((seg) => ({ c: seg.c && s(seg.c), p: s(seg.p) })) }
}

/** A simple glyph: contour end points, flags, then x and y deltas (§5.3.3.1). */
function simpleGlyph(g: Buffer, numContours: number): OutlineContour[] {
  const ends: number[] = []
  for (let i = 0; i < numContours; i++) ends.push(g.readUInt16BE(10 + i * 2))
  const numPoints = numContours ? ends[numContours - 1]! + 1 : 0
  let p = 10 + numContours * 2
  p += 2 + g.readUInt16BE(p) // instructions
  const flags: number[] = []
  while (flags.length < numPoints) {
    const f = g.readUInt8(p++)
    flags.push(f)
    if (f & 0x08) {
      let repeat = g.readUInt8(p++)
      while (repeat-- > 0) flags.push(f)
    }
  }
  const xs: number[] = []
  let v = 0
  for (const f of flags) {
    if (f & 0x02) {
      const d = g.readUInt8(p++)
      v += f & 0x10 ? d : -d
    } else if (!(f & 0x10)) {
      v += g.readInt16BE(p)
      p += 2
    }
    xs.push(v)
  }
  const ys: number[] = []
  v = 0
  for (const f of flags) {
    if (f & 0x04) {
      const d = g.readUInt8(p++)
      v += f & 0x20 ? d : -d
    } else if (!(f & 0x20)) {
      v += g.readInt16BE(p)
      p += 2
    }
    ys.push(v)
  }
  const contours: OutlineContour[] = []
  let first = 0
  for (const end of ends) {
    const pts = []
    for (let i = first; i <= end; i++) pts.push({ x: xs[i]!, y: ys[i]!, on: (flags[i]! & 1) === 1 })
    first = end + 1
    if (pts.length) contours.push(toQuadratic(pts))
  }
  return contours
}

/** On/off-curve points → quadratic segments, inserting the implied on-curve midpoints. */
function toQuadratic(pts: Array<{ x: number; y: number; on: boolean }>): OutlineContour {
  const n = pts.length
  let startIndex = pts.findIndex((q) => q.on)
  let start: OutlinePoint
  if (startIndex < 0) {
    // All off-curve: start at the midpoint of the first two.
    start = { x: (pts[0]!.x + pts[1 % n]!.x) / 2, y: (pts[0]!.y + pts[1 % n]!.y) / 2 }
    startIndex = 0
  } else start = { x: pts[startIndex]!.x, y: pts[startIndex]!.y }
  const segments: OutlineContour['segments'] = []
  let control: OutlinePoint | undefined
  for (let k = 1; k <= n; k++) {
    const q = pts[(startIndex + k) % n]!
    if (q.on) {
      segments.push({ c: control, p: { x: q.x, y: q.y } })
      control = undefined
    } else if (control) {
      const mid = { x: (control.x + q.x) / 2, y: (control.y + q.y) / 2 }
      segments.push({ c: control, p: mid })
      control = { x: q.x, y: q.y }
    } else control = { x: q.x, y: q.y }
  }
  if (control) segments.push({ c: control, p: start })
  return { start, segments }
}
