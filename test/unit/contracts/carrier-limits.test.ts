import { carrierRetryAfter, recordSent, type SentNotice } from '../../../cloud-functions/core/contracts/carrier-limits'
import { chaseRetryAfter } from '../../../cloud-functions/core/contracts/chase-policy'

const now = new Date('2026-12-01T04:00:00Z')
const t = now.getTime()

describe('carrierRetryAfter', () => {
  it('allows a first notice and a different text at once', () => {
    expect(carrierRetryAfter([], 'k', now)).toBeUndefined()
    expect(carrierRetryAfter([{ at: t - 5_000, textKey: 'other' }], 'k', now)).toBeUndefined()
  })
  it('holds the same text to the same number for 30 s', () => {
    expect(carrierRetryAfter([{ at: t - 5_000, textKey: 'k' }], 'k', now)).toEqual(new Date(t + 25_000))
    expect(carrierRetryAfter([{ at: t - 30_000, textKey: 'k' }], 'k', now)).toBeUndefined()
  })
  it('allows 10 a rolling day, the 11th when the oldest of them is a day old', () => {
    let h: SentNotice[] = []
    for (let i = 0; i < 9; i++) h = recordSent(h, `k${i}`, new Date(t - (10 - i) * 3600_000))
    expect(carrierRetryAfter(h, 'new', now)).toBeUndefined()
    h = recordSent(h, 'k9', new Date(t - 60_000))
    expect(carrierRetryAfter(h, 'new', now)).toEqual(new Date(t - 10 * 3600_000 + 86_400_000))
  })
  it('forgets notices older than a day', () => {
    const h = recordSent([{ at: t - 86_400_001, textKey: 'k' }], 'k2', now)
    expect(h).toEqual([{ at: t, textKey: 'k2' }])
  })
})

describe('chaseRetryAfter', () => {
  it('once per 24 hours', () => {
    expect(chaseRetryAfter(undefined, now)).toBeUndefined()
    expect(chaseRetryAfter(new Date(t - 3600_000).toISOString(), now)).toEqual(new Date(t + 23 * 3600_000))
    expect(chaseRetryAfter(new Date(t - 24 * 3600_000).toISOString(), now)).toBeUndefined()
  })
})
