import type { JobQueue } from '../../ports/job-queue'
import type { MetadataStore } from '../../ports/metadata-store'
import { activeJobIds } from './records'

/**
 * Queue every job not finished (the local runtime on start: a job interrupted by a stop or a crash
 * goes on). The queue is built only when there is something to resume.
 */
export async function resumeBulkSends(deps: { metadata: MetadataStore }, queue: () => Promise<JobQueue>): Promise<number> {
  const ids = await activeJobIds(deps.metadata)
  if (ids.length === 0) return 0
  const q = await queue()
  for (const id of ids) await q.enqueue(id)
  return ids.length
}
