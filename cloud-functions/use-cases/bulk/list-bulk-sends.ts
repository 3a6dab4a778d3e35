import type { BulkJobList } from '../../api/bulk.types'
import type { BaseDeps } from '../base-deps'
import { listUserJobs, toJobView } from './records'

/** My bulk jobs, newest first (the last 50). */
export async function listBulkSends(deps: Pick<BaseDeps, 'metadata'>, input: { userId: string }): Promise<BulkJobList> {
  return { items: (await listUserJobs(deps.metadata, input.userId, 50)).map(toJobView) }
}
