import type { Contract } from './contract'

/** Days before a contract's validity ends at which its sender (and, if chosen, every party) is told. */
export const VALIDITY_NOTICE_DAYS = [30, 7, 1] as const
/** A completed contract whose validity ends within this many days is 即将到期. */
export const VALIDITY_EXPIRING_DAYS = 30

const DAY_MS = 86_400_000

/**
 * The instant a validity end date (`YYYY-MM-DD`, Beijing) has passed: the next day at 00:00 in
 * Shanghai (the contract is in force for the whole of its last day).
 *
 * @example
 * validityEndsAt('2027-01-31') // 2027-01-31T16:00:00.000Z
 */
export function validityEndsAt(validUntil: string): Date {
  return new Date(Date.parse(`${validUntil}T00:00:00+08:00`) + DAY_MS)
}

/**
 * When to tell that a contract's validity ends: 09:00 Shanghai, 30, 7 and 1 days before the
 * validity end date (outside the quiet hours), keyed by slot (`v30`, `v7`, `v1`); only those after
 * `from` (a contract completed 10 days before its end gets the 7- and 1-day notices).
 *
 * @example
 * validityNoticeTimes('2027-01-31', new Date('2026-12-01T00:00:00Z'))
 * // [{ slot: 'v30', days: 30, dueAt: 2027-01-01T01:00Z }, { slot: 'v7', … }, { slot: 'v1', … }]
 */
export function validityNoticeTimes(validUntil: string, from: Date): Array<{ slot: string; days: number; dueAt: Date }> {
  const morning = Date.parse(`${validUntil}T09:00:00+08:00`)
  if (Number.isNaN(morning)) return []
  return VALIDITY_NOTICE_DAYS.map((days) => ({ slot: `v${days}`, days, dueAt: new Date(morning - days * DAY_MS) })).filter((n) => n.dueAt > from)
}

/** Where a contract stands against its validity end date: only a completed contract (in force) with one has a state. */
export type ValidityState = 'in-force' | 'expiring' | 'ended'

/**
 * `expiring` (即将到期): completed, validity ends within {@link VALIDITY_EXPIRING_DAYS} days;
 * `ended` (已到期): completed, the validity end date has passed; `in-force` otherwise when completed
 * with a validity end date; `undefined` for any other contract.
 */
export function validityState(c: Pick<Contract, 'status' | 'validUntil'>, now: Date): ValidityState | undefined {
  if (c.status !== 'completed' || !c.validUntil) return undefined
  const end = validityEndsAt(c.validUntil).getTime()
  if (Number.isNaN(end)) return undefined
  if (now.getTime() >= end) return 'ended'
  return end - now.getTime() <= VALIDITY_EXPIRING_DAYS * DAY_MS ? 'expiring' : 'in-force'
}

/**
 * Calendar days (Beijing) from today until the validity end date: 30 on the day of the 30-day
 * notice, 1 the day before, 0 on the last day and after.
 *
 * @example
 * daysLeft('2027-01-31', new Date('2027-01-01T01:00:00Z')) // 30
 */
export function daysLeft(validUntil: string, now: Date): number {
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
  return Math.max(0, Math.round((Date.parse(`${validUntil}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS))
}
