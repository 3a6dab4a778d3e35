import { createHash } from 'node:crypto'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { idempotencyKey } from './records'

/** An answer as it was sent: status and JSON body. */
export type StoredAnswer = { statusCode: number; body: unknown }

/** How long a key's answer is kept. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600
/**
 * How long a run holds its key. A claim still `running` after this (its process crashed or timed
 * out: a Lambda lives at most 15 minutes, a request through API Gateway 29 s) is taken over by the
 * next retry instead of answering `IDEMPOTENCY_IN_PROGRESS` for the rest of the day.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 300
/**
 * Added to the invocation's remaining time when a Lambda holds a key: the claim outlives the
 * invocation by this much (clock differences between containers), no more.
 */
export const IDEMPOTENCY_LEASE_MARGIN_SECONDS = 1
const KEY = /^[A-Za-z0-9_-]{8,100}$/

/**
 * `Idempotency-Key` for state-changing calls: the first request with a key runs `run` and its
 * answer is kept for a day under the caller and the key; a retry with the same key and the same
 * request (`fingerprint`: method, path and body) gets that answer again and nothing runs twice. A
 * retry while the first is still running is `IDEMPOTENCY_IN_PROGRESS` (409); the same key with a
 * different request is `IDEMPOTENCY_KEY_REUSED` (422). A run that throws (an outage, a bug) or
 * answers 5xx keeps nothing, so a retry runs again; so does a run whose process died, once its
 * lease ({@link IDEMPOTENCY_LEASE_SECONDS}) has passed — the state machine still refuses to do a
 * thing twice (a second signature is `ALREADY_SIGNED`). A run only ever replaces or frees its own
 * claim (conditional on the claim's version). Without a key, `run` simply runs.
 *
 * `remainingTimeMs` (a Lambda's `context.getRemainingTimeInMillis`): the runtime kills the
 * invocation at its deadline, so the claim's lease ends there (plus
 * {@link IDEMPOTENCY_LEASE_MARGIN_SECONDS}) instead of after the full lease: a signer whose request
 * died with a timed-out or crashed Lambda retries the same attempt seconds later, not minutes.
 */
export async function runOnce(
  deps: { metadata: MetadataStore; clock: Clock },
  input: { userId: string; key?: string; fingerprint: string; remainingTimeMs?: () => number },
  run: () => Promise<StoredAnswer>,
): Promise<Result<StoredAnswer & { replayed: boolean }>> {
  if (input.key === undefined) return ok({ ...(await run()), replayed: false })
  if (!KEY.test(input.key)) return err('VALIDATION_FAILED', 'Idempotency-Key 应为 8–100 个字母、数字、- 或 _', { field: 'Idempotency-Key' })
  const fingerprint = createHash('sha256').update(input.fingerprint).digest('hex')
  const key = idempotencyKey(input.userId, input.key)
  const now = deps.clock.now()
  const nowSeconds = Math.floor(now.getTime() / 1000)
  const expiresAt = nowSeconds + IDEMPOTENCY_TTL_SECONDS
  const leaseSeconds = input.remainingTimeMs ? Math.min(IDEMPOTENCY_LEASE_SECONDS, Math.ceil(Math.max(0, input.remainingTimeMs()) / 1000) + IDEMPOTENCY_LEASE_MARGIN_SECONDS) : IDEMPOTENCY_LEASE_SECONDS
  const running = { ...key, type: 'idempotency', state: 'running', fingerprint, expiresAt, leaseUntil: nowSeconds + leaseSeconds }
  let claimVersion = 1
  const claimed = await deps.metadata.put(running, { mustNotExist: true })
  if (!claimed.ok) {
    const existing = await deps.metadata.get(key.pk, key.sk)
    if (!existing) return err('IDEMPOTENCY_IN_PROGRESS', '相同的请求正在处理，请稍后重试')
    if (existing.fingerprint !== fingerprint) return err('IDEMPOTENCY_KEY_REUSED', '该幂等键已用于另一个不同的请求')
    if (existing.state === 'done') return ok({ ...(existing.answer as StoredAnswer), replayed: true })
    // Running: wait for it, unless its lease has run out (the process that claimed it is gone).
    if (typeof existing.leaseUntil === 'number' && existing.leaseUntil > nowSeconds) return err('IDEMPOTENCY_IN_PROGRESS', '相同的请求正在处理，请稍后重试')
    const taken = await deps.metadata.put(running, { expectedVersion: existing.version })
    if (!taken.ok) return err('IDEMPOTENCY_IN_PROGRESS', '相同的请求正在处理，请稍后重试')
    claimVersion = existing.version + 1
  }
  const mine = { expectedVersion: claimVersion }
  let answer: StoredAnswer
  try {
    answer = await run()
  } catch (e) {
    await deps.metadata.delete(key.pk, key.sk, mine)
    throw e
  }
  if (answer.statusCode >= 500) await deps.metadata.delete(key.pk, key.sk, mine)
  else await deps.metadata.put({ ...key, type: 'idempotency', state: 'done', fingerprint, answer, expiresAt }, mine)
  return ok({ ...answer, replayed: false })
}
