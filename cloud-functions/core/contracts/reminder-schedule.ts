import type { Contract, ReminderRules } from './contract'

/** The default automatic reminders: days after a party was notified, and hours before the deadline. */
export const DEFAULT_REMINDERS = { afterDays: [1, 3, 7], beforeDeadlineHours: 24 } as const

/** A contract's automatic reminders: its own (chosen at send time, possibly none) or the defaults. */
export function reminderRulesOf(c: Pick<Contract, 'reminders'>): ReminderRules {
  return c.reminders ?? { afterDays: [...DEFAULT_REMINDERS.afterDays], beforeDeadlineHours: DEFAULT_REMINDERS.beforeDeadlineHours }
}

const SHANGHAI_MS = 8 * 3_600_000

/**
 * The instant itself, or — when it falls in the quiet hours 22:00–08:00 Asia/Shanghai (UTC+8, no
 * daylight saving) — the next 08:00 there: reminders are deferred, never dropped.
 *
 * @example
 * deferQuietHours(new Date('2026-12-04T15:00:00Z')) // 23:00 in Shanghai → 2026-12-05T00:00:00Z
 */
export function deferQuietHours(at: Date): Date {
  const local = new Date(at.getTime() + SHANGHAI_MS)
  const hour = local.getUTCHours()
  if (hour >= 8 && hour < 22) return at
  const day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) + (hour >= 22 ? 86_400_000 : 0)
  return new Date(day + 8 * 3_600_000 - SHANGHAI_MS)
}

/**
 * When to remind a party notified at `notifiedAt` of a contract due at `deadline`: each slot's due
 * time (quiet hours deferred), only those before the deadline, keyed by slot name (`d1`, `d3`, `d7`,
 * `deadline`) so a re-schedule of the same slot replaces it.
 */
export function reminderTimes(notifiedAt: Date, deadline: Date, rules: { afterDays: readonly number[]; beforeDeadlineHours?: number } = DEFAULT_REMINDERS): Array<{ slot: string; dueAt: Date }> {
  const out: Array<{ slot: string; dueAt: Date }> = []
  for (const d of rules.afterDays) out.push({ slot: `d${d}`, dueAt: deferQuietHours(new Date(notifiedAt.getTime() + d * 86_400_000)) })
  if (rules.beforeDeadlineHours !== undefined) {
    const at = new Date(deadline.getTime() - rules.beforeDeadlineHours * 3_600_000)
    if (at > notifiedAt) out.push({ slot: 'deadline', dueAt: deferQuietHours(at) })
  }
  return out.filter((r) => r.dueAt < deadline)
}

/** Backoff after a failed send: 5 min, 10, 20, … at most 6 hours. */
export function retryBackoffMs(attempts: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000)
}
