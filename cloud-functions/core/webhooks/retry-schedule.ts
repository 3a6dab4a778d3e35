/** How long a delivery is retried after its event: 24 hours. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000
const FIRST_DELAY_MS = 30_000
const MAX_DELAY_MS = 2 * 3_600_000

/**
 * When to try a delivery again after `attempts` failed attempts (exponential backoff: 30 s, 1 min,
 * 2 min, … doubling, at most 2 h apart), or `undefined` once that would fall outside the 24 hours
 * after the event (`firstAt`): the delivery is then given up (it stays in the log, and can be
 * redelivered by hand).
 */
export function nextWebhookAttempt(firstAt: Date, attempts: number, now: Date): Date | undefined {
  const delay = Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS)
  const next = new Date(now.getTime() + delay)
  return next.getTime() - firstAt.getTime() > WEBHOOK_RETRY_WINDOW_MS ? undefined : next
}
