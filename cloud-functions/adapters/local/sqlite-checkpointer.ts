import { Worker } from 'node:worker_threads'

/**
 * The worker's code: its own connection to the database file, which runs a passive WAL checkpoint
 * (copy the committed pages from the write-ahead log into the database file, then flush both) for
 * each message, and answers with SQLite's counts or the error.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let db
parentPort.on('message', () => {
  let answer
  try {
    db ??= new Database(workerData.file, { timeout: workerData.busyTimeoutMs })
    const [row] = db.pragma('wal_checkpoint(PASSIVE)')
    answer = { ok: true, busy: row.busy, log: row.log, checkpointed: row.checkpointed }
  } catch (error) {
    answer = { ok: false, message: String(error && error.message) }
  }
  parentPort.postMessage(answer)
})
`

/** What one checkpoint did: SQLite's `busy` flag and its frame counts, or why it failed. */
export type CheckpointAnswer = { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; message: string }

/**
 * WAL checkpoints of one SQLite file on a worker thread, so the server's connection never runs them.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: that commit
 * copies the pages into the database file and flushes the log and the file (`fsync` twice), all
 * on the event loop — in bench:flow about once every six contracts. A `PASSIVE` checkpoint from
 * another connection does the same work without blocking any writer or reader (sqlite.org/wal.html
 * #ckpt), and the next write after a complete one starts the log again from its beginning.
 *
 * The worker starts on the first checkpoint (a store that writes little never starts one) and is
 * `unref`ed. At most one checkpoint runs at a time; a request while one runs is served by one more
 * right after it. When a checkpoint fails or the worker cannot run, the checkpointer closes itself
 * (the worker and its connection end) and tells `onFailure`, so the store can go back to SQLite's
 * own checkpoints.
 *
 * @example
 * const checkpointer = new SqliteCheckpointer({ file, busyTimeoutMs: 5000, onFailure: () => db.pragma('wal_autocheckpoint = 1000') })
 * checkpointer.request()
 */
export class SqliteCheckpointer {
  private worker: Worker | undefined
  private running: Promise<CheckpointAnswer> | undefined
  private again = false
  private closed = false
  private answered: ((answer: CheckpointAnswer) => void) | undefined
  private readonly options: { file: string; busyTimeoutMs: number; onFailure: (reason: string) => void }

  constructor(options: { file: string; busyTimeoutMs: number; onFailure: (reason: string) => void }) {
    this.options = options
  }

  /** Start a checkpoint (or queue one behind the running one). Resolves with its answer. */
  request(): Promise<CheckpointAnswer> {
    if (this.closed) return Promise.resolve({ ok: false, message: 'closed' })
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = new Promise<CheckpointAnswer>((resolve) => {
      this.answered = resolve
      try {
        this.start().postMessage('checkpoint')
      } catch (error) {
        this.fail(`the checkpoint worker cannot start: ${(error as Error).message}`)
      }
    }).then((answer) => {
      this.running = undefined
      if (!answer.ok) {
        // A failed checkpointer stops for good (its thread and connection with it); the store goes back to SQLite's own.
        void this.close()
        this.options.onFailure(answer.message)
      } else if (this.again) {
        this.again = false
        void this.request()
      }
      return answer
    })
    return this.running
  }

  /** Waits for the running checkpoint, then stops the worker. */
  async close(): Promise<void> {
    this.closed = true
    await this.running
    const worker = this.worker
    this.worker = undefined
    await worker?.terminate()
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.options.file, busyTimeoutMs: this.options.busyTimeoutMs },
    })
    worker.on('message', (answer: CheckpointAnswer) => {
      const answered = this.answered
      this.answered = undefined
      answered?.(answer)
    })
    worker.on('error', (error) => this.fail(`the checkpoint worker failed: ${error.message}`))
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined
      this.fail('the checkpoint worker stopped')
    })
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref()
    this.worker = worker
    return worker
  }

  /** Answers the waiting request (if any) with a failure; later requests start a new worker. */
  private fail(message: string): void {
    const answered = this.answered
    this.answered = undefined
    answered?.({ ok: false, message })
  }
}
