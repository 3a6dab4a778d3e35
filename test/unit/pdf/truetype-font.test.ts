/**
 * The font's advance cache by code point (a typed array over the Basic Multilingual Plane, a map
 * above it): what `codePointAdvance` answers is the glyph's advance, first time and after, for
 * characters in the font, characters it lacks (.notdef), and code points above U+FFFF.
 */
import { loadNotoSansSc } from '../../../cloud-functions/adapters/local/noto-sans-sc-font'

const font = loadNotoSansSc()

it('codePointAdvance is the advance of the code point\'s glyph, the same on every call, in and above the BMP', () => {
  const points = [...'签约合同A1 ，。'].map((c) => c.codePointAt(0)!).concat([0x20000, 0x1f600, 0x10ffff, 0xffff, 0])
  const first = points.map((cp) => font.codePointAdvance(cp))
  expect(first).toEqual(points.map((cp) => font.advance(font.glyphId(cp))))
  expect(points.map((cp) => font.codePointAdvance(cp))).toEqual(first)
  // Real widths, not the not-yet-looked-up mark: a CJK ideograph is a full em, a Latin letter narrower.
  expect(first.every((a) => Number.isFinite(a) && a >= 0)).toBe(true)
  expect(font.codePointAdvance('签'.codePointAt(0)!)).toBe(1000)
  expect(font.codePointAdvance('A'.codePointAt(0)!)).toBeLessThan(1000)
})

it('a subset measures text by those advances, surrogate pairs as one character', () => {
  const subset = font.subset()
  const text = '合同A\u{20000}'
  subset.use(text)
  const expected = [...text].reduce((w, c) => w + font.advance(font.glyphId(c.codePointAt(0)!)), 0)
  expect(subset.width(text, 1000)).toBeCloseTo(expected, 9)
})
