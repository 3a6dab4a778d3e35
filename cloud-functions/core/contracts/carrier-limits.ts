/**
 * The SMS carriers' frequency limits for notices (运营商频控), checked before a notice is sent so
 * the sender hears when it can go instead of the gateway refusing it: the same number and the same
 * text at most once per 30 seconds, and about 10 notices a day per number (a rolling 24 hours).
 */
export const CARRIER_LIMITS = { sameTextSeconds: 30, perDay: 10 } as const

/** One notice sent to a number: when (epoch ms) and what (a key of its text, without the per-send link). */
export type SentNotice = { at: number; textKey: string }

/**
 * When a notice with `textKey` may next be sent to a number that was sent `history`, or
 * `undefined` when it may be sent now. Pure: the caller passes the clock's time.
 *
 * @example
 * carrierRetryAfter([{ at: now - 10_000, textKey: 'k' }], 'k', new Date(now)) // now + 20 s
 */
export function carrierRetryAfter(history: readonly SentNotice[], textKey: string, now: Date): Date | undefined {
  const t = now.getTime()
  const day = history.filter((h) => h.at > t - 86_400_000).sort((a, b) => a.at - b.at)
  let retry = 0
  const same = day.filter((h) => h.textKey === textKey && h.at > t - CARRIER_LIMITS.sameTextSeconds * 1000)
  if (same.length > 0) retry = Math.max(retry, same[same.length - 1]!.at + CARRIER_LIMITS.sameTextSeconds * 1000)
  if (day.length >= CARRIER_LIMITS.perDay) retry = Math.max(retry, day[day.length - CARRIER_LIMITS.perDay]!.at + 86_400_000)
  return retry > t ? new Date(retry) : undefined
}

/** The history to keep after sending one more notice now: only the last 24 hours matter. */
export function recordSent(history: readonly SentNotice[], textKey: string, now: Date): SentNotice[] {
  const t = now.getTime()
  return [...history.filter((h) => h.at > t - 86_400_000), { at: t, textKey }]
}
