import { FACE_POLICY, formatFen, lockState, parseYuanToFen, randomDepositFen, recordFailure } from '../../../cloud-functions/core/identity/attempt-limits'
import { canonicalJson, intentProofHash, type IntentProof } from '../../../cloud-functions/core/identity/intent-proof'
import { chinaDay, checkCode, endOfChinaDay, generateNumericCode, resendWaitSeconds, storeCode } from '../../../cloud-functions/core/identity/one-time-code'

const t0 = new Date('2026-03-01T02:00:00Z')
const at = (s: number) => new Date(t0.getTime() + s * 1000)

describe('one-time codes (pure rules)', () => {
  it('generates 6-digit codes with every digit about equally likely', () => {
    let seed = 1
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff)
    const counts = new Array(10).fill(0)
    for (let i = 0; i < 2000; i++) {
      const c = generateNumericCode(bytes)
      expect(c).toMatch(/^\d{6}$/)
      for (const d of c) counts[Number(d)]++
    }
    for (const n of counts) expect(n).toBeGreaterThan(1000)
  })

  it('stores only a salted hash bound to the scope', () => {
    const s = storeCode({ code: '123456', salt: 'c2FsdA==', scope: 'login', now: t0 })
    expect(JSON.stringify(s)).not.toContain('123456')
    expect(s.validUntil - s.issuedAt).toBe(300)
    expect(checkCode(s, { code: '123456', scope: 'intent', now: t0 }).outcome).toBe('wrong')
  })

  const base = storeCode({ code: '654321', salt: 'c2FsdA==', scope: 's', now: t0 })
  it.each([
    ['right code at 0 s', base, '654321', 0, 'accepted'],
    ['right code at 299 s', base, '654321', 299, 'accepted'],
    ['right code at 300 s (expired)', base, '654321', 300, 'expired'],
    ['wrong code', base, '654320', 10, 'wrong'],
    ['shorter code', base, '65432', 10, 'wrong'],
    ['empty code', base, '', 10, 'wrong'],
    ['right code after 4 wrong', { ...base, attempts: 4 }, '654321', 10, 'accepted'],
    ['right code after 5 wrong', { ...base, attempts: 5 }, '654321', 10, 'too-many-attempts'],
    ['replayed right code', { ...base, usedAt: 5 }, '654321', 10, 'used'],
  ])('%s → %s', (_name, stored, code, seconds, outcome) => {
    expect(checkCode(stored, { code, scope: 's', now: at(seconds) }).outcome).toBe(outcome)
  })

  it('counts attempts left on a wrong code', () => {
    expect(checkCode({ ...base, attempts: 3 }, { code: '000000', scope: 's', now: t0 })).toEqual({ outcome: 'wrong', attemptsLeft: 1 })
  })

  it.each([
    [undefined, 0, 0],
    [0, 0, 60],
    [0, 59, 1],
    [0, 60, 0],
  ])('resend wait after a code issued at %s, %s s later → %s s', (issued, later, wait) => {
    const issuedAt = issued === undefined ? undefined : Math.floor(t0.getTime() / 1000) + issued
    expect(resendWaitSeconds(issuedAt, at(later))).toBe(wait)
  })

  it.each([
    ['2026-03-01T15:59:59Z', '2026-03-01'],
    ['2026-03-01T16:00:00Z', '2026-03-02'],
    ['2026-02-28T17:00:00Z', '2026-03-01'],
  ])('the natural day of %s in China time is %s', (iso, day) => {
    expect(chinaDay(new Date(iso))).toBe(day)
    expect(endOfChinaDay(new Date(iso))).toBe(Date.parse(`${day}T16:00:00Z`) / 1000)
  })
})

describe('face attempt lock (5 failures → 24 h)', () => {
  it('locks on the fifth failure for 24 h, then starts over', () => {
    let counter = undefined as ReturnType<typeof recordFailure> | undefined
    for (let i = 1; i <= 4; i++) {
      counter = recordFailure(counter, at(i))
      expect(lockState(counter, at(i))).toEqual({ locked: false, failures: i })
    }
    counter = recordFailure(counter, at(5))
    expect(counter.lockedUntil).toBe(Math.floor(at(5).getTime() / 1000) + FACE_POLICY.lockSeconds)
    expect(lockState(counter, at(5 + 86399))).toEqual({ locked: true, retryAfterSeconds: 1 })
    expect(lockState(counter, at(5 + 86400))).toEqual({ locked: false, failures: 0 })
    expect(recordFailure(counter, at(5 + 86400))).toEqual({ failures: 1 })
  })
})

describe('micro-deposit amounts', () => {
  it('draws 1–99 fen only', () => {
    const seen = new Set<number>()
    for (let b = 0; b < 256; b++) {
      let first = true
      const fen = randomDepositFen(() => {
        const v = first ? b : 7
        first = false
        return Uint8Array.of(v)
      })
      expect(fen).toBeGreaterThanOrEqual(1)
      expect(fen).toBeLessThanOrEqual(99)
      seen.add(fen)
    }
    expect(seen.size).toBe(99)
  })

  it.each([
    ['0.37', 37],
    ['.37', 37],
    ['0.3', 30],
    ['0.37元', 37],
    ['¥0.05', 5],
    [' 0.99 ', 99],
    ['1', 100],
    ['0.375', undefined],
    ['abc', undefined],
    ['', undefined],
    ['-0.37', undefined],
  ])('parses %j as %s fen', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen)
  })

  it('formats fen as yuan', () => {
    expect(formatFen(7)).toBe('0.07')
    expect(formatFen(99)).toBe('0.99')
  })
})

describe('intent proof hash', () => {
  it('is SHA-256 of the canonical JSON (sorted keys), independent of key order', () => {
    const proof: IntentProof = { v: 1, proofId: 'P', contractId: 'C', signerId: 'S', userId: 'U', documentHash: 'a'.repeat(64), method: 'sms', challengeId: 'X', confirmedAt: '2026-01-01T00:00:00.000Z' }
    const reordered = Object.fromEntries(Object.entries(proof).reverse()) as IntentProof
    expect(intentProofHash(reordered)).toBe(intentProofHash(proof))
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 'x' }] })).toBe('{"a":[2,{"c":"x","d":3}],"b":1}')
    expect(intentProofHash({ ...proof, documentHash: 'b'.repeat(64) })).not.toBe(intentProofHash(proof))
  })
})
