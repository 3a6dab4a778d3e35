import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { JobQueue } from '../../ports/job-queue'

/** The AWS job queue: one SQS message per job (`{"jobId"}`), consumed by the bulk-send function (handlers/queue/bulk-send.ts). */
export class SqsJobQueue implements JobQueue {
  private readonly client: SQSClient
  constructor(private readonly options: { queueUrl: string; region: string; client?: SQSClient }) {
    this.client = options.client ?? new SQSClient({ region: options.region })
  }

  async enqueue(jobId: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.options.queueUrl, MessageBody: JSON.stringify({ jobId }) }))
  }
}
