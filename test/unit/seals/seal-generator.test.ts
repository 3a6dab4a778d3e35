/**
 * The generator's layout rules: the company name is fitted to the upper arc for 2–40 characters
 * (every glyph box inside the ring, neighbours not overlapping), the code sits on the lower arc,
 * grids read right to left; and the text a seal cannot carry is refused.
 */
import { advance, EM_MIDDLE, type Drawing, type Shape } from '../../../cloud-functions/core/seals/drawing'
import { generateSeal } from '../../../cloud-functions/core/seals/generate-seal'
import { testSealFont } from '../../support/seal-fixtures'

const font = testSealFont()
const CHARS = '中华人民共和国上海市浦东新区示例信息技术服务有限公司分公司第一研发中心华东区域部'

type Glyph = Extract<Shape, { type: 'glyph' }>
const glyphs = (d: Drawing) => d.shapes.filter((s): s is Glyph => s.type === 'glyph')

/** Corners of a glyph's em box (advance × −0.12…0.88 em) in drawing coordinates. */
function corners(g: Glyph): Array<[number, number]> {
  const adv = advance(font, g.char)
  const m = g.matrix
  return ([[0, -0.12], [adv, -0.12], [adv, 0.88], [0, 0.88]] as const).map(([x, y]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]])
}
const centre = (g: Glyph): [number, number] => {
  const adv = advance(font, g.char)
  const m = g.matrix
  return [m[0] * (adv / 2) + m[2] * EM_MIDDLE + m[4], m[1] * (adv / 2) + m[3] * EM_MIDDLE + m[5]]
}

describe('round company seal: name fitted to the upper arc', () => {
  it.each([2, 3, 5, 8, 12, 16, 20, 25, 30, 35, 40])('%i characters: inside the ring, in order, not overlapping', (n) => {
    // Prepare
    const name = CHARS.slice(0, n)

    // Act
    const d = generateSeal({ kind: 'company-round', companyName: name, sealType: '合同专用章', code: '1234567890123' }, font)

    // Assess
    if (!d.ok) throw new Error(d.error.message)
    const r = d.value.width / 2
    const inner = r - (1.2 * d.value.width) / 42
    const all = glyphs(d.value)
    const nameGlyphs = all.slice(0, n)
    expect(nameGlyphs.map((g) => g.char).join('')).toBe(name)
    for (const g of all) for (const [x, y] of corners(g)) expect(Math.hypot(x - r, y - r)).toBeLessThan(inner)
    // Left to right: centres' angles decrease (clockwise along the top).
    // (angles measured from −90°, so the arc's left end past 180° does not wrap)
    const angles = nameGlyphs.map((g) => {
      const a = Math.atan2(centre(g)[1] - r, centre(g)[0] - r)
      return a < -Math.PI / 2 ? a + 2 * Math.PI : a
    })
    for (let i = 1; i < angles.length; i++) expect(angles[i]!).toBeLessThan(angles[i - 1]!)
    // Neighbours keep apart: centre distance ≥ the glyph width.
    for (let i = 1; i < nameGlyphs.length; i++) {
      const [a, b] = [centre(nameGlyphs[i - 1]!), centre(nameGlyphs[i]!)]
      const m = nameGlyphs[i]!.matrix
      const width = Math.hypot(m[0], m[1]) * advance(font, nameGlyphs[i]!.char)
      expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThanOrEqual(width * 0.99)
    }
    // The code: 13 digits on the lower half, read left to right.
    const code = all.slice(-13)
    expect(code.map((g) => g.char).join('')).toBe('1234567890123')
    for (const g of code) expect(centre(g)[1]).toBeLessThan(r)
    for (let i = 1; i < 13; i++) expect(centre(code[i]!)[0]).toBeGreaterThan(centre(code[i - 1]!)[0])
  })

  it('draws the seal type line for 合同专用章 and 财务专用章 but not for 公章, and a star on every round seal', () => {
    const text = (t: '公章' | '合同专用章' | '财务专用章') => {
      const d = generateSeal({ kind: 'company-round', companyName: '上海示例有限公司', sealType: t }, font)
      if (!d.ok) throw new Error(d.error.message)
      return { text: glyphs(d.value).map((g) => g.char).join(''), paths: d.value.shapes.filter((s) => s.type === 'path').length }
    }
    expect(text('公章')).toEqual({ text: '上海示例有限公司', paths: 2 })
    expect(text('合同专用章')).toEqual({ text: '上海示例有限公司合同专用章', paths: 2 })
    expect(text('财务专用章').text).toBe('上海示例有限公司财务专用章')
  })
})

describe('square seals: grid read right to left, padded with 之印 / 印', () => {
  it.each([
    [{ kind: 'personal-square', name: '张三' }, '张三之印', 18],
    [{ kind: 'personal-square', name: '王小明' }, '王小明印', 18],
    [{ kind: 'personal-square', name: '欧阳娜娜', layout: '2x3' }, '欧阳娜娜之印', 18],
    [{ kind: 'personal-square', name: '司马相如君' }, '司马相如君印', 18],
    [{ kind: 'legal-representative', name: '李四' }, '李四之印', 20],
  ] as const)('%j → %s', (spec, text, side) => {
    const d = generateSeal(spec, font)
    if (!d.ok) throw new Error(d.error.message)
    expect(d.value.width).toBe(side)
    const g = glyphs(d.value)
    expect(g.map((x) => x.char).join('')).toBe(text)
    // The first character is in the right column, the last in the left one.
    expect(centre(g[0]!)[0]).toBeGreaterThan(side / 2)
    expect(centre(g[g.length - 1]!)[0]).toBeLessThan(side / 2)
  })
})

describe('text a seal cannot carry is refused with VALIDATION_FAILED naming the field', () => {
  it.each([
    [{ kind: 'company-round', companyName: '甲', sealType: '公章' }, 'companyName'],
    [{ kind: 'company-round', companyName: '甲'.repeat(41), sealType: '公章' }, 'companyName'],
    [{ kind: 'company-round', companyName: '上海示例有限公司', sealType: '公章', code: '123456789012' }, 'code'],
    [{ kind: 'company-oval', companyName: '上海示例有限公司', sealType: '公章', code: '12345678901a3' }, 'code'],
    [{ kind: 'company-round', companyName: '上海\u{F8FF}示例有限公司', sealType: '公章' }, 'companyName'],
    [{ kind: 'company-round', companyName: '上海示例有限公司', sealType: '发票专用章' }, 'sealType'],
    [{ kind: 'personal-square', name: '张' }, 'name'],
    [{ kind: 'personal-square', name: '张三', layout: '2x3' }, 'name'],
    [{ kind: 'personal-square', name: '一二三四五', layout: '2x2' }, 'name'],
    [{ kind: 'legal-representative', name: '一二三四五六七' }, 'name'],
  ] as const)('%j', (spec, field) => {
    const d = generateSeal(spec as never, font)
    expect(d.ok).toBe(false)
    if (!d.ok) {
      expect(d.error.code).toBe('VALIDATION_FAILED')
      expect(d.error.details?.field).toBe(field)
    }
  })
})
