import { err, ok, type Result } from '../shared/result'
import { INK_BLACK, ellipsePath, type Drawing, type PathOp } from './drawing'

/** A sampled point of a stroke, in canvas pixels (y down); `t` ms since any origin; `p` pressure 0–1 when the device reports it. */
export type StrokePoint = { x: number; y: number; t?: number; p?: number }

/** What the handwriting canvas posts: its size in pixels and the strokes drawn on it. */
export type HandwritingInput = { width: number; height: number; strokes: StrokePoint[][] }

/**
 * What one handwriting request may carry. Rasterising costs grow with the canvas (the drawing is
 * cropped to the ink, at up to 2 px per canvas pixel) and with overlapping samples; these bounds
 * keep the largest allowed request to a few seconds of one worker thread (it runs on the CPU
 * worker pool, so other requests do not wait for it). A slowly written
 * three-character name is 1,000–2,000 points.
 */
export const HANDWRITING_LIMITS = { maxStrokes: 100, maxPointsPerStroke: 1000, maxPoints: 3000, minSide: 50, maxSide: 2048, maxArea: 2048 * 1024 } as const

/**
 * Checks the size of a handwriting request before any work: `HANDWRITING_CANVAS_INVALID` (400)
 * for a canvas outside {@link HANDWRITING_LIMITS}, `HANDWRITING_TOO_COMPLEX` (413) for too many
 * strokes or points. O(number of strokes).
 */
export function checkHandwritingSize(input: HandwritingInput): Result<void> {
  const L = HANDWRITING_LIMITS
  const { width, height, strokes } = input
  const sideOk = (v: number) => Number.isInteger(v) && v >= L.minSide && v <= L.maxSide
  if (!sideOk(width) || !sideOk(height) || width * height > L.maxArea) {
    return err('HANDWRITING_CANVAS_INVALID', `画布尺寸应在 ${L.minSide}–${L.maxSide} 像素之间，且不超过 ${L.maxArea} 像素`, {
      field: 'width',
      min: L.minSide,
      max: L.maxSide,
      maxArea: L.maxArea,
    })
  }
  if (!Array.isArray(strokes)) return err('VALIDATION_FAILED', '缺少笔画', { field: 'strokes' })
  if (strokes.length > L.maxStrokes) return err('HANDWRITING_TOO_COMPLEX', `笔画过多（最多 ${L.maxStrokes} 笔）`, { field: 'strokes', maxStrokes: L.maxStrokes })
  let total = 0
  for (const s of strokes) {
    if (s.length > L.maxPointsPerStroke) {
      return err('HANDWRITING_TOO_COMPLEX', `单个笔画的采样点过多（最多 ${L.maxPointsPerStroke} 个）`, { field: 'strokes', maxPointsPerStroke: L.maxPointsPerStroke })
    }
    total += s.length
  }
  if (total > L.maxPoints) return err('HANDWRITING_TOO_COMPLEX', `采样点过多（最多 ${L.maxPoints} 个）`, { field: 'strokes', maxPoints: L.maxPoints })
  return ok(undefined)
}

/** Millimetres per canvas pixel in the rendered signature (a 300 px wide signature is 60 mm). */
const MM_PER_PX = 0.2

type Sample = { x: number; y: number; r: number }

/**
 * Turns canvas strokes into a smooth, pressure-like signature drawing: each stroke is smoothed
 * (two rounds of Chaikin corner cutting), its width follows the reported pressure or else the
 * pen speed (fast is thin, slow is thick, eased along the stroke) and tapers at both ends; the
 * outline is the union of a disc at every sample and a quad between neighbours (non-zero fill).
 * The result is cropped to the ink with a small margin. Deterministic.
 *
 * Fails with `VALIDATION_FAILED` for an empty signature or points outside the canvas, and as
 * {@link checkHandwritingSize} for a canvas or stroke count beyond {@link HANDWRITING_LIMITS}.
 */
export function renderHandwriting(input: HandwritingInput): Result<Drawing> {
  const bad = (message: string, extra: Record<string, unknown> = {}) => err('VALIDATION_FAILED', message, { field: 'strokes', ...extra })
  const size = checkHandwritingSize(input)
  if (!size.ok) return size
  const { width, height, strokes } = input
  if (strokes.length === 0 || strokes.every((s) => s.length === 0)) return bad('签名为空，请先书写')
  for (const s of strokes) {
    for (const q of s) {
      if (!Number.isFinite(q.x) || !Number.isFinite(q.y) || q.x < -1 || q.y < -1 || q.x > width + 1 || q.y > height + 1) {
        return bad('笔画坐标超出画布范围')
      }
    }
  }
  const base = Math.min(12, Math.max(2, Math.min(width, height) / 70))
  const samples = strokes.filter((s) => s.length > 0).map((s) => widen(smooth(dedupe(s)), base))
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const s of samples) {
    for (const q of s) {
      minX = Math.min(minX, q.x - q.r)
      minY = Math.min(minY, q.y - q.r)
      maxX = Math.max(maxX, q.x + q.r)
      maxY = Math.max(maxY, q.y + q.r)
    }
  }
  const pad = base
  minX -= pad
  minY -= pad
  maxX += pad
  maxY += pad
  const W = (maxX - minX) * MM_PER_PX
  const H = (maxY - minY) * MM_PER_PX
  // Canvas px (y down) → drawing mm (y up), cropped.
  const mx = (x: number) => (x - minX) * MM_PER_PX
  const my = (y: number) => (maxY - y) * MM_PER_PX
  const ops: PathOp[] = []
  for (const s of samples) {
    s.forEach((q, i) => {
      ops.push(...ellipsePath(mx(q.x), my(q.y), q.r * MM_PER_PX, q.r * MM_PER_PX))
      const next = s[i + 1]
      if (next) ops.push(...segmentQuad(q, next, mx, my))
    })
  }
  return ok({ width: W, height: H, shapes: [{ type: 'path', ops, color: INK_BLACK }] })
}

/** Drops consecutive duplicate points (they carry no direction). */
function dedupe(s: StrokePoint[]): StrokePoint[] {
  const out: StrokePoint[] = [s[0]!]
  for (const q of s.slice(1)) {
    const last = out[out.length - 1]!
    if (Math.hypot(q.x - last.x, q.y - last.y) >= 0.5) out.push(q)
  }
  return out
}

type Smoothed = { x: number; y: number; t?: number; p?: number }

/** Two rounds of Chaikin corner cutting, keeping the end points; t and p are interpolated. */
function smooth(s: StrokePoint[]): Smoothed[] {
  let pts: Smoothed[] = s.map((q) => ({ ...q }))
  for (let round = 0; round < 2 && pts.length > 2; round++) {
    const out: Smoothed[] = [pts[0]!]
    for (let i = 0; i < pts.length - 1; i++) {
      const a = pts[i]!
      const b = pts[i + 1]!
      out.push(mix(a, b, 0.25), mix(a, b, 0.75))
    }
    out.push(pts[pts.length - 1]!)
    pts = out
  }
  return pts
}

function mix(a: Smoothed, b: Smoothed, k: number): Smoothed {
  const lerp = (u?: number, v?: number) => (u === undefined || v === undefined ? undefined : u + (v - u) * k)
  return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k, t: lerp(a.t, b.t), p: lerp(a.p, b.p) }
}

/** Radius per sample: pressure if known, else speed; eased, tapered at the ends. */
function widen(pts: Smoothed[], base: number): Sample[] {
  const n = pts.length
  const hasPressure = pts.every((q) => typeof q.p === 'number' && q.p > 0)
  const hasTime = pts.every((q) => typeof q.t === 'number')
  const raw = pts.map((q, i) => {
    if (hasPressure) return 0.35 + 0.9 * Math.min(1, Math.max(0, q.p as number))
    if (hasTime && i > 0) {
      const prev = pts[i - 1]!
      const dt = Math.max(1, (q.t as number) - (prev.t as number))
      const v = Math.hypot(q.x - prev.x, q.y - prev.y) / dt // px per ms
      return Math.min(1.25, Math.max(0.45, 1.3 - 0.35 * v))
    }
    return 1
  })
  // Ease: exponential moving average so the width changes gradually along the stroke.
  let w = raw[0]!
  const eased = raw.map((r) => (w = w * 0.7 + r * 0.3))
  const taper = Math.min(6, Math.floor(n / 3))
  return pts.map((q, i) => {
    const fromEnd = Math.min(i, n - 1 - i)
    const t = taper > 0 && fromEnd < taper ? 0.55 + (0.45 * fromEnd) / taper : 1
    return { x: q.x, y: q.y, r: (base / 2) * eased[i]! * t }
  })
}

/** The quad joining two discs' sides, counter-clockwise in drawing space. */
function segmentQuad(a: Sample, b: Sample, mx: (x: number) => number, my: (y: number) => number): PathOp[] {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const len = Math.hypot(dx, dy)
  if (len === 0) return []
  const nx = -dy / len
  const ny = dx / len
  let pts: Array<[number, number]> = [
    [mx(a.x + nx * a.r), my(a.y + ny * a.r)],
    [mx(b.x + nx * b.r), my(b.y + ny * b.r)],
    [mx(b.x - nx * b.r), my(b.y - ny * b.r)],
    [mx(a.x - nx * a.r), my(a.y - ny * a.r)],
  ]
  let area = 0
  for (let i = 0; i < 4; i++) {
    const [x0, y0] = pts[i]!
    const [x1, y1] = pts[(i + 1) % 4]!
    area += x0 * y1 - x1 * y0
  }
  if (area < 0) pts = pts.reverse()
  return [['M', pts[0]![0], pts[0]![1]], ['L', pts[1]![0], pts[1]![1]], ['L', pts[2]![0], pts[2]![1]], ['L', pts[3]![0], pts[3]![1]], ['Z']]
}
