import { randomSerialNumber } from '../../../cloud-functions/core/pki/serial-number'

describe('randomSerialNumber draws from a pool of random bytes', () => {
  it('gives 16-octet positive serials with the top bits 01, all different, across several refills of the pool (256 serials each)', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const s = randomSerialNumber()
      expect(s).toHaveLength(16)
      expect(s[0]! & 0xc0).toBe(0x40)
      seen.add(Buffer.from(s).toString('hex'))
    }
    expect(seen.size).toBe(1000)
  })

  it('hands out copies: a serial keeps its random bytes while later serials are drawn (the pool clears what it gave)', () => {
    const s = randomSerialNumber()
    const before = Buffer.from(s)
    for (let i = 0; i < 300; i++) randomSerialNumber()
    expect(Buffer.from(s)).toEqual(before)
    expect(s.subarray(1).some((b) => b !== 0)).toBe(true)
  })
})
