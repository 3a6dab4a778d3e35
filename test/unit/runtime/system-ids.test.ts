import { systemIds } from '../../../cloud-functions/runtime/container'

/**
 * The ids of records and objects: 26 Crockford base32 characters, 48 bits of milliseconds then 80
 * random bits. The random bits come from a pool filled 4 KiB at a time (409 ids): across refills
 * every id is new and no random part repeats.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const decode = (id: string): bigint => [...id].reduce((v, ch) => v * 32n + BigInt(CROCKFORD.indexOf(ch)), 0n)

it('ids are 26 Crockford characters, sortable by their time, and their random parts never repeat across pool refills', () => {
  const before = Date.now()
  const ids = Array.from({ length: 5000 }, () => systemIds.newId())
  const after = Date.now()
  for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
  expect(new Set(ids).size).toBe(ids.length)
  const values = ids.map(decode)
  // 130 bits written for 128: the first character carries two zero bits.
  const times = values.map((v) => Number(v >> 82n))
  for (const t of times) {
    expect(t).toBeGreaterThanOrEqual(before)
    expect(t).toBeLessThanOrEqual(after)
  }
  const randoms = values.map((v) => (v >> 2n) & ((1n << 80n) - 1n))
  expect(new Set(randoms).size).toBe(ids.length)
  // Not a counter or a repeated block: about half of the 80 bits differ between neighbours.
  const flips = randoms.slice(1).map((r, i) => (r ^ randoms[i]!).toString(2).replace(/0/g, '').length)
  expect(flips.reduce((a, b) => a + b, 0) / flips.length).toBeGreaterThan(35)
  expect(flips.reduce((a, b) => a + b, 0) / flips.length).toBeLessThan(45)
})
