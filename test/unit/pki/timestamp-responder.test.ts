import { randomBytes } from 'node:crypto'
import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { decodeDer, encodeDer, type Asn1 } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { OID } from '../../../cloud-functions/core/pki/oids'
import { parseTimestampRequest } from '../../../cloud-functions/core/pki/parse-timestamp-request'
import { readTimestampToken } from '../../../cloud-functions/core/pki/read-timestamp-token'
import { TimestampResponder } from '../../../cloud-functions/core/pki/timestamp-responder'
import { InProcessTsa } from '../../../cloud-functions/adapters/local/in-process-tsa'
import { counterSerials, fixedClock, hierarchy, NOW, sha256 } from '../../interop/pki/support/fixtures'
import fc from 'fast-check'

/** A TimeStampReq built field by field, to test the parser's edges. */
function request(o: { version?: number; alg?: string; nullParams?: boolean; hash?: Uint8Array; policy?: string; nonce?: bigint; certReq?: boolean; extensions?: boolean } = {}): Uint8Array {
  const fields: Asn1[] = [
    { int: o.version ?? 1 },
    { seq: [{ seq: [{ oid: o.alg ?? OID.sha256 }, ...(o.nullParams ? [{ null: true } as Asn1] : [])] }, { octets: o.hash ?? sha256('x') }] },
  ]
  if (o.policy) fields.push({ oid: o.policy })
  if (o.nonce !== undefined) fields.push({ int: o.nonce })
  if (o.certReq !== undefined) fields.push({ bool: o.certReq })
  if (o.extensions) fields.push({ implicit: 0, node: { seq: [{ seq: [{ oid: '1.2.3' }, { octets: new Uint8Array(1) }] }] } })
  return encodeDer({ seq: fields })
}

/** status and failInfo bit of a TimeStampResp. */
function statusOf(resp: Uint8Array): { status: number; failBit?: number; text?: string; token?: Uint8Array } {
  const d = decodeDer(resp)
  if (!d.ok) throw new Error(d.error.message)
  const info = d.value.children[0]
  const status = info.children[0].content[0]
  const bits = info.children.find((c) => c.tag === 0x03)
  const text = info.children.find((c) => c.tag === 0x30)
  let failBit: number | undefined
  if (bits) {
    const body = bits.content.subarray(1)
    for (let i = 0; i < body.length * 8; i++) if (body[i >> 3] & (0x80 >> (i & 7))) failBit = i
  }
  return { status, failBit, text: text && Buffer.from(text.children[0].content).toString('utf8'), token: d.value.children[1]?.der }
}

describe('TimestampResponder', () => {
  let ca: CaHierarchy
  let tsa: TimestampResponder
  beforeAll(async () => {
    ca = await hierarchy()
    tsa = new TimestampResponder({ signer: ca.tsa.signer, clock: fixedClock(), serialNumber: counterSerials() })
  })

  it('grants a token with genTime from the clock, the injected serial, the nonce and the imprint echoed', async () => {
    const hash = sha256('document')
    const r = statusOf(await tsa.respond(request({ hash, nonce: 0x1234567890abcdefn, certReq: true, nullParams: true })))
    expect(r.status).toBe(0)
    const info = readTimestampToken(r.token!)
    if (!info.ok) throw new Error(info.error.message)
    expect(info.value.genTime).toEqual(NOW)
    expect(info.value.nonce).toBe(0x1234567890abcdefn)
    expect(Buffer.from(info.value.hashedMessage)).toEqual(Buffer.from(hash))
    expect(info.value.policy).toBe(OID.tsaPolicy)
    expect(info.value.accuracy).toEqual({ seconds: 1 })
    expect(info.value.serialNumber[0]).toBe(0x40)
    expect(info.value.certificates.map((c) => Buffer.from(c))).toEqual([Buffer.from(ca.tsa.certificateDer)])
    // The AlgorithmIdentifier is echoed with its NULL parameters.
    const tst = decodeDer(info.value.tstInfoDer)
    if (!tst.ok) throw new Error()
    expect(tst.value.children[2].children[0].children).toHaveLength(2)
  })

  it('gives every token a different serial number', async () => {
    const serials = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const r = await tsa.issue({ hashAlgorithm: OID.sha256, hashedMessage: sha256(String(i)) })
      if (!r.ok) throw new Error(r.error.message)
      serials.add(Buffer.from(r.value.serialNumber).toString('hex'))
    }
    expect(serials.size).toBe(20)
  })

  it('default serial numbers are random and unique', async () => {
    const defaultTsa = new TimestampResponder({ signer: ca.tsa.signer, clock: fixedClock() })
    const serials = new Set<string>()
    for (let i = 0; i < 50; i++) {
      const r = await defaultTsa.issue({ hashAlgorithm: OID.sha256, hashedMessage: sha256('same') })
      if (!r.ok) throw new Error()
      serials.add(Buffer.from(r.value.serialNumber).toString('hex'))
    }
    expect(serials.size).toBe(50)
  })

  it.each<[string, number, Parameters<typeof request>[0]]>([
    ['MD5', 0, { alg: OID.md5, hash: new Uint8Array(16) }],
    ['SHA-1', 0, { alg: OID.sha1, hash: new Uint8Array(20) }],
    ['an unknown algorithm', 0, { alg: '1.2.3.4.5' }],
    ['an imprint of the wrong length', 5, { hash: new Uint8Array(20) }],
    ['version 2', 5, { version: 2 }],
    ['an unknown policy', 15, { policy: '1.2.3.4' }],
    ['extensions', 16, { extensions: true }],
    ['a 100-byte nonce', 5, { nonce: 1n << 800n }],
  ])('rejects %s with failInfo bit %i', async (_label, bit, req) => {
    const r = statusOf(await tsa.respond(request(req)))
    expect(r.status).toBe(2)
    expect(r.failBit).toBe(bit)
    expect(r.token).toBeUndefined()
    expect(r.text).toBeTruthy()
  })

  it('answers any bytes with a TimeStampResp, never an exception (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (input) => {
        const r = statusOf(await tsa.respond(input))
        return r.status === 2 && r.failBit === 5
      }),
      { numRuns: 300 },
    )
  })

  it('answers mutated valid requests with granted or rejection, never an exception (fuzz)', async () => {
    const valid = request({ nonce: 42n, certReq: true })
    await fc.assert(
      fc.asyncProperty(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), async (at, value) => {
        const mutated = new Uint8Array(valid)
        mutated[at] = value
        const r = statusOf(await tsa.respond(mutated))
        return r.status === 0 || r.status === 2
      }),
      { numRuns: 300 },
    )
  })

  it('parses certReq FALSE sent explicitly and refuses fields out of order', () => {
    const ok = parseTimestampRequest(request({ certReq: false }))
    expect(ok.ok && ok.value.certReq).toBe(false)
    const outOfOrder = encodeDer({ seq: [{ int: 1 }, { seq: [{ seq: [{ oid: OID.sha256 }] }, { octets: sha256('x') }] }, { bool: true }, { int: 5 }] })
    expect(parseTimestampRequest(outOfOrder).ok).toBe(false)
    expect(parseTimestampRequest(randomBytes(17 * 1024)).ok).toBe(false)
  })
})

describe('InProcessTsa', () => {
  it('returns a token over SHA-256 of the data, with the TSA certificate', async () => {
    const ca = await hierarchy()
    const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: fixedClock() })
    const token = await tsa.timestamp(new TextEncoder().encode('signature value'))
    const info = readTimestampToken(token)
    if (!info.ok) throw new Error(info.error.message)
    expect(Buffer.from(info.value.hashedMessage)).toEqual(Buffer.from(sha256('signature value')))
    expect(info.value.hashAlgorithm).toBe(OID.sha256)
    expect(info.value.certificates).toHaveLength(1)
  })
})
