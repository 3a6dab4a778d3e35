import { beijingMinute } from '../../../cloud-functions/core/shared/beijing-time'

describe('beijingMinute', () => {
  it.each([
    ['2026-11-30T10:15:00Z', '2026-11-30 18:15'],
    ['2026-11-30T16:00:00Z', '2026-12-01 00:00'], // past midnight in Beijing, still the 30th in UTC
    ['2026-12-31T15:59:59.999Z', '2026-12-31 23:59'],
    ['2026-07-01T00:00:00+08:00', '2026-07-01 00:00'], // no daylight saving in summer
  ])('%s → %s', (iso, expected) => {
    expect(beijingMinute(new Date(iso))).toBe(expected)
  })
})
