/**
 * The storage contracts on the local adapters: FsObjectStore in a temp directory and
 * SqliteMetadataStore on a temp file (WAL, two connections for the race tests).
 */
import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FsObjectStore } from '../../cloud-functions/adapters/local/fs-object-store'
import { SqliteMetadataStore } from '../../cloud-functions/adapters/local/sqlite-metadata-store'
import { SqliteCheckpointer } from '../../cloud-functions/adapters/local/sqlite-checkpointer'
import type { MetadataStore } from '../../cloud-functions/ports/metadata-store'
import { ManualClock } from '../support/manual-clock'
import { metadataStoreContract } from './metadata-store.contract'
import { objectStoreContract } from './object-store.contract'

const PUBLIC_BASE_URL = 'http://127.0.0.1:3000'

/** A worker thread that increments a shared counter with optimistic concurrency until it has won `increments` times. */
const RACE_WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const { SqliteMetadataStore } = require(workerData.bundle)
const store = new SqliteMetadataStore({ file: workerData.file, clock: { now: () => new Date() } })
;(async () => {
  let wins = 0
  let conflicts = 0
  while (wins < workerData.increments) {
    const item = await store.get('counter', 'c')
    const r = await store.put({ ...item, n: item.n + 1 }, { expectedVersion: item.version })
    if (r.ok) wins++
    else if (r.code === 'CONFLICT') conflicts++
    else throw new Error('unexpected ' + JSON.stringify(r))
  }
  await store.close()
  parentPort.postMessage({ wins, conflicts })
})()
`

objectStoreContract('FsObjectStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'qianyue-fs-objects-'))
  const clock = new ManualClock()
  const store = new FsObjectStore({ root, publicBaseUrl: PUBLIC_BASE_URL, signingKey: randomBytes(32), clock })
  return {
    store,
    presigned: {
      kind: 'signature',
      publicBaseUrl: PUBLIC_BASE_URL,
      verify: (params) => store.verifyPresigned(params),
      advanceSeconds: (s) => clock.advanceSeconds(s),
    },
    close: () => rm(root, { recursive: true, force: true }),
  }
})

metadataStoreContract('SqliteMetadataStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'qianyue-sqlite-'))
  const file = join(dir, 'metadata.sqlite')
  const clock = new ManualClock()
  const opened: MetadataStore[] = []
  const open = () => {
    const store = new SqliteMetadataStore({ file, clock })
    opened.push(store)
    return store
  }
  return {
    store: open(),
    clock,
    openSecond: async () => open(),
    close: async () => {
      for (const store of opened) await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
})

describe('FsObjectStore (local specifics)', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'qianyue-fs-objects-'))
  })
  afterEach(() => rm(root, { recursive: true, force: true }))

  it('keeps objects inside its root and leaves no temporary files behind', async () => {
    const { readdir } = await import('node:fs/promises')
    const store = new FsObjectStore({ root, publicBaseUrl: PUBLIC_BASE_URL, signingKey: randomBytes(32), clock: new ManualClock() })
    await store.put('a/b.pdf', new Uint8Array([1, 2]), { contentType: 'text/plain' })
    await store.put('a/b.pdf', new Uint8Array([3]), { contentType: 'text/plain' })
    expect((await readdir(join(root, 'a', 'b.pdf'))).sort()).toEqual(['@data', '@meta.json'])
    await store.delete('a/b.pdf')
    expect(await readdir(root)).toEqual([])
  })

  it('stores and reads back bodies written by the event loop and on the pool (empty, at and over 256 KiB, several MiB), replacing each whole', async () => {
    const { readdir } = await import('node:fs/promises')
    const store = new FsObjectStore({ root, publicBaseUrl: PUBLIC_BASE_URL, signingKey: randomBytes(32), clock: new ManualClock() })
    const sizes = [0, 1, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024 + 7]
    const bodies = sizes.map((n) => new Uint8Array(randomBytes(n)))
    await Promise.all(bodies.map((b, i) => store.put(`big/${i}.bin`, b)))
    for (let i = 0; i < sizes.length; i++) {
      const back = await store.get(`big/${i}.bin`)
      expect(back?.byteLength).toBe(sizes[i])
      expect(Buffer.from(back!).equals(Buffer.from(bodies[i]!))).toBe(true)
      expect(await store.head(`big/${i}.bin`)).toEqual({ size: sizes[i], contentType: 'application/octet-stream' })
    }
    // A smaller body over a larger one (and the reverse) leaves exactly the new bytes.
    await store.put('big/4.bin', bodies[1]!)
    await store.put('big/1.bin', bodies[4]!)
    expect(Buffer.from((await store.get('big/4.bin'))!).equals(Buffer.from(bodies[1]!))).toBe(true)
    expect(Buffer.from((await store.get('big/1.bin'))!).equals(Buffer.from(bodies[4]!))).toBe(true)
    for (let i = 0; i < sizes.length; i++) expect((await readdir(join(root, 'big', `${i}.bin`))).filter((f) => f.startsWith('@tmp-'))).toEqual([])
    // A put that fails (its directory is a file) leaves nothing behind and names the key.
    const { writeFile } = await import('node:fs/promises')
    await writeFile(join(root, 'blocked'), 'x')
    await expect(store.put('blocked/x.bin', bodies[1]!)).rejects.toThrow('Cannot write object blocked/x.bin')
  })

  it('writes no metadata file when the key implies the type, and drops one an earlier put left', async () => {
    const { readdir } = await import('node:fs/promises')
    const store = new FsObjectStore({ root, publicBaseUrl: PUBLIC_BASE_URL, signingKey: randomBytes(32), clock: new ManualClock() })
    await store.put('a/b.pdf', new Uint8Array([1, 2]), { contentType: 'application/pdf' })
    expect(await readdir(join(root, 'a', 'b.pdf'))).toEqual(['@data'])
    expect(await store.head('a/b.pdf')).toEqual({ size: 2, contentType: 'application/pdf' })
    await store.put('a/b.pdf', new Uint8Array([3]), { contentType: 'application/octet-stream' })
    expect(await store.head('a/b.pdf')).toEqual({ size: 1, contentType: 'application/octet-stream' })
    await store.put('a/b.pdf', new Uint8Array([4, 5, 6]), { contentType: 'application/pdf' })
    expect(await readdir(join(root, 'a', 'b.pdf'))).toEqual(['@data'])
    expect(await store.head('a/b.pdf')).toEqual({ size: 3, contentType: 'application/pdf' })
    await store.put('c/d.dat', new Uint8Array([1]))
    expect((await readdir(join(root, 'c', 'd.dat'))).sort()).toEqual(['@data', '@meta.json'])
  })

  it('refuses a short signing key', () => {
    expect(
      () => new FsObjectStore({ root, publicBaseUrl: PUBLIC_BASE_URL, signingKey: new Uint8Array(8), clock: new ManualClock() }),
    ).toThrow(TypeError)
  })

  it('rejects links signed with another key', async () => {
    const clock = new ManualClock()
    const a = new FsObjectStore({ root, publicBaseUrl: PUBLIC_BASE_URL, signingKey: randomBytes(32), clock })
    const b = new FsObjectStore({ root, publicBaseUrl: PUBLIC_BASE_URL, signingKey: randomBytes(32), clock })
    const q = new URL(await a.presignGet('x/y', 60)).searchParams
    const params = { op: 'get' as const, key: 'x/y', expires: q.get('expires') ?? '', sig: q.get('sig') ?? '' }
    expect(a.verifyPresigned(params)).toEqual({ ok: true })
    expect(b.verifyPresigned(params)).toEqual({ ok: false, code: 'LINK_INVALID' })
  })
})

describe('SqliteMetadataStore (local specifics)', () => {
  it('loses no update when three threads race read-modify-writes on one file', async () => {
    // Prepare: the adapter bundled for plain Node (better-sqlite3 stays external, found from node_modules)
    // esbuild's async API: its sync API parks the main thread in Atomics.wait on a helper thread,
    // which once hung a whole in-band jest run.
    const { build } = await import('esbuild')
    const { Worker } = await import('node:worker_threads')
    const cache = join(__dirname, '..', '..', 'node_modules', '.cache', 'qianyue-tests')
    const bundle = join(cache, `sqlite-metadata-store-${process.pid}.js`)
    await build({
      entryPoints: [join(__dirname, '..', '..', 'cloud-functions', 'adapters', 'local', 'sqlite-metadata-store.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['better-sqlite3'],
      outfile: bundle,
      logLevel: 'silent',
    })
    const dir = await mkdtemp(join(tmpdir(), 'qianyue-sqlite-race-'))
    const file = join(dir, 'metadata.sqlite')
    const seed = new SqliteMetadataStore({ file, clock: new ManualClock() })
    await seed.put({ pk: 'counter', sk: 'c', n: 0 }, { mustNotExist: true })
    const increments = 100
    const worker = (id: number) =>
      new Promise<{ wins: number; conflicts: number }>((resolve, reject) => {
        const w = new Worker(RACE_WORKER, { eval: true, workerData: { bundle, file, id, increments } })
        w.once('message', resolve)
        w.once('error', reject)
      })
    try {
      // Act
      const results = await Promise.all([worker(1), worker(2), worker(3)])
      // Assess: no lost or doubled update (collisions do happen, a few per run, and lose with CONFLICT)
      const item = await seed.get('counter', 'c')
      expect(item).toMatchObject({ n: 3 * increments, version: 1 + 3 * increments })
      expect(results.map((r) => r.wins)).toEqual([increments, increments, increments])
    } finally {
      await seed.close()
      await rm(dir, { recursive: true, force: true })
      await rm(bundle, { force: true })
    }
  }, 30_000)

  it('FULL durability by group commit: a write is answered only after a WAL flush that began after its commit, and concurrent writes share flushes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qy-sqlite-sync-'))
    const file = join(dir, 'm.sqlite')
    const store = new SqliteMetadataStore({ file, clock: new ManualClock() })
    // Watch (not replace) the real fdatasync calls on the WAL file.
    const probe = await open(join(dir, 'probe'), 'w')
    const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> }
    await probe.close()
    const flushes: Array<{ started: number; done?: number }> = []
    let clock = 0
    const original = proto.datasync
    const spy = jest.spyOn(proto, 'datasync').mockImplementation(async function (this: unknown) {
      const f: { started: number; done?: number } = { started: ++clock }
      flushes.push(f)
      await original.call(this)
      f.done = ++clock
    })
    try {
      const answered: Array<{ committedAt: number; answeredAt: number }> = []
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const p = store.put({ pk: `p${i % 4}`, sk: `s${i}`, gsi1pk: 'g', gsi1sk: String(i).padStart(3, '0') })
          const committedAt = ++clock // the commit ran synchronously inside put()
          expect((await p).ok).toBe(true)
          answered.push({ committedAt, answeredAt: ++clock })
        }),
      )
      for (const a of answered) expect(flushes.some((f) => f.started > a.committedAt - 1 && f.done !== undefined && f.done < a.answeredAt)).toBe(true)
      expect(flushes.length).toBeGreaterThan(0)
      expect(flushes.length).toBeLessThan(40)
    } finally {
      spy.mockRestore()
      await store.close()
    }
    // Reopened: everything answered is there (the index query included).
    const again = new SqliteMetadataStore({ file, clock: new ManualClock() })
    expect((await again.queryIndex('g')).items).toHaveLength(40)
    await again.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps one sparse index (items with both index keys), drops the older full ones, and every index query reads it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qy-sqlite-idx-'))
    const file = join(dir, 'm.sqlite')
    const old = new Database(file)
    // A file of an earlier version: both of its full indexes, and items with and without index keys.
    old.exec(
      'CREATE TABLE items (pk TEXT NOT NULL, sk TEXT NOT NULL, version INTEGER NOT NULL, gsi1pk TEXT, gsi1sk TEXT, expires_at NUMERIC, data TEXT NOT NULL, PRIMARY KEY (pk, sk));' +
        'CREATE INDEX items_gsi1 ON items (gsi1pk, gsi1sk); CREATE INDEX items_gsi1_order ON items (gsi1pk, gsi1sk, pk, sk);' +
        `INSERT INTO items VALUES ('p', 'old', 1, 'g', '0', NULL, '{}'), ('p', 'plain', 1, NULL, NULL, NULL, '{}'), ('p', 'half', 1, 'g', NULL, NULL, '{}');`,
    )
    old.close()
    const store = new SqliteMetadataStore({ file, clock: new ManualClock() })
    await store.put({ pk: 'p', sk: 's', gsi1pk: 'g', gsi1sk: '1' })
    await store.put({ pk: 'p', sk: 'none' })
    const db = (store as unknown as { db: Database.Database }).db
    expect(db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'items_gsi1%'").all()).toEqual([
      { name: 'items_gsi1_keyed', sql: 'CREATE INDEX items_gsi1_keyed ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL AND gsi1sk IS NOT NULL' },
    ])
    // Only the items with both keys are in it, the old file's included.
    expect(db.prepare('SELECT sk FROM items INDEXED BY items_gsi1_keyed WHERE gsi1pk IS NOT NULL AND gsi1sk IS NOT NULL ORDER BY gsi1sk').all()).toEqual([{ sk: 'old' }, { sk: 's' }])
    expect((await store.queryIndex('g')).items.map((i) => i.sk)).toEqual(['old', 's'])
    const page = await store.queryIndex('g', { limit: 1 })
    expect((await store.queryIndex('g', { limit: 1, cursor: page.next })).items.map((i) => i.sk)).toEqual(['s'])
    expect((await store.queryIndex('g', { skPrefix: '1' })).items.map((i) => i.sk)).toEqual(['s'])
    // The plans of the store's index queries (first page, next page, prefix, reverse): all read the sparse index.
    const plan = (where: string, order = 'ASC') =>
      (db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM items WHERE gsi1pk = 'g' AND gsi1sk IS NOT NULL AND (expires_at IS NULL OR expires_at > 1) ${where} ORDER BY gsi1sk ${order}, pk ${order}, sk ${order} LIMIT 21`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
    for (const p of [plan(''), plan("AND (gsi1sk, pk, sk) > ('0', 'p', 'old')"), plan("AND gsi1sk >= '1' AND substr(gsi1sk, 1, length('1')) = '1'"), plan("AND gsi1sk < '2'", 'DESC')]) {
      expect(p).toMatch(/^SEARCH items USING INDEX items_gsi1_keyed \(gsi1pk=\?/)
      expect(p).not.toMatch(/TEMP B-TREE/)
    }
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('checkpoints the write-ahead log on a worker thread, not in its own commits; inline when asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qy-sqlite-ckpt-'))
    const { copyFile } = await import('node:fs/promises')
    /** Rows found in the database file alone (a copy without its log): what checkpoints have copied there. */
    const rowsInFile = async (file: string) => {
      const copy = `${file}.copy`
      await copyFile(file, copy)
      const db = new Database(copy, { readonly: true })
      // Before the first checkpoint even the table is only in the log.
      const table = db.prepare("SELECT name FROM sqlite_master WHERE name = 'items'").get()
      const n = table ? (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n : 0
      db.close()
      await rm(copy, { force: true })
      return n
    }
    const write = async (store: SqliteMetadataStore, from: number, to: number) => {
      for (let i = from; i < to; i++) await store.put({ pk: `p${i}`, sk: 's', body: 'x'.repeat(500) })
    }
    const pragma = (store: SqliteMetadataStore, name: string) => (store as unknown as { db: Database.Database }).db.pragma(name, { simple: true })

    // Default: the store's own connection never checkpoints (wal_autocheckpoint 0); the worker does, every 200 writes.
    const file = join(dir, 'worker.sqlite')
    const store = new SqliteMetadataStore({ file, clock: new ManualClock(), synchronous: 'NORMAL' })
    expect(pragma(store, 'wal_autocheckpoint')).toBe(0)
    await write(store, 0, 199)
    expect(await rowsInFile(file)).toBe(0)
    await write(store, 199, 200)
    // The checkpoint runs on its own thread; a copy taken while it writes may be torn, so wait for all 200.
    let copied = 0
    for (let i = 0; i < 200 && copied < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      copied = await rowsInFile(file).catch(() => 0)
    }
    expect(copied).toBeGreaterThanOrEqual(200)
    // Closed and opened again: nothing written is lost. (That the log starts again from its beginning while
    // writes go on is the next test's: closing the last connection deletes the log, so its size here says nothing.)
    await write(store, 200, 1200)
    await store.close()
    const reopened = new SqliteMetadataStore({ file, clock: new ManualClock() })
    expect((await reopened.get('p1199', 's'))?.body).toBe('x'.repeat(500))
    await reopened.close()

    // inline: SQLite's own automatic checkpoint (1,000 pages) inside the commits.
    const inlineFile = join(dir, 'inline.sqlite')
    const inline = new SqliteMetadataStore({ file: inlineFile, clock: new ManualClock(), synchronous: 'NORMAL', checkpoints: 'inline' })
    expect(pragma(inline, 'wal_autocheckpoint')).toBe(1000)
    await write(inline, 0, 1000)
    expect(await rowsInFile(inlineFile)).toBeGreaterThan(0)
    await inline.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('under writes that never pause, the log still starts again from its beginning: its file stays bounded while the store is open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qy-sqlite-restart-'))
    const { stat } = await import('node:fs/promises')
    const file = join(dir, 'busy.sqlite')
    // FULL, as the server runs: each write is answered after a flush of the log (shared by the writes made meanwhile).
    const store = new SqliteMetadataStore({ file, clock: new ManualClock() })
    const body = 'x'.repeat(2000)
    let largest = 0
    // Six writers, each always with its next write waiting: no moment without a write for a passive checkpoint to finish in.
    const writer = async (w: number) => {
      for (let i = 0; i < 1200; i++) {
        await store.put({ pk: `w${w}`, sk: `r${i}`, gsi1pk: 'all', gsi1sk: `${i}#${w}`, body })
        if (i % 100 === 0) largest = Math.max(largest, (await stat(`${file}-wal`)).size)
      }
    }
    await Promise.all([0, 1, 2, 3, 4, 5].map(writer))
    largest = Math.max(largest, (await stat(`${file}-wal`)).size)
    // 7,200 writes of 2 KB rows put about 70 MB through the log; it is reused from its beginning instead (about 8 MB at a restart).
    expect(largest).toBeGreaterThan(4 * 1024 * 1024)
    expect(largest).toBeLessThan(16 * 1024 * 1024)
    expect((await store.get('w5', 'r1199'))?.body).toBe(body)
    expect((await store.queryIndex('all', { skPrefix: '1199#' })).items).toHaveLength(6)
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('writes held for a checkpoint that never answers go on after the hold limit (2 s)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qy-sqlite-hold-'))
    const store = new SqliteMetadataStore({ file: join(dir, 'hold.sqlite'), clock: new ManualClock(), synchronous: 'NORMAL' })
    const checkpointer = (store as unknown as { checkpointer: SqliteCheckpointer }).checkpointer
    const requests: number[] = []
    // The passive checkpoint reports a long log; the one that holds the writes hangs (a disk that stopped answering).
    checkpointer.request = () => {
      requests.push(Date.now())
      return requests.length === 1 ? Promise.resolve({ ok: true, busy: 0, log: 5000, checkpointed: 5000 }) : new Promise(() => undefined)
    }
    for (let i = 0; i < 200; i++) await store.put({ pk: `h${i}`, sk: 's' })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(requests).toHaveLength(2)
    const started = Date.now()
    await store.put({ pk: 'after', sk: 's' })
    const waited = Date.now() - started
    expect(waited).toBeGreaterThan(1500)
    expect(waited).toBeLessThan(4000)
    expect(await store.get('after', 's')).toMatchObject({ pk: 'after' })
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('a checkpointer whose checkpoint fails answers why, closes itself and tells its store once', async () => {
    const failures: string[] = []
    const checkpointer = new SqliteCheckpointer({ file: join(tmpdir(), 'qy-no-such-dir', 'x.sqlite'), busyTimeoutMs: 100, onFailure: (reason) => failures.push(reason) })
    const answer = await checkpointer.request()
    expect(answer.ok).toBe(false)
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(/unable to open|directory/i)
    // Closed: the worker and its connection are gone and no new one starts.
    await new Promise((resolve) => setImmediate(resolve))
    expect((checkpointer as unknown as { worker: unknown }).worker).toBeUndefined()
    expect(await checkpointer.request()).toEqual({ ok: false, message: 'closed' })
    expect((checkpointer as unknown as { worker: unknown }).worker).toBeUndefined()
    expect(failures).toHaveLength(1)
  })

  it('works in memory and reports the SQLite version', async () => {
    const store = new SqliteMetadataStore({ file: ':memory:', clock: new ManualClock() })
    await store.put({ pk: 'p', sk: 's', n: 1 })
    expect(await store.get('p', 's')).toStrictEqual({ pk: 'p', sk: 's', n: 1, version: 1 })
    expect(await store.describe()).toEqual({ kind: 'sqlite', version: expect.stringMatching(/^3\.\d+\.\d+$/) })
    await store.close()
  })

  it('pages of any size come back right, and the statements kept for them stay bounded (page sizes are written into the SQL)', async () => {
    const store = new SqliteMetadataStore({ file: ':memory:', clock: new ManualClock() })
    for (let i = 0; i < 30; i++) await store.put({ pk: 'p', sk: `s${String(i).padStart(2, '0')}`, gsi1pk: 'g', gsi1sk: String(i).padStart(2, '0') })
    const statements = (store as unknown as { statements: Map<string, unknown> }).statements
    let largest = 0
    for (let limit = 1; limit <= 1200; limit++) {
      const page = await store.query('p', { limit, reverse: limit % 2 === 0 })
      const index = await store.queryIndex('g', { limit })
      expect(page.items).toHaveLength(Math.min(limit, 30))
      expect(page.next === undefined).toBe(limit >= 30)
      expect(page.items[0]!.sk).toBe(limit % 2 === 0 ? 's29' : 's00')
      expect(index.items.map((i) => i.sk)).toEqual(Array.from({ length: Math.min(limit, 30) }, (_, i) => `s${String(i).padStart(2, '0')}`))
      largest = Math.max(largest, statements.size)
    }
    expect(largest).toBeLessThanOrEqual(512)
    const rest = await store.query('p', { limit: 7, cursor: (await store.query('p', { limit: 25 })).next })
    expect(rest.items.map((i) => i.sk)).toEqual(['s25', 's26', 's27', 's28', 's29'])
    await store.close()
  })

  it('purges expired rows during writes', async () => {
    const clock = new ManualClock()
    const store = new SqliteMetadataStore({ file: ':memory:', clock })
    await store.put({ pk: 'p', sk: 'old', expiresAt: clock.nowSeconds() + 10 })
    clock.advanceSeconds(120)
    await store.put({ pk: 'p', sk: 'new' })
    // Reach below the port: the expired row is gone from the table, not only hidden
    const db = (store as unknown as { db: { prepare(sql: string): { all(): unknown[] } } }).db
    expect(db.prepare('SELECT sk FROM items').all()).toEqual([{ sk: 'new' }])
    await store.close()
  })

  it('a short-lived writer (purgeExpired: false, as esign sign opens it) leaves expired rows to the server, still hiding them', async () => {
    const clock = new ManualClock()
    const store = new SqliteMetadataStore({ file: ':memory:', clock, purgeExpired: false })
    await store.put({ pk: 'p', sk: 'old', expiresAt: clock.nowSeconds() + 10 })
    clock.advanceSeconds(120)
    await store.put({ pk: 'p', sk: 'new' })
    expect(await store.get('p', 'old')).toBeUndefined()
    const db = (store as unknown as { db: { prepare(sql: string): { all(): unknown[] } } }).db
    expect(db.prepare('SELECT sk FROM items ORDER BY sk').all()).toEqual([{ sk: 'new' }, { sk: 'old' }])
    await store.close()
  })
})
