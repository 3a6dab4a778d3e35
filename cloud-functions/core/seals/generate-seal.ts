import { err, ok, type Result } from '../shared/result'
import {
  SEAL_RED,
  framePath,
  glyphMatrix,
  missingGlyphs,
  advance,
  ringPath,
  starPath,
  type Drawing,
  type SealFont,
  type Shape,
} from './drawing'

/** The company seal types the generator draws (公章, 合同专用章, 财务专用章). */
export const COMPANY_SEAL_TYPES = ['公章', '合同专用章', '财务专用章'] as const
export type CompanySealType = (typeof COMPANY_SEAL_TYPES)[number]

/**
 * What to draw. Company seals: the company name along the upper arc (2–40 characters, fitted
 * automatically), the seal type as a horizontal line (公章 has none), an optional 13-digit seal
 * code (印章编码) along the lower arc; the round seal has a five-pointed star. Personal seals: the
 * name in a 2×2 or 2×3 grid (two columns read right to left), padded with 之印 / 印.
 */
export type SealSpec =
  | { kind: 'company-round'; companyName: string; sealType: CompanySealType; code?: string }
  | { kind: 'company-oval'; companyName: string; sealType: CompanySealType; code?: string }
  | { kind: 'personal-square'; name: string; layout?: '2x2' | '2x3' }
  | { kind: 'legal-representative'; name: string }

export type SealKind = SealSpec['kind']

/** Round seal diameters in mm by type (GA 241 practice: 公章 42 mm, special-purpose seals smaller). */
const ROUND_DIAMETER: Record<CompanySealType, number> = { 公章: 42, 合同专用章: 40, 财务专用章: 38 }

/**
 * Draws a seal as vector shapes (millimetres). Deterministic: the same spec and font give the same
 * drawing. Fails with `VALIDATION_FAILED` for text the seal cannot carry (length, characters the
 * font lacks, a code that is not 13 digits).
 *
 * @example
 * const d = generateSeal({ kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章' }, font)
 * if (d.ok) rasteriseToPng(d.value, font, { pixelsPerMm: 12 })
 */
export function generateSeal(spec: SealSpec, font: SealFont): Result<Drawing> {
  const checked = checkSpec(spec, font)
  if (!checked.ok) return checked
  switch (spec.kind) {
    case 'company-round':
      return ok(roundSeal(font, checked.value.text, spec.sealType, spec.code))
    case 'company-oval':
      return ok(ovalSeal(font, checked.value.text, spec.sealType, spec.code))
    case 'personal-square':
      return ok(squareSeal(font, checked.value.text, checked.value.rows, false))
    case 'legal-representative':
      return ok(squareSeal(font, checked.value.text, checked.value.rows, true))
  }
}

/** Normalises the seal's text: trimmed, inner whitespace removed. */
export function sealText(raw: string): string {
  return String(raw ?? '').replace(/\s+/g, '')
}

function fail(field: string, message: string, extra: Record<string, unknown> = {}) {
  return err('VALIDATION_FAILED', message, { field, ...extra })
}

/** The text to lay out (name padded for grids) and the grid rows. */
function checkSpec(spec: SealSpec, font: SealFont): Result<{ text: string; rows: number }> {
  if (spec.kind === 'company-round' || spec.kind === 'company-oval') {
    const name = sealText(spec.companyName)
    const n = [...name].length
    if (n < 2 || n > 40) return fail('companyName', `单位名称应为 2–40 个字（当前 ${n} 个）`, { min: 2, max: 40 })
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name)) return fail('companyName', '单位名称包含不允许的字符')
    if (!COMPANY_SEAL_TYPES.includes(spec.sealType)) return fail('sealType', `印章类型应为 ${COMPANY_SEAL_TYPES.join('、')} 之一`)
    if (spec.code !== undefined && spec.code !== '' && !/^\d{13}$/.test(spec.code)) return fail('code', '印章编码应为 13 位数字')
    const missing = missingGlyphs(font, name)
    if (missing.length) return fail('companyName', `印章字体不支持这些字符：${missing.join('')}`, { characters: missing })
    return ok({ text: name, rows: 0 })
  }
  const name = sealText(spec.name)
  const n = [...name].length
  if (n < 2 || n > 6) return fail('name', `姓名应为 2–6 个字（当前 ${n} 个）`, { min: 2, max: 6 })
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return fail('name', '姓名包含不允许的字符')
  const layout = spec.kind === 'personal-square' ? (spec.layout ?? (n <= 4 ? '2x2' : '2x3')) : n <= 3 ? '2x2' : '2x3'
  const rows = layout === '2x2' ? 2 : 3
  const cells = rows * 2
  if (n > cells) return fail('name', `${layout} 版式最多容纳 ${cells} 个字`)
  const pad = cells - n
  if (pad > 2) return fail('name', `${layout} 版式需要至少 ${cells - 2} 个字`)
  const text = name + (pad === 2 ? '之印' : pad === 1 ? '印' : '')
  const missing = missingGlyphs(font, text)
  if (missing.length) return fail('name', `印章字体不支持这些字符：${missing.join('')}`, { characters: missing })
  return ok({ text, rows })
}

/**
 * Characters placed along an ellipse centred at the origin (a circle when rx = ry), evenly spaced
 * by arc length around the angle `centre`. `inward`: tops toward the centre (the lower-arc code);
 * otherwise tops outward (the name). Left-to-right reading either way.
 */
function alongEllipse(
  font: SealFont,
  chars: string[],
  rx: number,
  ry: number,
  centre: number,
  pitch: number,
  height: number,
  scaleX: number,
  inward: boolean,
): Shape[] {
  // Left to right: clockwise along the upper arc, counter-clockwise along the lower arc.
  const dir = inward ? 1 : -1
  const n = chars.length
  const step = 2e-4
  const speed = (t: number) => Math.hypot(rx * Math.sin(t), ry * Math.cos(t))
  const angleAt = (offset: number): number => {
    // Walk from `centre` until the arc length reaches |offset| (midpoint rule; deterministic).
    let t = centre
    let s = 0
    const sign = Math.sign(offset) * dir
    const target = Math.abs(offset)
    while (s < target) {
      const ds = speed(t + (sign * step) / 2) * step
      if (s + ds >= target) {
        t += (sign * step * (target - s)) / ds
        break
      }
      s += ds
      t += sign * step
    }
    return t
  }
  return chars.map((ch, i) => {
    const t = angleAt((i + 0.5 - n / 2) * pitch)
    const x = rx * Math.cos(t)
    const y = ry * Math.sin(t)
    const normal = Math.atan2(rx * Math.sin(t), ry * Math.cos(t))
    const rotation = inward ? normal + Math.PI / 2 : normal - Math.PI / 2
    return { type: 'glyph', char: ch, matrix: glyphMatrix(font, ch, x, y, height, scaleX, rotation), color: SEAL_RED }
  })
}

/** A horizontal line of text centred at (0, cy), `height` per em, squeezed by `scaleX`, with `spacing` mm between characters. */
function horizontalLine(font: SealFont, text: string, cy: number, height: number, scaleX: number, spacing: number): Shape[] {
  const chars = [...text]
  const widths = chars.map((c) => advance(font, c) * height * scaleX)
  const total = widths.reduce((a, b) => a + b, 0) + spacing * (chars.length - 1)
  let x = -total / 2
  return chars.map((ch, i) => {
    const cx = x + widths[i]! / 2
    x += widths[i]! + spacing
    return { type: 'glyph', char: ch, matrix: glyphMatrix(font, ch, cx, cy, height, scaleX, 0), color: SEAL_RED }
  })
}

/**
 * The name arc's size and spacing for n characters: the glyph height shrinks from 7 mm (8
 * characters or fewer) to 4.2 mm (40), the arc spans 125°–250°, and characters are narrowed
 * (scaleX < 1) once the arc is full so that neighbours keep a tenth of their pitch apart.
 */
export function fitNameArc(n: number, radiusTop: number, scale: number): { height: number; radius: number; pitch: number; scaleX: number } {
  const height = (n <= 8 ? 7 : Math.max(4.2, 7 - ((n - 8) * 2.8) / 32)) * scale
  const radius = radiusTop - height / 2
  const natural = height * 1.06 // a full-width glyph plus a little air
  const minSpan = n <= 3 ? n * 0.5 : (125 * Math.PI) / 180
  const maxSpan = (250 * Math.PI) / 180
  const span = Math.min(maxSpan, Math.max(minSpan, (n * natural) / radius))
  const pitch = (span * radius) / n
  const scaleX = Math.min(1, (pitch * 0.9) / height)
  return { height, radius, pitch, scaleX }
}

function roundSeal(font: SealFont, name: string, sealType: CompanySealType, code?: string): Drawing {
  const d = ROUND_DIAMETER[sealType]
  const k = d / 42 // layout in units of a 42 mm seal
  const r = d / 2
  const ring = 1.2 * k
  const shapes: Shape[] = [{ type: 'path', ops: ringPath(0, 0, r, r, ring), color: SEAL_RED }]
  const fit = fitNameArc([...name].length, r - ring - 0.9 * k, k)
  shapes.push(...alongEllipse(font, [...name], fit.radius, fit.radius, Math.PI / 2, fit.pitch, fit.height, fit.scaleX, false))
  shapes.push({ type: 'path', ops: starPath(0, 0.3 * k, 7 * k), color: SEAL_RED })
  if (sealType !== '公章') shapes.push(...horizontalLine(font, sealType, -10.2 * k, 4.6 * k, 0.82, 0.25 * k))
  if (code) {
    const h = 2.6 * k
    shapes.push(...alongEllipse(font, [...code], r - ring - 0.7 * k - h / 2, r - ring - 0.7 * k - h / 2, -Math.PI / 2, 1.75 * k, h, 1, true))
  }
  return centred(d, d, shapes)
}

function ovalSeal(font: SealFont, name: string, sealType: CompanySealType, code?: string): Drawing {
  const rx = 22.5
  const ry = 15
  const ring = 1.0
  const n = [...name].length
  const height = n <= 8 ? 5.2 : Math.max(3.4, 5.2 - ((n - 8) * 1.8) / 32)
  const inset = ring + 1.1 + height / 2
  const ex = rx - inset
  const ey = ry - inset
  // At most the upper arc from −10° to 190° (ellipse perimeter by Ramanujan, prorated): beyond
  // that the ends curve so fast that the corners of the glyphs would touch the ring.
  const perimeter = Math.PI * (3 * (ex + ey) - Math.sqrt((3 * ex + ey) * (ex + 3 * ey)))
  const maxLength = (perimeter * 200) / 360
  const natural = n * height * 1.06
  const length = Math.min(maxLength, Math.max(n <= 3 ? natural * 1.4 : perimeter * 0.3, natural))
  const pitch = length / n
  const scaleX = Math.min(1, (pitch * 0.9) / height)
  const shapes: Shape[] = [{ type: 'path', ops: ringPath(0, 0, rx, ry, ring), color: SEAL_RED }]
  shapes.push(...alongEllipse(font, [...name], ex, ey, Math.PI / 2, pitch, height, scaleX, false))
  shapes.push(...horizontalLine(font, sealType, -0.6, 4.4, 0.85, 0.25))
  if (code) {
    const h = 2.3
    const cInset = ring + 0.6 + h / 2
    shapes.push(...alongEllipse(font, [...code], rx - cInset, ry - cInset, -Math.PI / 2, 1.55, h, 1, true))
  }
  return centred(2 * rx, 2 * ry, shapes)
}

/**
 * Square seal: `text` in two columns read right to left, top to bottom, `rows` per column, inside
 * a frame (a double frame for the legal representative's seal, 法定代表人章).
 */
function squareSeal(font: SealFont, text: string, rows: number, legalRepresentative: boolean): Drawing {
  const side = legalRepresentative ? 20 : 18
  const h = side / 2
  const shapes: Shape[] = []
  let inner: number
  if (legalRepresentative) {
    shapes.push({ type: 'path', ops: framePath(-h, -h, side, side, 1.3), color: SEAL_RED })
    const at = 1.3 + 0.6
    shapes.push({ type: 'path', ops: framePath(-h + at, -h + at, side - 2 * at, side - 2 * at, 0.35), color: SEAL_RED })
    inner = at + 0.35 + 0.6
  } else {
    shapes.push({ type: 'path', ops: framePath(-h, -h, side, side, 1.2), color: SEAL_RED })
    inner = 1.2 + 0.7
  }
  const area = side - 2 * inner
  const cellW = area / 2
  const cellH = area / rows
  const chars = [...text]
  chars.forEach((ch, i) => {
    const col = Math.floor(i / rows) // 0 = right column
    const row = i % rows
    const cx = -h + inner + cellW * (1.5 - col)
    const cy = h - inner - cellH * (row + 0.5)
    const height = cellH * 0.96
    const scaleX = (cellW * 0.96) / (height * Math.max(0.5, advance(font, ch)))
    shapes.push({ type: 'glyph', char: ch, matrix: glyphMatrix(font, ch, cx, cy, height, scaleX, 0), color: SEAL_RED })
  })
  return centred(side, side, shapes)
}

/** Moves shapes laid out around (0, 0) into a `w` × `h` drawing whose centre is there. */
function centred(w: number, h: number, shapes: Shape[]): Drawing {
  const dx = w / 2
  const dy = h / 2
  const moved = shapes.map((s): Shape => {
    if (s.type === 'glyph') {
      const [a, b, c, d, e, f] = s.matrix
      return { ...s, matrix: [a, b, c, d, e + dx, f + dy] }
    }
    return {
      ...s,
      ops: s.ops.map((op) => {
        switch (op[0]) {
          case 'M':
          case 'L':
            return [op[0], op[1] + dx, op[2] + dy] as const
          case 'C':
            return ['C', op[1] + dx, op[2] + dy, op[3] + dx, op[4] + dy, op[5] + dx, op[6] + dy] as const
          default:
            return op
        }
      }),
    }
  })
  return { width: w, height: h, shapes: moved }
}
