/**
 * Face verification: 5 failed attempts, then no further attempt for 24 h (counted from the fifth
 * failure). A pass clears the count; the count also starts over once a lock has run out.
 */
export const FACE_POLICY = { maxFailures: 5, lockSeconds: 24 * 3600 } as const

/**
 * Micro-deposit (对公打款): the operator has 3 tries to enter the amount, within 72 h of the payout.
 * Amounts are whole fen from 1 to 99 (0.01–0.99 CNY).
 */
export const MICRO_DEPOSIT_POLICY = { maxAttempts: 3, ttlSeconds: 72 * 3600, minFen: 1, maxFen: 99 } as const

/** Failures counted towards a lock, as stored. */
export type FailureCounter = { failures: number; lockedUntil?: number }

export type LockState = { locked: true; retryAfterSeconds: number } | { locked: false; failures: number }

/** Whether the counter locks further attempts at `now` (epoch seconds are stored). */
export function lockState(counter: FailureCounter | undefined, now: Date): LockState {
  const t = Math.floor(now.getTime() / 1000)
  if (counter?.lockedUntil !== undefined && t < counter.lockedUntil) return { locked: true, retryAfterSeconds: counter.lockedUntil - t }
  if (counter?.lockedUntil !== undefined) return { locked: false, failures: 0 } // the lock ran out: start over
  return { locked: false, failures: counter?.failures ?? 0 }
}

/** The counter after one more failure: the `maxFailures`-th failure sets the lock. */
export function recordFailure(counter: FailureCounter | undefined, now: Date, policy: { maxFailures: number; lockSeconds: number } = FACE_POLICY): FailureCounter {
  const state = lockState(counter, now)
  const failures = (state.locked ? (counter?.failures ?? 0) : state.failures) + 1
  if (failures >= policy.maxFailures) return { failures, lockedUntil: Math.floor(now.getTime() / 1000) + policy.lockSeconds }
  return { failures }
}

/**
 * A uniformly random amount of whole fen in [minFen, maxFen] from `randomBytes` (rejection sampling).
 */
export function randomDepositFen(randomBytes: (n: number) => Uint8Array, min: number = MICRO_DEPOSIT_POLICY.minFen, max: number = MICRO_DEPOSIT_POLICY.maxFen): number {
  const span = max - min + 1
  const limit = Math.floor(256 / span) * span
  for (;;) {
    const b = randomBytes(1)[0]!
    if (b < limit) return min + (b % span)
  }
}

/**
 * Parse an amount in yuan as typed (`0.37`, `.37`, `0.3`, `0.37元`) to whole fen, or `undefined`
 * when it is not a plain amount with at most two decimals.
 */
export function parseYuanToFen(text: string): number | undefined {
  // an amount such as ¥0.35, ￥1 or 0.35元;
  // escaped: esbuild keeps non-ASCII in regular expressions, and a non-ASCII bundle is a slower cold start
  const m = /^\s*(?:\u00a5|\uffe5)?\s*(\d{0,6})(?:\.(\d{1,2}))?\s*(?:\u5143)?\s*$/.exec(String(text ?? ''))
  if (!m || (m[1] === '' && m[2] === undefined)) return undefined
  return Number(m[1] || '0') * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/** `37` → `'0.37'`. */
export const formatFen = (fen: number): string => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
