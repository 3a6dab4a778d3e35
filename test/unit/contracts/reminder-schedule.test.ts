import { deferQuietHours, reminderTimes, retryBackoffMs } from '../../../cloud-functions/core/contracts/reminder-schedule'

describe('deferQuietHours (22:00–08:00 Asia/Shanghai)', () => {
  it('keeps daytime, defers the evening and the early morning to 08:00 Shanghai', () => {
    expect(deferQuietHours(new Date('2026-12-04T02:00:00Z'))).toEqual(new Date('2026-12-04T02:00:00Z')) // 10:00
    expect(deferQuietHours(new Date('2026-12-04T13:59:59Z'))).toEqual(new Date('2026-12-04T13:59:59Z')) // 21:59:59
    expect(deferQuietHours(new Date('2026-12-04T14:00:00Z'))).toEqual(new Date('2026-12-05T00:00:00Z')) // 22:00 → next 08:00
    expect(deferQuietHours(new Date('2026-12-04T17:30:00Z'))).toEqual(new Date('2026-12-05T00:00:00Z')) // 01:30 → same morning 08:00
    expect(deferQuietHours(new Date('2026-12-04T23:59:00Z'))).toEqual(new Date('2026-12-05T00:00:00Z')) // 07:59
    expect(deferQuietHours(new Date('2026-12-05T00:00:00Z'))).toEqual(new Date('2026-12-05T00:00:00Z')) // 08:00
  })
})

describe('reminderTimes', () => {
  it('1, 3, 7 days after and 24 h before the deadline, only before the deadline', () => {
    const notified = new Date('2026-12-04T02:00:00Z')
    expect(reminderTimes(notified, new Date('2026-12-14T04:00:00Z'))).toEqual([
      { slot: 'd1', dueAt: new Date('2026-12-05T02:00:00Z') },
      { slot: 'd3', dueAt: new Date('2026-12-07T02:00:00Z') },
      { slot: 'd7', dueAt: new Date('2026-12-11T02:00:00Z') },
      { slot: 'deadline', dueAt: new Date('2026-12-13T04:00:00Z') },
    ])
    expect(reminderTimes(notified, new Date('2026-12-06T04:00:00Z')).map((r) => r.slot)).toEqual(['d1', 'deadline'])
  })
  it('backs off 5 min doubling, at most 6 h', () => {
    expect([1, 2, 3].map(retryBackoffMs)).toEqual([300_000, 600_000, 1_200_000])
    expect(retryBackoffMs(20)).toBe(6 * 3_600_000)
  })
})
