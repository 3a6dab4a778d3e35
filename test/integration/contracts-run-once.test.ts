/**
 * `runOnce` (Idempotency-Key for state-changing contract calls) on the real SQLite metadata store
 * with a manual clock: the first answer kept and replayed, a concurrent duplicate in progress, a
 * reused key refused, failures and 5xx answers not kept, and a claim whose process died taken over
 * once its lease has passed — without a late finisher overwriting the newer answer.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import { IDEMPOTENCY_LEASE_MARGIN_SECONDS, IDEMPOTENCY_LEASE_SECONDS, runOnce, type StoredAnswer } from '../../cloud-functions/use-cases/contracts/run-once'
import { ManualClock } from '../support/manual-clock'

let dir: string
let metadata: SqliteMetadataStore
let clock: ManualClock
const request = { userId: 'u1', key: 'key-0001-abcd', fingerprint: 'POST /api/contracts/c1/sign\n{"a":1}' }

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-run-once-'))
  clock = new ManualClock()
  metadata = new SqliteMetadataStore({ file: path.join(dir, 'm.sqlite'), clock })
})
afterEach(async () => {
  await metadata.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A run that answers when told to, counting its calls. */
function controllable(answer: StoredAnswer) {
  let calls = 0
  let release: () => void = () => undefined
  const run = () => {
    calls += 1
    return new Promise<StoredAnswer>((resolve) => {
      release = () => resolve(answer)
    })
  }
  return { run, calls: () => calls, release: () => release() }
}

it('keeps the first answer and replays it; the same key for another request is refused', async () => {
  let calls = 0
  const run = async () => ({ statusCode: 200, body: { n: ++calls } })
  const deps = { metadata, clock }
  expect(await runOnce(deps, request, run)).toEqual({ ok: true, value: { statusCode: 200, body: { n: 1 }, replayed: false } })
  expect(await runOnce(deps, request, run)).toEqual({ ok: true, value: { statusCode: 200, body: { n: 1 }, replayed: true } })
  expect(await runOnce(deps, { ...request, fingerprint: 'POST /api/contracts/c1/sign\n{"a":2}' }, run)).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_KEY_REUSED' } })
  expect(calls).toBe(1)
})

it('a duplicate while the first runs is IDEMPOTENCY_IN_PROGRESS; a throw or a 5xx keeps nothing', async () => {
  const deps = { metadata, clock }
  const first = controllable({ statusCode: 200, body: 'first' })
  const pending = runOnce(deps, request, first.run)
  await new Promise((r) => setTimeout(r, 20))
  expect(await runOnce(deps, request, async () => ({ statusCode: 200, body: 'dup' }))).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_IN_PROGRESS' } })
  first.release()
  expect(await pending).toMatchObject({ ok: true, value: { body: 'first', replayed: false } })

  const other = { ...request, key: 'key-0002-abcd' }
  await expect(runOnce(deps, other, async () => Promise.reject(new Error('outage')))).rejects.toThrow('outage')
  expect(await runOnce(deps, other, async () => ({ statusCode: 503, body: 'down' }))).toMatchObject({ ok: true, value: { statusCode: 503 } })
  expect(await runOnce(deps, other, async () => ({ statusCode: 200, body: 'ran' }))).toMatchObject({ ok: true, value: { body: 'ran', replayed: false } })
})

it('a claim left running by a dead process is taken over after its lease, and the late finisher does not overwrite the newer answer', async () => {
  const deps = { metadata, clock }
  const dead = controllable({ statusCode: 200, body: 'late' })
  const abandoned = runOnce(deps, request, dead.run)
  await new Promise((r) => setTimeout(r, 20))
  // Within the lease: still in progress.
  clock.advanceSeconds(IDEMPOTENCY_LEASE_SECONDS - 1)
  expect(await runOnce(deps, request, async () => ({ statusCode: 200, body: 'early' }))).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_IN_PROGRESS' } })
  // After it: the retry runs and its answer is kept.
  clock.advanceSeconds(2)
  expect(await runOnce(deps, request, async () => ({ statusCode: 200, body: 'retry' }))).toMatchObject({ ok: true, value: { body: 'retry', replayed: false } })
  dead.release()
  expect(await abandoned).toMatchObject({ ok: true, value: { body: 'late' } })
  expect(await runOnce(deps, request, async () => ({ statusCode: 200, body: 'again' }))).toMatchObject({ ok: true, value: { body: 'retry', replayed: true } })
})

it("a Lambda's claim ends with its invocation: a retry after the deadline (plus the margin) runs, not minutes later", async () => {
  const deps = { metadata, clock }
  const lambda = { ...request, key: 'key-0003-lambda' }
  const dead = controllable({ statusCode: 200, body: 'late' })
  // The runtime says 3.2 s are left: it kills the invocation then (a timeout, or the sandbox died earlier).
  void runOnce(deps, { ...lambda, remainingTimeMs: () => 3200 }, dead.run)
  await new Promise((r) => setTimeout(r, 20))
  clock.advanceSeconds(4 + IDEMPOTENCY_LEASE_MARGIN_SECONDS - 1)
  expect(await runOnce(deps, lambda, async () => ({ statusCode: 200, body: 'early' }))).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_IN_PROGRESS' } })
  clock.advanceSeconds(2)
  expect(await runOnce(deps, lambda, async () => ({ statusCode: 200, body: 'retry' }))).toMatchObject({ ok: true, value: { body: 'retry', replayed: false } })
  dead.release()
  // Never longer than the full lease, whatever the runtime says.
  const long = { ...request, key: 'key-0004-lambda' }
  void runOnce(deps, { ...long, remainingTimeMs: () => 3_600_000 }, controllable({ statusCode: 200, body: 'x' }).run)
  await new Promise((r) => setTimeout(r, 20))
  clock.advanceSeconds(IDEMPOTENCY_LEASE_SECONDS + 1)
  expect(await runOnce(deps, long, async () => ({ statusCode: 200, body: 'taken over' }))).toMatchObject({ ok: true, value: { body: 'taken over' } })
})
