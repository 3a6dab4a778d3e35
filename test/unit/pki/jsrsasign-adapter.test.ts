import fc from 'fast-check'
import { decodeDer, encodeDer, oidFromContent, type Asn1 } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { readBigInt, readTime } from '../../../cloud-functions/core/pki/der-values'
import { PLATFORM_ARC } from '../../../cloud-functions/core/pki/oids'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'))

describe('jsrsasign-adapter encodeDer', () => {
  it.each<[string, Asn1, string]>([
    ['small INTEGER', { int: 1 }, '020101'],
    ['INTEGER 128 gets a 0x00 pad', { int: 128 }, '02020080'],
    ['negative INTEGER', { int: -129 }, '0202ff7f'],
    ['INTEGER -128', { int: -128 }, '020180'],
    ['unsigned magnitude with high bit', { uint: bytes('80ff') }, '02030080ff'],
    ['unsigned magnitude strips leading zeros', { uint: bytes('000001') }, '020101'],
    ['raw INTEGER content', { intBytes: bytes('00ff') }, '020200ff'],
    ['BOOLEAN', { bool: true }, '0101ff'],
    ['NULL', { null: true }, '0500'],
    ['OCTET STRING', { octets: bytes('0102') }, '04020102'],
    ['BIT STRING', { bits: bytes('ff') }, '030200ff'],
    ['named bits digitalSignature+nonRepudiation', { namedBits: [0, 1] }, '030206c0'],
    ['named bits keyCertSign+cRLSign', { namedBits: [5, 6] }, '03020106'],
    ['named bit 25 (systemFailure)', { namedBits: [25] }, '0305060000 0040'.replace(/ /g, '')],
    ['UTF8String', { utf8: '张三' }, '0c06e5bca0e4b889'],
    ['PrintableString', { printable: 'CN' }, '1302434e'],
    ['implicit primitive', { implicit: 6, node: { ia5: 'a' } }, '860161'],
    ['implicit constructed', { implicit: 0, node: { seq: [{ int: 1 }] } }, 'a003020101'],
    ['explicit', { explicit: 4, node: { seq: [] } }, 'a4023000'],
    ['SET OF is sorted', { set: [{ int: 2 }, { int: 1 }] }, '3106020101020102'],
  ])('%s', (_label, node, expected) => {
    expect(hex(encodeDer(node))).toBe(expected)
  })

  it('encodes the platform 2.25.<UUID> arc exactly (jsrsasign loses precision above 2^53)', () => {
    const der = encodeDer({ oid: `${PLATFORM_ARC}.2.1` })
    const decoded = decodeDer(der)
    if (!decoded.ok) throw new Error(decoded.error.message)
    expect(oidFromContent(decoded.value.content)).toBe(`${PLATFORM_ARC}.2.1`)
  })

  it.each(['1.2.840.113549.1.9.16.2.47', '2.5.29.32.0', '0.9.2342.19200300.100.1.1', '2.999.3', '2.25.340282366920938463463374607431768211455'])('round-trips OID %s', (oid) => {
    const decoded = decodeDer(encodeDer({ oid }))
    if (!decoded.ok) throw new Error(decoded.error.message)
    expect(oidFromContent(decoded.value.content)).toBe(oid)
  })

  it('known OID encoding: sha256WithRSAEncryption', () => {
    expect(hex(encodeDer({ oid: '1.2.840.113549.1.1.11' }))).toBe('06092a864886f70d01010b')
  })

  it('rejects malformed OIDs and non-printable PrintableStrings', () => {
    expect(() => encodeDer({ oid: '1.2.x' })).toThrow('malformed OID')
    expect(() => encodeDer({ oid: '1.40' })).toThrow('malformed OID')
    expect(() => encodeDer({ printable: '张' })).toThrow('PrintableString')
  })

  it('writes RFC 5280 times: UTCTime through 2049, GeneralizedTime from 2050, independent of the time zone', () => {
    const utc = encodeDer({ time: new Date('2049-12-31T23:59:59Z') })
    expect(Buffer.from(utc).toString('latin1').slice(2)).toBe('491231235959Z')
    const gen = encodeDer({ time: new Date('2050-01-01T00:00:00Z') })
    expect(Buffer.from(gen).toString('latin1').slice(2)).toBe('20500101000000Z')
    const millis = encodeDer({ generalizedTime: new Date('2026-03-01T08:00:00.250Z'), millis: true })
    expect(Buffer.from(millis).toString('latin1').slice(2)).toBe('20260301080000.25Z')
    const d = decodeDer(millis)
    if (!d.ok) throw new Error()
    expect(readTime(d.value, 't')).toEqual(new Date('2026-03-01T08:00:00.250Z'))
  })

  it('round-trips signed integers through readBigInt', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), (v) => {
        const d = decodeDer(encodeDer({ int: v }))
        return d.ok && readBigInt(d.value, 'v') === v
      }),
    )
  })
})

describe('jsrsasign-adapter decodeDer', () => {
  it('decodes a nested structure with views into the input', () => {
    const der = encodeDer({ seq: [{ int: 5 }, { seq: [{ octets: bytes('aabb') }] }] })
    const r = decodeDer(der)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.children).toHaveLength(2)
    expect(hex(r.value.children[1].children[0].content)).toBe('aabb')
    expect(hex(r.value.children[1].der)).toBe('30040402aabb')
  })

  it.each([
    ['empty input', ''],
    ['truncated', '3003020101ff'.slice(0, 8)],
    ['length beyond input', '300502010102'],
    ['trailing bytes', '30030201010000'],
    ['indefinite length', '3080020101 0000'.replace(/ /g, '')],
    ['non-minimal long length', '30 81 03 020101'.replace(/ /g, '')],
    ['leading zero length byte', '30 82 0003 020101'.replace(/ /g, '')],
    ['high tag number', '1f8101 00'.replace(/ /g, '')],
    ['child overruns parent', '3003020201'],
  ])('rejects %s as a value, not an exception', (_label, input) => {
    const r = decodeDer(bytes(input))
    expect(r.ok).toBe(false)
  })

  it('rejects nesting deeper than 48 levels', () => {
    let der = encodeDer({ null: true })
    for (let i = 0; i < 60; i++) der = encodeDer({ seq: [{ der }] })
    const r = decodeDer(der)
    expect(r.ok).toBe(false)
  })

  it('never throws on arbitrary bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        decodeDer(input)
        return true
      }),
      { numRuns: 3000 },
    )
  })

  it('never throws on mutated valid DER (fuzz)', () => {
    const valid = encodeDer({ seq: [{ int: 1 }, { seq: [{ oid: '2.16.840.1.101.3.4.2.1' }, { null: true }] }, { octets: new Uint8Array(32) }, { bool: true }] })
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const mutated = new Uint8Array(valid)
        mutated[at] = value
        decodeDer(mutated)
        return true
      }),
      { numRuns: 3000 },
    )
  })
})
