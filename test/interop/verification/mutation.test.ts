/**
 * 1,200 seeded random mutations of signed PDFs (bit flips, byte overwrites, deletions, insertions,
 * number rewrites that break offsets and lengths, chunk duplication, truncation): the verifier never
 * throws, answers each within 2 s, and never reports `valid` when a byte that some signature signs
 * changed.
 */
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { verifyPdf } from '../../../cloud-functions/core/verification/verify-pdf'
import { makePdf } from '../../support/local-app'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'

jest.setTimeout(120_000)

type Base = { bytes: Buffer; ranges: Array<[number, number]> }
let pki: PdfTestPki
const bases: Base[] = []

/** Every signed range [start, end) of every signature, read from the /ByteRange arrays. */
function signedRanges(bytes: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const m of bytes.toString('latin1').matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = m.slice(1).map(Number)
    out.push([a, a + b], [c, c + d])
  }
  return out
}

beforeAll(async () => {
  pki = await createPdfTestPki()
  const twoSigs = await signAs(pki, await signAs(pki, await makePdf('Mutation base', 2), '张三', { placement: { page: 0 } }), '李四')
  const objStm = await signAs(pki, await signAs(pki, readFileSync(join(__dirname, '../../fixtures/pdf/po-objstm.pdf')), '王五'), '赵六')
  for (const bytes of [twoSigs, objStm]) {
    const r = await verifyPdf(bytes, { trustRoots: [pki.ca.root.certificateDer], now: new Date() })
    if (!r.ok || !r.value.valid) throw new Error('the base file must verify')
    bases.push({ bytes, ranges: signedRanges(bytes) })
  }
})

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; data: number[] }
  | { kind: 'number'; nth: number; value: number }
  | { kind: 'duplicate'; from: number; length: number; to: number }
  | { kind: 'truncate'; at: number }

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position.map((x) => x), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, data: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('number' as const), nth: fc.nat(), value: fc.oneof(fc.nat(100_000), fc.constant(0), fc.constant(2 ** 40)) }),
  fc.record({ kind: fc.constant('duplicate' as const), from: position, length: fc.integer({ min: 1, max: 512 }), to: position }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
) as fc.Arbitrary<Mutation>

function apply(src: Buffer, m: Mutation): Buffer {
  const n = src.length
  const pos = (x: number): number => Math.floor(x * n)
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(src)
      out[pos(m.at)] ^= 1 << m.bit
      return out
    }
    case 'set': {
      const out = Buffer.from(src)
      out[pos(m.at)] = m.value
      return out
    }
    case 'delete':
      return Buffer.concat([src.subarray(0, pos(m.at)), src.subarray(pos(m.at) + m.length)])
    case 'insert':
      return Buffer.concat([src.subarray(0, pos(m.at)), Buffer.from(m.data), src.subarray(pos(m.at))])
    case 'number': {
      const text = src.toString('latin1')
      const numbers = [...text.matchAll(/\d+/g)]
      const hit = numbers[m.nth % numbers.length]
      return Buffer.from(text.slice(0, hit.index) + String(m.value) + text.slice((hit.index ?? 0) + hit[0].length), 'latin1')
    }
    case 'duplicate': {
      const from = pos(m.from)
      return Buffer.concat([src.subarray(0, pos(m.to)), src.subarray(from, from + m.length), src.subarray(pos(m.to))])
    }
    case 'truncate':
      return src.subarray(0, pos(m.at))
  }
}

function signedBytesChanged(base: Base, mutated: Buffer): boolean {
  return base.ranges.some(([s, e]) => e > mutated.length || !mutated.subarray(s, e).equals(base.bytes.subarray(s, e)))
}

describe('mutation run (fast-check, seeded)', () => {
  it('never throws, never hangs, never calls a file with a changed signed byte valid', async () => {
    let signedChanges = 0
    let slowest = 0
    const verdicts = { valid: 0, invalid: 0, unreadable: 0 }
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1 }), mutation, async (which, m) => {
        const base = bases[which]
        const mutated = apply(base.bytes, m)
        const t0 = performance.now()
        const r = await verifyPdf(mutated, { trustRoots: [pki.ca.root.certificateDer], now: new Date() })
        const ms = performance.now() - t0
        slowest = Math.max(slowest, ms)
        if (ms > 2000) throw new Error(`took ${ms.toFixed(0)} ms for ${JSON.stringify(m)}`)
        const changed = signedBytesChanged(base, mutated)
        if (changed) signedChanges++
        const valid = r.ok && r.value.valid
        verdicts[!r.ok ? 'unreadable' : valid ? 'valid' : 'invalid']++
        if (changed && valid) throw new Error(`a signed byte changed but the file verified as valid: ${JSON.stringify(m)}`)
      }),
      { numRuns: 1200, seed: 20261130, endOnFailure: true },
    )
    // The run really exercised signed bytes, and every verdict kind occurred.
    expect(signedChanges).toBeGreaterThan(800)
    expect(verdicts.invalid).toBeGreaterThan(0)
    expect(verdicts.unreadable).toBeGreaterThan(0)
    expect(slowest).toBeLessThan(2000)
  })
})
