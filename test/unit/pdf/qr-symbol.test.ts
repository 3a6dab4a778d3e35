import fc from 'fast-check'
import QRCode from 'qrcode'
import { qrSegments, qrSymbol } from '../../../cloud-functions/core/signing/qr-symbol'

/** The library's own symbol for `text` in the same segments, error correction M: its version and mask search. */
const reference = (text: string) => QRCode.create(qrSegments(text), { errorCorrectionLevel: 'M' })
/** The library with its own segment optimiser. */
const optimised = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' })

const verifyUrl = (base: string, id: string) => `${base}/#/packages/verification/pages/index?contract=${encodeURIComponent(id)}`
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The modules of `text`'s symbol are the library's, and its version is no larger than with the library's own segments. */
function expectSameAsLibrary(text: string): { mask: number; version: number } {
  const ours = qrSymbol(text)
  const theirs = reference(text)
  expect(ours.size).toBe(theirs.modules.size)
  expect(Buffer.from(ours.data).equals(Buffer.from(theirs.modules.data))).toBe(true)
  expect(theirs.version).toBeLessThanOrEqual(optimised(text).version)
  return { mask: theirs.maskPattern as number, version: theirs.version }
}

it('encodes the product’s verify URLs as the library does, in as small a version as its optimiser', () => {
  for (let i = 0; i < 300; i++) {
    // Contract ids as the product makes them (26 of Crockford's base-32 digits), and ids with long digit runs.
    const id = i % 2 ? Array.from({ length: 26 }, (_, k) => BASE32[(i * 7919 + k * 104729 + (i >> 3) * k) % 32]).join('') : `ct_${(1e15 + i * 7919).toString(36)}${String(i).padStart(12, '0')}`
    expectSameAsLibrary(verifyUrl(['http://127.0.0.1:3000', 'https://qianyue.example', 'https://esign.example.com:8443/app'][i % 3]!, id))
  }
  // The base-32 id goes into an alphanumeric segment: one version fewer than the URL as one byte segment.
  const url = verifyUrl('http://127.0.0.1:3000', '06H4WYSGA8GKGB8T6SECRN20G4')
  expect(qrSegments(url).map((s) => s.mode)).toEqual(['byte', 'alphanumeric', 'byte', 'alphanumeric'])
  expect(reference(url).version).toBeLessThan(QRCode.create([{ data: Buffer.from(url), mode: 'byte' }], { errorCorrectionLevel: 'M' }).version)
})

it('encodes any text as the library does, every mask and versions with version information reached (property)', () => {
  const masks = new Set<number>()
  const versions = new Set<number>()
  const text = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
    fc.string({ minLength: 150, maxLength: 600 }),
    fc.stringMatching(/^[0-9A-Z $%*+\-./:a-z]{1,300}$/),
  )
  fc.assert(
    fc.property(text, (t) => {
      const { mask, version } = expectSameAsLibrary(t)
      masks.add(mask)
      versions.add(version)
    }),
    { numRuns: 400, seed: 20261207 },
  )
  expect([...masks].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  expect(Math.max(...versions)).toBeGreaterThanOrEqual(7)
})

it('chooses the segments’ count widths by the version they need (1–9, 10–26, 27–40)', () => {
  for (const [text, version] of [['A'.repeat(300), 10], ['A'.repeat(1800), 27], ['7'.repeat(1500), 10], ['汉'.repeat(40), 6]] as const) {
    const { version: v } = expectSameAsLibrary(text)
    expect(v).toBeGreaterThanOrEqual(version)
  }
  expect(qrSegments('汉字').map((s) => s.mode)).toEqual(['byte'])
  expect(qrSegments('12345678901234567890').map((s) => s.mode)).toEqual(['numeric'])
})

it('returns the same symbol for a URL drawn again, and a fresh one after many others', () => {
  const url = (id: string) => verifyUrl('https://qianyue.example', id)
  const first = qrSymbol(url('ct_again'))
  expect(qrSymbol(url('ct_again'))).toBe(first)
  for (let i = 0; i < 100; i++) qrSymbol(url(`ct_other_${i}`))
  const again = qrSymbol(url('ct_again'))
  expect(again).not.toBe(first)
  expect(Buffer.from(again.data).equals(Buffer.from(first.data))).toBe(true)
})
