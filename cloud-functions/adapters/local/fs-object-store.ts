import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { closeSync, fdatasync, fstatSync, fsync, mkdir, open, openSync, read, renameSync, rmSync, write, writeSync } from 'node:fs'
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { decodeBase64UrlStrict } from '../../core/shared/base64url'
import type { Clock } from '../../ports/clock'
import {
  assertValidKey,
  assertValidPrefix,
  ObjectStoreError,
  type ObjectInfo,
  type ObjectStore,
  type PresignedPost,
  type StorageDescription,
} from '../../ports/object-store'

/** What a presigned link allows: download, upload with PUT, or a browser form upload. */
export type PresignedOperation = 'get' | 'put' | 'post'

/**
 * The parameters of a presigned local link, as the HTTP route reads them back: for `get`/`put`
 * from `/api/objects/<key>?op=&expires=&ct=&sig=`, for `post` from the form fields
 * (`key`, `Content-Type`, `maxBytes`, `expires`, `sig`). Numbers may come as strings.
 */
export type PresignedParams = {
  op: PresignedOperation
  key: string
  expires: number | string
  /** `ct` of a PUT link, the `Content-Type` field of a POST form; absent for GET. */
  contentType?: string
  /** Only for POST. */
  maxBytes?: number | string
  sig: string
}

/** `LINK_EXPIRED` and `LINK_INVALID` are wire error codes (`api/error-codes.ts`). */
export type PresignedVerdict = { ok: true } | { ok: false; code: 'LINK_EXPIRED' | 'LINK_INVALID' }

/** Constructor options of {@link FsObjectStore}. */
export type FsObjectStoreOptions = {
  /** Directory that holds the objects; created on first write. */
  root: string
  /** Origin (and optional path) of the local HTTP server that serves `/api/objects/...`, e.g. `http://127.0.0.1:3000`. */
  publicBaseUrl: string
  /** HMAC-SHA256 key for presigned links, at least 32 bytes. */
  signingKey: Uint8Array
  clock: Clock
}

/** File names inside an object's directory. `@` never occurs in a key, so they cannot clash with key segments. */
const DATA_FILE = '@data'
const META_FILE = '@meta.json'
const TEMP_PREFIX = '@tmp-'
const DEFAULT_CONTENT_TYPE = 'application/octet-stream'
/** Same ceiling as S3 presigned URLs (7 days). */
const MAX_EXPIRES_IN_SECONDS = 7 * 24 * 3600
const SIGNATURE_CONTEXT = 'qianyue-presigned-v1'
const CONTENT_TYPE_PATTERN = /^[\x21-\x7e][\x20-\x7e]*$/
/**
 * Bodies up to this size are written into their temporary file by the event loop itself; larger ones
 * on the libuv pool. Writing a few hundred KiB into the page cache takes tens of microseconds, less
 * than handing the call to a pool thread and back (see {@link writeAtomic}).
 */
const INLINE_WRITE_MAX_BYTES = 256 * 1024
const fdatasyncAsync = promisify(fdatasync)
const fsyncAsync = promisify(fsync)
const mkdirAsync = promisify(mkdir) as (path: string, options: { recursive: true }) => Promise<string | undefined>
const openAsync = promisify(open) as (path: string, flags: string, mode: number) => Promise<number>
const readAsync = promisify(read) as (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => Promise<{ bytesRead: number }>
const writeAsync = promisify(write) as (fd: number, buffer: Uint8Array, offset: number) => Promise<{ bytesWritten: number }>

type Meta = { contentType: string }

/** Content types that a key's extension implies; an object stored with one has no `@meta.json`. */
const IMPLIED_TYPES: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', json: 'application/json', zip: 'application/zip', bin: 'application/octet-stream' }

function impliedContentType(key: string): string | undefined {
  const dot = key.lastIndexOf('.')
  return dot > key.lastIndexOf('/') ? IMPLIED_TYPES[key.slice(dot + 1)] : undefined
}

/**
 * {@link ObjectStore} on the local filesystem, for local mode and tests.
 *
 * Layout: the object `a/b.pdf` lives in the directory `<root>/a/b.pdf/` as `@data` (the bytes)
 * and `@meta.json` (`{ "contentType": ... }`, left out when the key's extension implies the type:
 * `.pdf`, `.png`, `.json`, `.zip`, `.bin`). A directory per object lets `a` and `a/b` coexist,
 * as they can in S3. Writes go to a temporary file in the same directory, are fsynced, renamed
 * over the old file and the directory is fsynced: a reader sees the old or the new bytes, never
 * a part, and a crash never leaves a torn object.
 *
 * Presigned links point at the local HTTP server (`publicBaseUrl`) and carry an HMAC-SHA256
 * signature that {@link FsObjectStore.verifyPresigned} checks.
 *
 * @example
 * const store = new FsObjectStore({ root: './data/objects', publicBaseUrl: 'http://127.0.0.1:3000',
 *   signingKey: randomBytes(32), clock: systemClock })
 * await store.put('contracts/c1/original.pdf', pdfBytes, { contentType: 'application/pdf' })
 * const url = await store.presignGet('contracts/c1/original.pdf', 300)
 */
export class FsObjectStore implements ObjectStore {
  private readonly root: string
  private readonly publicBaseUrl: string
  private readonly signingKey: Buffer
  private readonly clock: Clock

  constructor(options: FsObjectStoreOptions) {
    if (!options.root) throw new TypeError('FsObjectStore: root is required')
    if (!(options.signingKey instanceof Uint8Array) || options.signingKey.byteLength < 32) {
      throw new TypeError('FsObjectStore: signingKey must be a Uint8Array of at least 32 bytes')
    }
    this.root = resolve(options.root)
    this.publicBaseUrl = new URL(options.publicBaseUrl).toString().replace(/\/+$/, '')
    this.signingKey = Buffer.from(options.signingKey)
    this.clock = options.clock
  }

  async put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void> {
    assertValidKey(key)
    const contentType = options?.contentType ?? DEFAULT_CONTENT_TYPE
    assertValidContentType(contentType)
    const dir = this.dirOf(key)
    // A type the key's extension implies (a PDF as `….pdf`, a PNG as `….png`) needs no metadata
    // file: one file fewer to write and sync for nearly every object the product stores.
    const meta = contentType === impliedContentType(key) ? undefined : Buffer.from(JSON.stringify({ contentType } satisfies Meta))
    // A concurrent delete may remove the freshly created (still empty) directory: retry.
    for (let attempt = 1; ; attempt++) {
      try {
        const newParents = await this.ensureDir(dir)
        // A metadata file left by an earlier put with another type goes first (never in a new directory).
        if (!meta && !newParents) rmSync(join(dir, META_FILE), { force: true })
        // The metadata lands before the data (an object exists once its @data does), and the
        // directory is synced once for both renames.
        await writeAtomic(dir, meta ? [[META_FILE, meta], [DATA_FILE, body]] : [[DATA_FILE, body]], newParents ?? [])
        return
      } catch (error) {
        if (attempt < 5 && isCode(error, 'ENOENT')) continue
        throw new ObjectStoreError(`Cannot write object ${key}`, { cause: error })
      }
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertValidKey(key)
    try {
      return await readAll(join(this.dirOf(key), DATA_FILE))
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return undefined
      throw new ObjectStoreError(`Cannot read object ${key}`, { cause: error })
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key)
    const dir = this.dirOf(key)
    try {
      const { size } = await stat(join(dir, DATA_FILE))
      const contentType = (await readMeta(dir))?.contentType ?? impliedContentType(key)
      return contentType ? { size, contentType } : { size }
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return undefined
      throw new ObjectStoreError(`Cannot stat object ${key}`, { cause: error })
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key)
    const dir = this.dirOf(key)
    try {
      // Removing @data first makes the object disappear in one step.
      await rm(join(dir, DATA_FILE), { force: true })
      await rm(join(dir, META_FILE), { force: true })
      await fsyncDir(dir).catch((error) => {
        if (!isCode(error, 'ENOENT') && !isCode(error, 'ENOTDIR')) throw error
      })
    } catch (error) {
      throw new ObjectStoreError(`Cannot delete object ${key}`, { cause: error })
    }
    await this.removeEmptyDirs(dir)
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix)
    const slash = prefix.lastIndexOf('/')
    const base = slash < 0 ? '' : prefix.slice(0, slash)
    const keys: string[] = []
    try {
      await this.walk(base, keys)
    } catch (error) {
      throw new ObjectStoreError(`Cannot list objects under ${JSON.stringify(prefix)}`, { cause: error })
    }
    return keys.filter((k) => k.startsWith(prefix)).sort()
  }

  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    assertValidKey(key)
    const expires = this.expiresAt(expiresInSeconds)
    const sig = this.sign({ op: 'get', key, expires })
    const query = new URLSearchParams({ op: 'get', expires: String(expires), sig })
    return `${this.publicBaseUrl}/api/objects/${key}?${query}`
  }

  async presignPut(key: string, contentType: string, expiresInSeconds: number): Promise<string> {
    assertValidKey(key)
    assertValidContentType(contentType)
    const expires = this.expiresAt(expiresInSeconds)
    const sig = this.sign({ op: 'put', key, expires, contentType })
    const query = new URLSearchParams({ op: 'put', expires: String(expires), ct: contentType, sig })
    return `${this.publicBaseUrl}/api/objects/${key}?${query}`
  }

  async presignPost(
    key: string,
    options: { contentType: string; maxBytes: number; expiresInSeconds: number },
  ): Promise<PresignedPost> {
    assertValidKey(key)
    assertValidContentType(options.contentType)
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) {
      throw new RangeError(`maxBytes must be a non-negative integer, got ${options.maxBytes}`)
    }
    const expires = this.expiresAt(options.expiresInSeconds)
    const sig = this.sign({ op: 'post', key, expires, contentType: options.contentType, maxBytes: options.maxBytes })
    return {
      url: `${this.publicBaseUrl}/api/objects-upload`,
      fields: {
        key,
        'Content-Type': options.contentType,
        maxBytes: String(options.maxBytes),
        expires: String(expires),
        sig,
      },
    }
  }

  /**
   * Check a presigned link or form that a client brought back. The signature is compared in
   * constant time; a link with a bad signature is `LINK_INVALID` even when it has also expired.
   * The caller (the HTTP route) must still enforce what was signed: the request's Content-Type
   * equals `contentType` for PUT/POST, and the body is at most `maxBytes` for POST.
   *
   * @example
   * const u = new URL(request.url)
   * const verdict = store.verifyPresigned({ op: 'get', key, expires: u.searchParams.get('expires') ?? '',
   *   sig: u.searchParams.get('sig') ?? '' })
   * if (!verdict.ok) return errorResponse(verdict.code)
   */
  verifyPresigned(params: PresignedParams): PresignedVerdict {
    const invalid = { ok: false, code: 'LINK_INVALID' } as const
    const { op, key, contentType, sig } = params
    if (op !== 'get' && op !== 'put' && op !== 'post') return invalid
    if (typeof key !== 'string' || typeof sig !== 'string' || !isValidKey(key)) return invalid
    const expires = toInteger(params.expires)
    if (expires === undefined) return invalid
    let maxBytes: number | undefined
    if (op === 'post') {
      maxBytes = toInteger(params.maxBytes)
      if (maxBytes === undefined) return invalid
    } else if (params.maxBytes !== undefined) {
      return invalid
    }
    if (op === 'get' ? contentType !== undefined : typeof contentType !== 'string') return invalid
    if (!/^[A-Za-z0-9_-]{43}$/.test(sig)) return invalid
    const expected = createHmac('sha256', this.signingKey)
      .update(canonical({ op, key, expires, contentType, maxBytes }))
      .digest()
    const given = decodeBase64UrlStrict(sig)
    if (!given) return invalid
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid
    if (this.nowSeconds() >= expires) return { ok: false, code: 'LINK_EXPIRED' }
    return { ok: true }
  }

  async describe(): Promise<StorageDescription> {
    return { kind: 'filesystem', version: `node ${process.versions.node}` }
  }

  private dirOf(key: string): string {
    return join(this.root, ...key.split('/'))
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000)
  }

  private expiresAt(expiresInSeconds: number): number {
    if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_EXPIRES_IN_SECONDS) {
      throw new RangeError(`expiresInSeconds must be an integer from 1 to ${MAX_EXPIRES_IN_SECONDS}, got ${expiresInSeconds}`)
    }
    return this.nowSeconds() + expiresInSeconds
  }

  private sign(fields: SignedFields): string {
    return createHmac('sha256', this.signingKey).update(canonical(fields)).digest('base64url')
  }

  /**
   * `mkdir -p`. When it created `dir`, the directories that gained an entry (the parents of each
   * new directory), which the put syncs so the new directories survive a crash; undefined when
   * `dir` existed (so it may hold an earlier version of the object).
   */
  private async ensureDir(dir: string): Promise<string[] | undefined> {
    const first = await mkdirAsync(dir, { recursive: true })
    if (first === undefined) return undefined
    const parents: string[] = []
    for (let d = dirname(dir); ; d = dirname(d)) {
      parents.push(d)
      if (d === dirname(first) || d === this.root || d === dirname(d)) break
    }
    return parents
  }

  /** Best effort: remove now-empty directories from `dir` up to (not including) the root. */
  private async removeEmptyDirs(dir: string): Promise<void> {
    for (let d = dir; d !== this.root && d.startsWith(this.root); d = dirname(d)) {
      try {
        await rmdir(d)
      } catch {
        return // not empty (other objects, a concurrent put) or already gone
      }
    }
  }

  private async walk(relative: string, out: string[]): Promise<void> {
    let entries
    try {
      entries = await readdir(relative ? join(this.root, ...relative.split('/')) : this.root, { withFileTypes: true })
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return
      throw error
    }
    for (const entry of entries) {
      if (entry.name === DATA_FILE && entry.isFile()) {
        if (relative) out.push(relative)
      } else if (entry.isDirectory() && !entry.name.startsWith('@')) {
        await this.walk(relative ? `${relative}/${entry.name}` : entry.name, out)
      }
    }
  }
}

type SignedFields = { op: PresignedOperation; key: string; expires: number; contentType?: string; maxBytes?: number }

/** Unambiguous serialization of what a signature covers. */
function canonical(f: SignedFields): string {
  return JSON.stringify([SIGNATURE_CONTEXT, f.op, f.key, f.expires, f.contentType ?? null, f.maxBytes ?? null])
}

function isValidKey(key: string): boolean {
  try {
    assertValidKey(key)
    return true
  } catch {
    return false
  }
}

function toInteger(value: number | string | undefined): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value)
  return undefined
}

function assertValidContentType(contentType: string): void {
  if (typeof contentType !== 'string' || contentType.length > 255 || !CONTENT_TYPE_PATTERN.test(contentType)) {
    throw new TypeError(`Invalid content type ${JSON.stringify(contentType)}`)
  }
}

async function readMeta(dir: string): Promise<Meta | undefined> {
  let text: string
  try {
    text = await readFile(join(dir, META_FILE), 'utf8')
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined
    throw error
  }
  const meta = JSON.parse(text) as Partial<Meta>
  return typeof meta.contentType === 'string' ? { contentType: meta.contentType } : undefined
}

/**
 * Write each `[name, bytes]` in `dir` atomically: temporary files in the same directory, their data
 * flushed, renamed in order, then one flush of the directory. `newParents` (directories that gained
 * an entry for `dir`) are flushed alongside the files.
 *
 * The flushes wait for the disk, so they run on the libuv pool, all at once; so do the calls that
 * create an inode — the directory (`ensureDir`) and each temporary file's open — which on this
 * machine kind's ext4 take 100–300 µs each, more than a round trip through the pool (300 puts of
 * 120 KB into new directories, 2026-12-05: 270–340 against 480–620 µs of the event loop each). The
 * small writes, closes and renames are quick page-cache calls made by the event loop: all of them
 * through the pool made twelve round trips for a new object, each a thread wake-up and a promise
 * (bench:flow spent about 15 ms of CPU per contract on them).
 */
async function writeAtomic(dir: string, files: Array<[string, Uint8Array]>, newParents: string[]): Promise<void> {
  const temps = files.map(() => join(dir, `${TEMP_PREFIX}${randomUUID()}`))
  const fds: number[] = []
  try {
    for (let i = 0; i < files.length; i++) {
      fds.push(await openAsync(temps[i]!, 'wx', 0o644))
      await writeAll(fds[i]!, files[i]![1])
    }
    await Promise.all([...fds.map((fd) => fdatasyncAsync(fd)), ...newParents.map(fsyncDir)])
    closeAll(fds)
    for (let i = 0; i < files.length; i++) renameSync(temps[i]!, join(dir, files[i]![0]))
  } catch (error) {
    closeAll(fds)
    for (const t of temps) rmSync(t, { force: true })
    throw error
  }
  await fsyncDir(dir)
}

/**
 * A whole file's bytes. The open, size and close are quick calls made by the event loop; the read
 * itself (the part that may wait for the disk) is one call on the libuv pool, where `readFile`
 * takes four round trips (open, stat, read, close).
 */
async function readAll(file: string): Promise<Uint8Array> {
  const fd = openSync(file, 'r')
  try {
    const size = fstatSync(fd).size
    const bytes = Buffer.allocUnsafe(size)
    let done = 0
    while (done < size) {
      const { bytesRead } = await readAsync(fd, bytes, done, size - done, done)
      if (bytesRead === 0) break // the file shrank meanwhile (never, as objects are replaced by rename)
      done += bytesRead
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, done)
  } finally {
    closeSync(fd)
  }
}

/** All of `bytes` into `fd` (a short write continues where it stopped); a large body on the libuv pool. */
async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  const inline = bytes.byteLength <= INLINE_WRITE_MAX_BYTES
  for (let done = 0; done < bytes.byteLength; ) {
    done += inline ? writeSync(fd, bytes, done) : (await writeAsync(fd, bytes, done)).bytesWritten
  }
}

function closeAll(fds: number[]): void {
  for (const fd of fds.splice(0)) {
    try {
      closeSync(fd)
    } catch {
      // already closed: nothing left to release
    }
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fd = openSync(dir, 'r')
  try {
    await fsyncAsync(fd)
  } finally {
    closeSync(fd)
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}
