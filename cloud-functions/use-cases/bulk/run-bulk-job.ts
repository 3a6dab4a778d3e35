import type { BulkCounts } from '../../api/bulk.types'
import { sendContract } from '../contracts/send-contract'
import type { BulkDeps } from './deps'
import { loadJob, openRowData, rowsPage, saveJob, updateRow, type BulkJob, type BulkRow, type StoredRow } from './records'

export type RunBulkJobOptions = {
  /** Rows in flight at once (default 8). */
  concurrency?: number
  /** How long a row's claim holds before another runner may take it over (default 10 minutes). */
  leaseMs?: number
  /** Take over every row left `sending` without a contract, lease or not: the local runtime at start-up, when the process that claimed them is gone. */
  reclaimAll?: boolean
  /** Asked before each row is claimed: true stops the run there (a Lambda near its timeout); the job stays unfinished. */
  stop?: () => boolean
}

const PAGE = 100

/**
 * Run a bulk job to its end (or resume it): rows are read a page at a time; each `pending` row is
 * claimed with a conditional write (`sending`, with a lease), its contract created from the
 * template and its id recorded before the send, then sent and marked `sent` (or `failed` with the
 * reason). A row found `sending` with a contract id is only sent (an "already sent" answer counts as
 * sent), so a crash at any point never sends a row twice. Counts are written to the job after every
 * page; the job ends `done`.
 */
export async function runBulkJob(deps: BulkDeps, jobId: string, o: RunBulkJobOptions = {}): Promise<BulkCounts | undefined> {
  const loaded = await loadJob(deps.metadata, jobId)
  if (!loaded || loaded.job.status === 'done') return loaded?.job.counts
  let { job, version } = loaded
  const done = { sent: 0, failed: 0, invalid: 0 }
  const concurrency = Math.max(1, o.concurrency ?? 8)
  const save = async (next: BulkJob) => {
    const saved = await saveJob(deps.metadata, next, version)
    if (!saved.ok) {
      const again = await loadJob(deps.metadata, jobId)
      if (!again) return
      version = again.version
      job = { ...again.job, status: next.status, counts: next.counts, ...(next.finishedAt ? { finishedAt: next.finishedAt } : {}) }
      if ((await saveJob(deps.metadata, job, version)).ok) version++
      return
    }
    job = next
    version++
  }
  const counts = (): BulkCounts => ({ total: job.counts.total, pending: job.counts.total - done.sent - done.failed - done.invalid, ...done })
  if (job.status === 'queued') await save({ ...job, status: 'running' })
  let cursor: string | undefined
  do {
    const page = await rowsPage(deps.metadata, jobId, { limit: PAGE, ...(cursor ? { cursor } : {}) })
    let next = 0
    const worker = async () => {
      while (next < page.rows.length && !o.stop?.()) {
        const stored = page.rows[next++]!
        const state = await runRow(deps, job, stored, o)
        if (state === 'sent' || state === 'failed' || state === 'invalid') done[state]++
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, page.rows.length) }, worker))
    cursor = o.stop?.() ? undefined : page.next
    if (cursor) await save({ ...job, counts: counts() })
  } while (cursor)
  const final = counts()
  await save({ ...job, counts: final, ...(final.pending === 0 ? { status: 'done' as const, finishedAt: deps.clock.now().toISOString() } : {}) })
  return final
}

async function runRow(deps: BulkDeps, job: BulkJob, stored: StoredRow, o: RunBulkJobOptions): Promise<BulkRow['state']> {
  let { row, version } = stored
  if (row.state === 'sent' || row.state === 'failed' || row.state === 'invalid') return row.state
  const now = deps.clock.now()
  const leaseUntil = new Date(now.getTime() + (o.leaseMs ?? 600_000)).toISOString()
  if (row.state === 'sending' && !row.contractId && !o.reclaimAll && row.leaseUntil && row.leaseUntil > now.toISOString()) return 'sending'
  const write = async (next: BulkRow): Promise<boolean> => {
    const w = await updateRow(deps.metadata, job.jobId, next, version)
    if (!w.ok) return false
    row = next
    version++
    return true
  }
  const fail = async (error: { code: string; message: string }) => {
    const { leaseUntil: _lease, ...rest } = row
    return (await write({ ...rest, state: 'failed', error: { code: error.code, message: error.message } })) ? 'failed' : row.state
  }
  try {
    if (!row.contractId) {
      if (!(await write({ ...row, state: 'sending', leaseUntil }))) return row.state
      const data = openRowData(deps.personalData, row.sealed)
      const created = await deps.templates.createContract({
        userId: job.userId,
        templateId: job.templateId,
        deadline: job.deadline,
        values: data.values,
        parties: data.parties,
        ...(job.request ? { request: job.request } : {}),
        ...(job.title ? { title: job.title } : {}),
        ...(job.senderCompanyId ? { senderCompanyId: job.senderCompanyId } : {}),
      })
      if (!created.ok) return await fail(created.error)
      // The contract id is recorded before the send: a resumed row is only sent, never created again.
      if (!(await write({ ...row, contractId: created.value.contractId }))) return row.state
    }
    const sent = await sendContract(deps, { userId: job.userId, contractId: row.contractId!, ...(job.request ? { request: job.request } : {}) })
    if (!sent.ok && sent.error.code !== 'CONTRACT_ALREADY_SENT') return await fail(sent.error)
    const { leaseUntil: _lease, ...rest } = row
    return (await write({ ...rest, state: 'sent' })) ? 'sent' : row.state
  } catch (error) {
    deps.logger.error({ err: error, jobId: job.jobId, rowNumber: row.rowNumber }, 'bulk send row failed')
    return await fail({ code: 'INTERNAL', message: '发送失败，请稍后重试' })
  }
}
