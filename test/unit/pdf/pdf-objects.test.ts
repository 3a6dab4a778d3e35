import { PdfName, dict, serializeValue, type PdfValue } from '../../../cloud-functions/core/pdf/pdf-objects'

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
