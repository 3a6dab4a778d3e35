/**
 * Where background jobs (bulk sends) are handed to be run: locally an in-process queue
 * (`adapters/local/in-process-job-queue.ts`; the job's state lives in the metadata store, so the
 * runtime resumes unfinished jobs on start), on AWS an SQS queue feeding a Lambda. Enqueueing a job
 * that is already queued or running is harmless: rows are claimed with conditional writes.
 */
export interface JobQueue {
  enqueue(jobId: string): Promise<void>
}
