import fc from 'fast-check'
import QRCode from 'qrcode'
import { qrSymbol } from '../../../cloud-functions/core/signing/qr-symbol'

/** The library's own symbol for `text` as one byte segment, error correction M, its mask search included. */
const reference = (text: string) => QRCode.create([{ data: text, mode: 'byte' }], { errorCorrectionLevel: 'M' })

const verifyUrl = (id: string) => `https://qianyue.example/#/packages/verification/pages/index?contract=${encodeURIComponent(id)}`

it('gives the library’s modules and mask for the product’s verify URLs', () => {
  for (let i = 0; i < 300; i++) {
    const url = verifyUrl(`ct_${(1e15 + i * 7919).toString(36)}${String(i).padStart(12, '0')}`)
    const ours = qrSymbol(url)
    const theirs = reference(url)
    expect(ours.size).toBe(theirs.modules.size)
    expect(Buffer.from(ours.data).equals(Buffer.from(theirs.modules.data))).toBe(true)
  }
})

it('gives the library’s modules for any text, every version and mask it reaches (property)', () => {
  const masks = new Set<number>()
  const versions = new Set<number>()
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), fc.string({ minLength: 150, maxLength: 600 })), (text) => {
      fc.pre(text.length > 0)
      const theirs = reference(text)
      masks.add(theirs.maskPattern as number)
      versions.add(theirs.version)
      const ours = qrSymbol(text)
      expect(ours.size).toBe(theirs.modules.size)
      expect(Buffer.from(ours.data).equals(Buffer.from(theirs.modules.data))).toBe(true)
    }),
    { numRuns: 400, seed: 20261207 },
  )
  // The runs reached every mask, and versions with version information (7 and up).
  expect([...masks].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  expect(Math.max(...versions)).toBeGreaterThanOrEqual(7)
})

it('returns the same symbol for a URL drawn again, and a fresh one after many others', () => {
  const first = qrSymbol(verifyUrl('ct_again'))
  expect(qrSymbol(verifyUrl('ct_again'))).toBe(first)
  for (let i = 0; i < 100; i++) qrSymbol(verifyUrl(`ct_other_${i}`))
  const again = qrSymbol(verifyUrl('ct_again'))
  expect(again).not.toBe(first)
  expect(Buffer.from(again.data).equals(Buffer.from(first.data))).toBe(true)
})
