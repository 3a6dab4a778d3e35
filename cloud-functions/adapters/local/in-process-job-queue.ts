import type { JobQueue } from '../../ports/job-queue'

/**
 * The local server's job queue: jobs run one after another on this process's event loop (their
 * rows concurrently, inside the job). The queue itself holds only ids: a job's state is in the
 * metadata store, so after a stop or a crash the runtime queues the unfinished jobs again.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly waiting = new Set<string>()
  private running: Promise<void> | undefined

  constructor(
    private readonly run: (jobId: string) => Promise<void>,
    private readonly onError: (error: unknown, jobId: string) => void,
  ) {}

  enqueue(jobId: string): Promise<void> {
    this.waiting.add(jobId)
    this.running ??= this.drain()
    return Promise.resolve()
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private async drain(): Promise<void> {
    // Let the enqueuing request answer first.
    await new Promise((r) => setImmediate(r))
    try {
      for (let id = this.next(); id; id = this.next()) {
        this.waiting.delete(id)
        try {
          await this.run(id)
        } catch (error) {
          this.onError(error, id)
        }
      }
    } finally {
      this.running = undefined
    }
  }

  private next(): string | undefined {
    return this.waiting.values().next().value
  }
}
