import QRCode from 'qrcode'
import { qrContent } from '../../../cloud-functions/core/signing/verify-stamp'

/** The dark modules a drawing paints: each `c r w 1 re` run of the content, expanded. */
function darkModules(content: string): Set<string> {
  const dark = new Set<string>()
  for (const m of content.matchAll(/^(\d+) (\d+) (\d+) 1 re$/gm)) for (let i = 0; i < Number(m[3]); i++) dark.add(`${Number(m[1]) + i},${m[2]}`)
  return dark
}

it('draws the QR symbol of each URL, the same when a URL comes again (kept) or after many others (made again)', () => {
  const url = (i: number) => `https://qianyue.example/#/packages/verification/pages/index?contract=CT${String(i).padStart(24, '0')}`
  const first = qrContent(url(0), 0, 0)
  const symbol = QRCode.create(url(0), { errorCorrectionLevel: 'M' })
  const n = symbol.modules.size
  const total = n + 8
  const expected = new Set<string>()
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (symbol.modules.data[r * n + c]) expected.add(`${c + 4},${total - (r + 5)}`)
  expect(darkModules(first)).toEqual(expected)
  expect(qrContent(url(0), 0, 0)).toBe(first)
  expect(qrContent(url(0), 10, 20, 80)).not.toBe(first)
  for (let i = 1; i <= 100; i++) expect(darkModules(qrContent(url(i), 0, 0))).not.toEqual(darkModules(first))
  expect(qrContent(url(0), 0, 0)).toBe(first)
})
