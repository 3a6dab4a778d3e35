/**
 * A moment as Beijing time to the minute, "YYYY-MM-DD HH:mm" (UTC+8 all year: China has had no
 * daylight saving since 1991): what signature stamps and messages show.
 *
 * @example
 * beijingMinute(new Date('2026-11-30T10:15:00Z')) // '2026-11-30 18:15'
 */
export function beijingMinute(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString()
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`
}
