import { ObjectParser } from '../../../cloud-functions/core/pdf/object-parser'
import { PdfName, PdfString, dict, literalStringByte, serializeValue, type PdfValue } from '../../../cloud-functions/core/pdf/pdf-objects'

describe('serializeValue of frozen arrays (a font subset\'s widths, shared by every file that embeds the subset)', () => {
  it('writes a frozen array of numbers as an unfrozen one is written, each time the same text', () => {
    const numbers = [0, 1, 2.5, -3.25, 1000, 0.1 + 0.2]
    const frozen = Object.freeze([...numbers]) as PdfValue[]
    expect(serializeValue(frozen)).toBe(serializeValue(numbers))
    expect(serializeValue(frozen)).toBe('[0 1 2.5 -3.25 1000 0.3]')
    expect(serializeValue([0, frozen])).toBe('[0 [0 1 2.5 -3.25 1000 0.3]]')
  })

  it('writes a frozen array that holds objects afresh each time: what it holds may change', () => {
    const inner = dict({ Type: PdfName.of('Font') })
    const frozen = Object.freeze([inner, 1]) as PdfValue[]
    expect(serializeValue(frozen)).toBe('[<</Type /Font>> 1]')
    inner.set('Subtype', PdfName.of('Type0'))
    expect(serializeValue(frozen)).toBe('[<</Type /Font/Subtype /Type0>> 1]')
  })
})

describe('literal strings (literalStringByte: serializeString and the evidence report\'s glyph runs)', () => {
  it('escapes ( ) \\ and CR and LF, and leaves every other byte as its Latin-1 character', () => {
    expect(['(', ')', '\\', '\r', '\n', 'a', '\u00ff', '\u0000'].map((c) => literalStringByte(c.charCodeAt(0)))).toEqual(['\\(', '\\)', '\\\\', '\\r', '\\n', 'a', '\u00ff', '\u0000'])
  })

  it('every byte value reads back as itself, alone and in a string (what a reader parses is what was written)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    const written = serializeValue(new PdfString(all))
    const read = new ObjectParser(Buffer.from(written, 'latin1')).parseValue() as PdfString
    expect(Buffer.from(read.bytes).equals(Buffer.from(all))).toBe(true)
    for (let b = 0; b < 256; b++) {
      const one = new ObjectParser(Buffer.from(`(${literalStringByte(b)})`, 'latin1')).parseValue() as PdfString
      expect([b, [...one.bytes]]).toEqual([b, [b]])
    }
  })
})
