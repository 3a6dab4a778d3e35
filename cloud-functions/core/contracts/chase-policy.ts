/** A party may be chased (催办) by the sender at most once per this many hours. */
export const CHASE_INTERVAL_HOURS = 24

/**
 * When a party last chased at `lastChasedAt` (ISO) may next be chased, or `undefined` when now.
 *
 * @example
 * chaseRetryAfter('2026-12-01T08:00:00Z', new Date('2026-12-01T20:00:00Z')) // 2026-12-02T08:00:00Z
 */
export function chaseRetryAfter(lastChasedAt: string | undefined, now: Date): Date | undefined {
  if (!lastChasedAt) return undefined
  const next = Date.parse(lastChasedAt) + CHASE_INTERVAL_HOURS * 3_600_000
  return next > now.getTime() ? new Date(next) : undefined
}
