import fs from 'node:fs/promises'
import Database from 'better-sqlite3'
import type { Clock } from '../../ports/clock'
import {
  InvalidCursorError,
  MetadataStoreError,
  type Item,
  type MetadataStore,
  type NewItem,
  type Page,
  type QueryOptions,
  type TransactOperation,
  type WriteCondition,
  type WriteResult,
} from '../../ports/metadata-store'
import type { StorageDescription } from '../../ports/object-store'
import { SqliteCheckpointer } from './sqlite-checkpointer'
import { assertKey, assertNewItem, assertTransaction, checkBefore, checkLimit, decodeCursor, encodeCursor, targetOf } from '../metadata-store-arguments'

/** Constructor options of {@link SqliteMetadataStore}. */
export type SqliteMetadataStoreOptions = {
  /** Database file (created if missing), or `':memory:'`. */
  file: string
  clock: Clock
  /** How long a write waits for another connection's lock before failing, in ms. Default 5000. */
  busyTimeoutMs?: number
  /**
   * Durability of a write. `FULL` (default): a write's promise resolves only once its commit is on
   * disk, so nothing a caller was told is stored is lost even on power loss. It is done by group
   * commit rather than SQLite's own `synchronous = FULL`, which fsyncs the WAL inside every commit
   * and so holds the event loop for the disk's whole flush time (≈ 0.5–3 ms a write here): SQLite
   * runs with `synchronous = NORMAL` (the file is never corrupted, sqlite.org/pragma.html#pragma_synchronous)
   * and the WAL is flushed with `fdatasync` on the libuv pool, one flush serving every write
   * committed before it started. `NORMAL`: no flush per write; a commit survives a crash or kill
   * of the process, but a power loss may roll back the last commits.
   */
  synchronous?: 'FULL' | 'NORMAL'
  /**
   * Delete expired items during writes (at most once a minute). Default true. A short-lived writer
   * beside the server (`esign sign` recording a certificate) passes false and leaves it to the server.
   */
  purgeExpired?: boolean
  /**
   * Where WAL checkpoints run. `worker` (default for a file): on a worker thread with its own
   * connection, every {@link CHECKPOINT_EVERY_WRITES} writes (`sqlite-checkpointer.ts`), so no commit
   * of this connection ever copies the log into the file and flushes them; `inline`: SQLite's own
   * automatic checkpoint inside the commit that crosses 1,000 log pages. A failing worker falls
   * back to `inline`.
   */
  checkpoints?: 'worker' | 'inline'
}

type Row = {
  pk: string
  sk: string
  version: number
  gsi1pk: string | null
  gsi1sk: string | null
  expires_at: number | null
  data: string
}

/** What a write needs of the stored row: its version (for the condition and the next version) and expiry. */
type Head = Pick<Row, 'version' | 'expires_at'>

type Conflict = { ok: false; code: 'CONFLICT'; message: string }

/**
 * Committed writes between two checkpoints on the worker: a write here adds about five pages to the
 * log, so this is about SQLite's own default of 1,000 pages.
 */
const CHECKPOINT_EVERY_WRITES = 200

/**
 * Log frames (pages of 4 KiB) past which a checkpoint is finished with writes held, so that the log
 * starts again from its beginning (see {@link SqliteMetadataStore.checkpoint}): about 8 MiB.
 */
const RESTART_LOG_FRAMES = 2000

/** The longest the store's writes wait for that checkpoint; past it they go on (the log then grows until the next one). */
const HOLD_MAX_MS = 2000

/**
 * A log larger than this is cut to it when it starts again (`journal_size_limit`): a file that grew
 * before the restarts above, or while another connection held a read open, does not keep its size.
 */
const LOG_SIZE_LIMIT_BYTES = 32 * 1024 * 1024

/** How long a connection waits for another's lock before `SQLITE_BUSY`, unless `busyTimeoutMs` says otherwise. */
const DEFAULT_BUSY_TIMEOUT_MS = 5000

/** Expired rows are deleted at most this often (clock time), during a write. */
const PURGE_INTERVAL_MS = 60_000
/**
 * SQLite's page cache per connection, in KiB (negative = KiB in the pragma): SQLite's own default of
 * 2 MB rather than the 16 MB better-sqlite3 compiles in. The cache fills as the database grows, so
 * with 16 MB a busy server's memory kept rising with the rows it had written (bench:bulk: 13 MB
 * more at 2,000 rows); the pages it drops stay in the OS page cache, and the benchmarks' CPU per
 * contract and per row did not change.
 */
const PAGE_CACHE_KIB = -2000
/**
 * The compiled statements one store keeps (see `statement`). The product's fixed page sizes need
 * few texts, but routes let callers choose theirs (1–200), so a client that cycles through page
 * sizes can make the cache start again; its queries are then compiled once more each, as every
 * paged query was before page sizes went into the SQL.
 */
const MAX_CACHED_STATEMENTS = 512

const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  pk TEXT NOT NULL,
  sk TEXT NOT NULL,
  version INTEGER NOT NULL,
  gsi1pk TEXT,
  gsi1sk TEXT,
  expires_at NUMERIC,
  data TEXT NOT NULL,
  PRIMARY KEY (pk, sk)
);
-- The index query's whole order (gsi1sk, then pk, sk), so a page is read from the index without sorting the partition.
-- Partial: only items that have both index keys are in it (as in a DynamoDB sparse index), so writing
-- one of the many items without them (evidence, certificates, codes, answers) does not touch it.
CREATE INDEX IF NOT EXISTS items_gsi1_keyed ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL AND gsi1sk IS NOT NULL;
-- Earlier files had items_gsi1_order, the same index over every item, and before it items_gsi1 (gsi1pk, gsi1sk).
DROP INDEX IF EXISTS items_gsi1_order;
DROP INDEX IF EXISTS items_gsi1;
`

/**
 * {@link MetadataStore} on SQLite (better-sqlite3), for local mode and tests.
 *
 * One table `items(pk, sk, version, gsi1pk, gsi1sk, expires_at, data)` keyed by `(pk, sk)`, with a
 * sparse index on `(gsi1pk, gsi1sk, pk, sk)` (items that have both index keys); `data` holds the whole item as JSON. The file is in WAL mode, so
 * several connections (processes) can share it: every write runs in a `BEGIN IMMEDIATE`
 * transaction that checks the condition and writes, so concurrent writers serialize and a stale
 * `expectedVersion` loses with `CONFLICT`. Expired items are filtered out of every read and
 * deleted during writes at most once a minute.
 *
 * @example
 * const store = new SqliteMetadataStore({ file: './data/metadata.sqlite', clock: systemClock })
 * const created = await store.put({ pk: 'contract#c1', sk: 'meta', title: '租赁合同' }, { mustNotExist: true })
 */
export class SqliteMetadataStore implements MetadataStore {
  private readonly db: Database.Database
  private readonly clock: Clock
  private lastPurgeMs = Number.NEGATIVE_INFINITY
  private readonly purges: boolean
  /** The WAL file flushed after each write (group commit), or undefined when writes are not flushed. */
  private readonly walFile: string | undefined
  /** Runs the WAL checkpoints off this thread; undefined when SQLite runs them in the commits. */
  private checkpointer: SqliteCheckpointer | undefined
  private writesSinceCheckpoint = 0
  private checkpointing = false
  /** While a checkpoint finishes the log, writes wait for this (reads go on). */
  private held: Promise<void> | undefined
  /**
   * Runs `body.call(this, a, b)` in `BEGIN IMMEDIATE … COMMIT`: one better-sqlite3 transaction
   * function made once, instead of `db.transaction(body)` per write (which builds four wrappers and
   * their properties each time). The bodies are methods, not closures made per call
   * (see docs/ARCHITECTURE.md, "No closures made per call on hot paths").
   */
  private readonly immediate: <A, B>(body: (this: SqliteMetadataStore, a: A, b: B) => WriteResult, a: A, b: B) => WriteResult

  constructor(options: SqliteMetadataStoreOptions) {
    this.clock = options.clock
    this.purges = options.purgeExpired !== false
    this.walFile = (options.synchronous ?? 'FULL') === 'FULL' && options.file !== ':memory:' ? `${options.file}-wal` : undefined
    try {
      this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS })
      this.db.pragma('journal_mode = WAL')
      this.db.pragma('synchronous = NORMAL')
      this.db.pragma(`cache_size = ${PAGE_CACHE_KIB}`)
      this.db.pragma(`journal_size_limit = ${LOG_SIZE_LIMIT_BYTES}`)
      this.db.exec(SCHEMA)
      this.immediate = this.db.transaction((body: (this: SqliteMetadataStore, a: unknown, b: unknown) => WriteResult, a: unknown, b: unknown) => body.call(this, a, b))
        .immediate as SqliteMetadataStore['immediate']
      if (options.file !== ':memory:' && (options.checkpoints ?? 'worker') === 'worker') {
        this.db.pragma('wal_autocheckpoint = 0')
        this.checkpointer = new SqliteCheckpointer({
          file: options.file,
          busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
          onFailure: () => {
            // The checkpointer has closed itself. Back to SQLite's own checkpoints in the commits: slower, never a log that only grows.
            this.checkpointer = undefined
            if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000')
          },
        })
      }
    } catch (error) {
      throw new MetadataStoreError(`Cannot open SQLite database ${options.file}`, { cause: error })
    }
  }

  async get(pk: string, sk: string): Promise<Item | undefined> {
    assertKey(pk, sk)
    try {
      const row = this.selectRow(pk, sk)
      return row && this.isAlive(row) ? toItem(row) : undefined
    } catch (error) {
      throw failure(`get ${pk}/${sk}`, error)
    }
  }

  async put(item: NewItem, condition?: WriteCondition): Promise<WriteResult> {
    assertNewItem(item)
    return this.write(`put ${item.pk}/${item.sk}`, this.putRow, item, condition)
  }

  private putRow(item: NewItem, condition: WriteCondition | undefined): WriteResult {
    const current = this.aliveHead(item.pk, item.sk)
    const conflict = checkCondition(item.pk, item.sk, current, condition)
    if (conflict) return conflict
    this.upsert(item, current ? current.version + 1 : 1)
    return { ok: true }
  }

  async delete(pk: string, sk: string, condition?: WriteCondition): Promise<WriteResult> {
    assertKey(pk, sk)
    return this.write(`delete ${pk}/${sk}`, this.deleteRow, { pk, sk }, condition)
  }

  private deleteRow({ pk, sk }: { pk: string; sk: string }, condition: WriteCondition | undefined): WriteResult {
    const conflict = checkCondition(pk, sk, this.aliveHead(pk, sk), condition)
    if (conflict) return conflict
    this.statement('DELETE FROM items WHERE pk = ? AND sk = ?').run(pk, sk)
    return { ok: true }
  }

  async query(pk: string, options: QueryOptions = {}): Promise<Page> {
    if (typeof pk !== 'string' || pk === '') throw new TypeError('pk must be a non-empty string')
    const limit = checkLimit(options.limit)
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ['sk'])
    const before = checkBefore(options)
    const dir = options.reverse ? 'DESC' : 'ASC'
    const where = ['pk = @pk', '(expires_at IS NULL OR expires_at > @now)']
    const params: Record<string, unknown> = { pk, now: this.nowSeconds() }
    if (before !== undefined) {
      where.push('sk < @before')
      params.before = before
    }
    if (options.skPrefix) {
      where.push('sk >= @prefix AND substr(sk, 1, length(@prefix)) = @prefix')
      params.prefix = options.skPrefix
    }
    if (after) {
      where.push(options.reverse ? 'sk < @after' : 'sk > @after')
      params.after = after.sk
    }
    const sql = `SELECT * FROM items WHERE ${where.join(' AND ')} ORDER BY sk ${dir}${limitClause(limit)}`
    try {
      return toPage(this.statement(sql).all(params) as Row[], limit, sortKeyCursor)
    } catch (error) {
      throw failure(`query ${pk}`, error)
    }
  }

  async queryIndex(gsi1pk: string, options: QueryOptions = {}): Promise<Page> {
    if (typeof gsi1pk !== 'string' || gsi1pk === '') throw new TypeError('gsi1pk must be a non-empty string')
    const limit = checkLimit(options.limit)
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ['gsi1sk', 'pk', 'sk'])
    const before = checkBefore(options)
    const dir = options.reverse ? 'DESC' : 'ASC'
    const where = ['gsi1pk = @gsi1pk', 'gsi1sk IS NOT NULL', '(expires_at IS NULL OR expires_at > @now)']
    const params: Record<string, unknown> = { gsi1pk, now: this.nowSeconds() }
    if (before !== undefined) {
      where.push('gsi1sk < @before')
      params.before = before
    }
    if (options.skPrefix) {
      where.push('gsi1sk >= @prefix AND substr(gsi1sk, 1, length(@prefix)) = @prefix')
      params.prefix = options.skPrefix
    }
    if (after) {
      where.push(`(gsi1sk, pk, sk) ${options.reverse ? '<' : '>'} (@afterGsi1sk, @afterPk, @afterSk)`)
      Object.assign(params, { afterGsi1sk: after.gsi1sk, afterPk: after.pk, afterSk: after.sk })
    }
    const sql =
      `SELECT * FROM items WHERE ${where.join(' AND ')} ` +
      `ORDER BY gsi1sk ${dir}, pk ${dir}, sk ${dir}${limitClause(limit)}`
    try {
      return toPage(this.statement(sql).all(params) as Row[], limit, indexCursor)
    } catch (error) {
      throw failure(`queryIndex ${gsi1pk}`, error)
    }
  }

  async transact(operations: TransactOperation[]): Promise<WriteResult> {
    assertTransaction(operations)
    return this.write('transact', this.transactRows, operations, undefined)
  }

  private transactRows(operations: TransactOperation[]): WriteResult {
    // Check every condition before the first write: a failure leaves the database untouched.
    const currents = new Array<Head | undefined>(operations.length)
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i]!
      const { pk, sk } = targetOf(op)
      const current = this.aliveHead(pk, sk)
      const conflict = checkCondition(pk, sk, current, op.condition)
      if (conflict) return conflict
      currents[i] = current
    }
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i]!
      const current = currents[i]
      if ('put' in op) this.upsert(op.put, current ? current.version + 1 : 1)
      else if ('delete' in op) this.statement('DELETE FROM items WHERE pk = ? AND sk = ?').run(op.delete.pk, op.delete.sk)
    }
    return { ok: true }
  }

  async describe(): Promise<StorageDescription> {
    let row: { v: string }
    try {
      row = this.statement('SELECT sqlite_version() AS v').get() as { v: string }
    } catch (error) {
      throw failure('describe', error)
    }
    return { kind: 'sqlite', version: row.v }
  }

  async close(): Promise<void> {
    await this.checkpointer?.close()
    await this.flushing?.catch(() => undefined)
    await this.wal?.close().catch(() => undefined)
    this.wal = undefined
    if (this.db.open) this.db.close()
  }

  private wal: fs.FileHandle | undefined
  /** The flush now running, and the one queued behind it (for commits made after it started). */
  private flushing: Promise<void> | undefined
  private queued: Promise<void> | undefined

  /** Resolves once every commit made before this call is on disk (group commit: see `synchronous`). */
  private durable(): Promise<void> {
    if (!this.walFile) return Promise.resolve()
    if (this.queued) return this.queued
    if (!this.flushing) {
      this.flushing = this.flushWal().finally(() => {
        this.flushing = undefined
      })
      return this.flushing
    }
    // A flush is running but may have started before this commit: one more flush follows it, shared by every commit until then.
    this.queued = this.flushing
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined
        return this.durable()
      })
    return this.queued
  }

  private async flushWal(): Promise<void> {
    try {
      this.wal ??= await fs.open(this.walFile as string, 'r')
      await this.wal.datasync()
    } catch (error) {
      throw new MetadataStoreError('SQLite flush of the write-ahead log failed', { cause: error })
    }
  }

  /**
   * Statements are compiled once per SQL text (a query's SQL varies only by its options and page
   * size), at most {@link MAX_CACHED_STATEMENTS} of them: callers choose page sizes, so the texts are
   * not a fixed set, and the cache starts again when it is full.
   */
  private readonly statements = new Map<string, Database.Statement>()
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql)
    if (!s) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear()
      s = this.db.prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }

  private nowSeconds(): number {
    return this.clock.now().getTime() / 1000
  }

  private isAlive(row: Pick<Row, 'expires_at'>): boolean {
    return row.expires_at === null || row.expires_at > this.nowSeconds()
  }

  private selectRow(pk: string, sk: string): Row | undefined {
    return this.statement('SELECT * FROM items WHERE pk = ? AND sk = ?').get(pk, sk) as Row | undefined
  }

  /**
   * The stored row's version and expiry, unless it has expired (an expired item counts as absent):
   * what a write checks. Not `SELECT *`: the item's JSON (a contract's is kilobytes, partly in
   * overflow pages) would be read and made into a string for every conditional write, and not used.
   */
  private aliveHead(pk: string, sk: string): Head | undefined {
    const head = this.statement('SELECT version, expires_at FROM items WHERE pk = ? AND sk = ?').get(pk, sk) as Head | undefined
    return head && this.isAlive(head) ? head : undefined
  }

  /**
   * Insert the item, or update its row in place. Not `INSERT OR REPLACE`: that deletes the old row
   * and inserts a new one under a new rowid, so every update rewrote the row's pages in all three
   * b-trees (table, primary key, index) at their old place and their new one. Measured on this
   * machine kind, 15,000 updates of 2.5 KB rows that have an index entry: 125 against 52 µs a
   * write; with the 5,000 inserts before them, 3.5 times the writes to the log.
   */
  private upsert(item: NewItem, version: number): void {
    const { version: _ignored, ...attributes } = item as NewItem & { version?: unknown }
    this
      .statement(
        `INSERT INTO items (pk, sk, version, gsi1pk, gsi1sk, expires_at, data)
         VALUES (@pk, @sk, @version, @gsi1pk, @gsi1sk, @expiresAt, @data)
         ON CONFLICT (pk, sk) DO UPDATE SET version = excluded.version, gsi1pk = excluded.gsi1pk,
           gsi1sk = excluded.gsi1sk, expires_at = excluded.expires_at, data = excluded.data`,
      )
      .run({
        pk: item.pk,
        sk: item.sk,
        version,
        gsi1pk: item.gsi1pk ?? null,
        gsi1sk: item.gsi1sk ?? null,
        expiresAt: item.expiresAt ?? null,
        data: JSON.stringify(attributes),
      })
  }

  /** Run `body` in a `BEGIN IMMEDIATE` transaction (the write lock is taken before the first read); a commit is answered once it is durable. */
  private async write<A, B>(what: string, body: (this: SqliteMetadataStore, a: A, b: B) => WriteResult, a: A, b: B): Promise<WriteResult> {
    while (this.held) await this.held
    let result: WriteResult
    try {
      result = this.immediate(body, a, b)
      this.purgeExpired()
    } catch (error) {
      throw failure(what, error)
    }
    if (!result.ok) return result
    if (this.checkpointer && ++this.writesSinceCheckpoint >= CHECKPOINT_EVERY_WRITES) {
      this.writesSinceCheckpoint = 0
      void this.checkpoint()
    }
    await this.durable()
    return result
  }

  /**
   * A passive checkpoint on the worker while writes go on; then, once the log has grown past
   * {@link RESTART_LOG_FRAMES}, one more with this connection's writes held (reads go on). A log
   * is only started again from its beginning by a write that finds every frame of it copied into
   * the database, and under steady writes no passive checkpoint ever ends that way: frames are added
   * while it runs. The log then grew without end (bench:flow: 310 MB after its warm-up), and every
   * frame was written past the end of the file, which costs more than writing over old frames and
   * makes each flush commit the file's new size as well. The held checkpoint copies only the
   * frames written during the passive one, so writes wait about one flush.
   */
  private async checkpoint(): Promise<void> {
    const checkpointer = this.checkpointer
    if (!checkpointer || this.checkpointing) return
    this.checkpointing = true
    try {
      const passive = await checkpointer.request()
      if (!passive.ok || passive.log < RESTART_LOG_FRAMES || this.checkpointer !== checkpointer) return
      let release!: () => void
      this.held = new Promise<void>((resolve) => (release = resolve))
      // Writes wait at most HOLD_MAX_MS, even for a checkpoint that hangs on a slow disk.
      const timer = setTimeout(release, HOLD_MAX_MS)
      try {
        await Promise.race([checkpointer.request(), this.held])
      } finally {
        clearTimeout(timer)
        this.held = undefined
        release()
      }
    } finally {
      this.checkpointing = false
    }
  }

  private purgeExpired(): void {
    const nowMs = this.clock.now().getTime()
    if (!this.purges || nowMs - this.lastPurgeMs < PURGE_INTERVAL_MS) return
    this.lastPurgeMs = nowMs
    this.statement('DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at <= ?').run(nowMs / 1000)
  }

}

/** What a failed call throws: argument errors as they are, anything else (SQLite's) as a MetadataStoreError. */
function failure(what: string, error: unknown): unknown {
  if (error instanceof InvalidCursorError || error instanceof TypeError || error instanceof RangeError) return error
  return new MetadataStoreError(`SQLite ${what} failed`, { cause: error })
}

/**
 * A page's `LIMIT` (one row more than the page, to know whether another follows) written into the
 * SQL text as a number rather than bound as a parameter: the SQLite better-sqlite3 bundles (3.53)
 * plans with a bound LIMIT's value, so it compiled such a statement again every time the parameter
 * was bound (before every run), which doubled the CPU of a partition query (15 against 7 µs on this machine kind,
 * 2026-12-06). `limit` is a checked positive safe integer (`checkLimit`).
 */
function limitClause(limit: number | undefined): string {
  return limit ? ` LIMIT ${limit + 1}` : ''
}

/** The cursors of a query and of an index query: module-level, not closures made per call. */
const sortKeyCursor = (last: Row): Record<string, string> => ({ sk: last.sk })
const indexCursor = (last: Row): Record<string, string> => ({ gsi1sk: last.gsi1sk as string, pk: last.pk, sk: last.sk })

function toItem(row: Row): Item {
  let attributes: NewItem
  try {
    attributes = JSON.parse(row.data) as NewItem
  } catch (error) {
    throw new MetadataStoreError(`Corrupt item ${row.pk}/${row.sk}`, { cause: error })
  }
  return { ...attributes, pk: row.pk, sk: row.sk, version: row.version }
}

function toPage(rows: Row[], limit: number | undefined, cursorOf: (last: Row) => Record<string, string>): Page {
  if (limit === undefined || rows.length <= limit) return { items: rows.map(toItem) }
  const page = rows.slice(0, limit)
  return { items: page.map(toItem), next: encodeCursor(cursorOf(page[page.length - 1])) }
}

function checkCondition(pk: string, sk: string, current: Head | undefined, condition: WriteCondition | undefined): Conflict | undefined {
  if (!condition) return undefined
  if ('mustNotExist' in condition) {
    return current ? conflict(`Item ${pk}/${sk} already exists (version ${current.version})`) : undefined
  }
  if (!current) return conflict(`Item ${pk}/${sk} does not exist, expected version ${condition.expectedVersion}`)
  if (current.version !== condition.expectedVersion) {
    return conflict(`Item ${pk}/${sk} is at version ${current.version}, expected ${condition.expectedVersion}`)
  }
  return undefined
}

function conflict(message: string): Conflict {
  return { ok: false, code: 'CONFLICT', message }
}

