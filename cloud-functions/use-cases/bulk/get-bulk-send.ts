import type { BulkJobDetail, BulkRowView } from '../../api/bulk.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { BaseDeps } from '../base-deps'
import { loadJob, rowsPage, toJobView, toRowView } from './records'

/** A job's progress (counts) and its rows, a page at a time (optionally one state only); the job's owner only. */
export async function getBulkSend(deps: Pick<BaseDeps, 'metadata'>, input: { userId: string; jobId: string; cursor?: string; limit?: number; state?: BulkRowView['state'] }): Promise<Result<BulkJobDetail>> {
  const loaded = await loadJob(deps.metadata, input.jobId)
  if (!loaded || loaded.job.userId !== input.userId) return err('BULK_SEND_NOT_FOUND', '批量发起任务不存在')
  const limit = input.limit ?? 50
  const rows: BulkRowView[] = []
  let cursor = input.cursor
  let next: string | undefined
  try {
    // With a state filter, read on until the page is full (rows are few thousand at most).
    do {
      const page = await rowsPage(deps.metadata, input.jobId, { limit: limit - rows.length, ...(cursor ? { cursor } : {}) })
      for (const r of page.rows) if (!input.state || r.row.state === input.state) rows.push(toRowView(r.row))
      next = page.next
      cursor = page.next
    } while (input.state && next && rows.length < limit)
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidCursorError') return err('VALIDATION_FAILED', '分页游标无效', { field: 'cursor' })
    throw error
  }
  return ok({ job: toJobView(loaded.job), rows, ...(next ? { next } : {}) })
}
