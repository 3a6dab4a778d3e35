import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda'
import { getContainer } from '../../runtime/bootstrap'
import { withBulkServices } from '../../runtime/services'
import { runBulkJob } from '../../use-cases/bulk/run-bulk-job'

/**
 * The bulk-send function (AWS): each SQS message names a job; the job runs to its end (rows claimed
 * with conditional writes and a lease, so a redelivered message or a second consumer never sends a
 * row twice). A job that could not finish (rows still leased by another run) is retried by SQS; a
 * failed message is reported alone (partial batch response).
 */
export async function handler(event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> {
  const deps = await getContainer()
  const services = await withBulkServices(deps)
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = []
  for (const record of event.Records) {
    try {
      const { jobId } = JSON.parse(record.body) as { jobId?: unknown }
      if (typeof jobId !== 'string') continue
      const counts = await runBulkJob(services, jobId, { leaseMs: 180_000, stop: () => (context ? context.getRemainingTimeInMillis() < 30_000 : false) })
      if (counts && counts.pending > 0) batchItemFailures.push({ itemIdentifier: record.messageId })
    } catch (error) {
      deps.logger.error({ err: error, messageId: record.messageId }, 'bulk send message failed')
      batchItemFailures.push({ itemIdentifier: record.messageId })
    }
  }
  return { batchItemFailures }
}
