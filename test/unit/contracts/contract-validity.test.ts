import { daysLeft, validityEndsAt, validityNoticeTimes, validityState } from '../../../cloud-functions/core/contracts/contract-validity'
import { matchesFilter } from '../../../cloud-functions/core/contracts/contract-list'
import type { Contract } from '../../../cloud-functions/core/contracts/contract'

describe('contract validity (续签 notices and the 即将到期 / 已到期 filters)', () => {
  it('a validity end date lasts its whole Beijing day', () => {
    expect(validityEndsAt('2027-01-31').toISOString()).toBe('2027-01-31T16:00:00.000Z')
  })

  it('notices 30, 7 and 1 days before at 09:00 Shanghai, those already past left out', () => {
    expect(validityNoticeTimes('2027-01-31', new Date('2026-12-01T00:00:00Z')).map((n) => [n.slot, n.dueAt.toISOString()])).toEqual([
      ['v30', '2027-01-01T01:00:00.000Z'],
      ['v7', '2027-01-24T01:00:00.000Z'],
      ['v1', '2027-01-30T01:00:00.000Z'],
    ])
    expect(validityNoticeTimes('2027-01-31', new Date('2027-01-01T01:00:00Z')).map((n) => n.slot)).toEqual(['v7', 'v1'])
    expect(validityNoticeTimes('2027-01-31', new Date('2027-02-01T00:00:00Z'))).toEqual([])
  })

  it('days left in Beijing calendar days', () => {
    expect(daysLeft('2027-01-31', new Date('2027-01-01T01:00:00Z'))).toBe(30)
    expect(daysLeft('2027-01-31', new Date('2027-01-30T15:59:00Z'))).toBe(1)
    expect(daysLeft('2027-01-31', new Date('2027-01-30T16:00:00Z'))).toBe(0)
    expect(daysLeft('2027-01-31', new Date('2027-03-01T00:00:00Z'))).toBe(0)
  })

  it('only completed contracts with a validity end date are expiring or ended', () => {
    const c = { status: 'completed', validUntil: '2027-01-31' } as const
    expect(validityState(c, new Date('2026-12-01T00:00:00Z'))).toBe('in-force')
    expect(validityState(c, new Date('2027-01-01T16:00:00Z'))).toBe('expiring')
    expect(validityState(c, new Date('2027-01-31T15:59:59Z'))).toBe('expiring')
    expect(validityState(c, new Date('2027-01-31T16:00:00Z'))).toBe('ended')
    expect(validityState({ status: 'sent', validUntil: '2027-01-31' }, new Date('2027-01-31T16:00:00Z'))).toBeUndefined()
    expect(validityState({ status: 'completed' }, new Date('2027-01-31T16:00:00Z'))).toBeUndefined()
  })

  it('the list filter needs the time', () => {
    const c = { status: 'completed', validUntil: '2027-01-31', title: 't', parties: [], createdAt: '2026-12-01T00:00:00Z', deadline: '2026-12-05T00:00:00Z' } as unknown as Contract
    expect(matchesFilter(c, { validity: 'expiring' }, new Date('2027-01-20T00:00:00Z'))).toBe(true)
    expect(matchesFilter(c, { validity: 'ended' }, new Date('2027-01-20T00:00:00Z'))).toBe(false)
    expect(matchesFilter(c, { validity: 'expiring' })).toBe(false)
  })
})
