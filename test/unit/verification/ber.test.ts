import { BerError, content, decodeBer, octets, oid, smallInt, time } from '../../../cloud-functions/core/verification/ber'

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'))

describe('decodeBer', () => {
  it('reads definite and indefinite lengths and joins constructed OCTET STRINGs', () => {
    // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { "ab", "cd" }, INTEGER 5 }
    const n = decodeBer(hex('30 80 24 80 04 01 ab 04 01 cd 00 00 02 01 05 00 00'))
    expect(n.indefinite).toBe(true)
    expect(Buffer.from(octets(n.children[0], 'x')).toString('hex')).toBe('abcd')
    expect(smallInt(n.children[1], 'i')).toBe(5)
  })

  it('decodes OIDs with arcs beyond 2^53 (the platform UUID arc) and times', () => {
    const der = hex('06 14 69 83 f2 dd c0 d5 a4 e5 ad b2 f1 a2 dc c1 fe d5 8b dc 93 68')
    expect(oid(decodeBer(der), 'oid')).toMatch(/^2\.25\.\d{30,}$/)
    expect(time(decodeBer(hex('18 0f 32 30 32 36 31 31 33 30 31 30 31 35 30 30 5a')), 't').toISOString()).toBe('2026-11-30T10:15:00.000Z')
    expect(smallInt(decodeBer(hex('02 01 ff')), 'neg')).toBe(-1)
  })

  it.each([
    ['truncated', '30 05 02 01'],
    ['length beyond the data', '04 84 ff ff ff ff 00'],
    ['indefinite primitive', '04 80 00 00'],
    ['missing end-of-contents', '30 80 02 01 05'],
    ['nesting deeper than 64', '30 80'.repeat(70)],
    ['trailing bytes', '05 00 00'],
  ])('rejects %s with a BerError', (_name, h) => {
    expect(() => decodeBer(hex(h))).toThrow(BerError)
  })

  it('leaves trailing padding to the caller when asked', () => {
    const n = decodeBer(hex('05 00 00 00 00'), 0, false)
    expect(n.end).toBe(2)
    expect(content(n).length).toBe(0)
  })
})
