import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
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
        const created = await this.ensureDir(dir)
        // A metadata file left by an earlier put with another type goes first (never in a new directory).
        if (!meta && !created) await rm(join(dir, META_FILE), { force: true })
        // The metadata lands before the data (an object exists once its @data does), and the
        // directory is synced once for both renames.
        await writeAtomic(dir, meta ? [[META_FILE, meta], [DATA_FILE, body]] : [[DATA_FILE, body]])
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
      const bytes = await readFile(join(this.dirOf(key), DATA_FILE))
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
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
   * `mkdir -p`, then fsync the parents that gained an entry so the new directories survive a crash.
   * True when `dir` itself was created (so it holds nothing yet).
   */
  private async ensureDir(dir: string): Promise<boolean> {
    const first = await mkdir(dir, { recursive: true })
    if (first === undefined) return false
    for (let d = dirname(dir); ; d = dirname(d)) {
      await fsyncDir(d)
      if (d === dirname(first) || d === this.root || d === dirname(d)) break
    }
    return true
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

/** Write each `[name, bytes]` in `dir` atomically: temp files in the same directory, fsync, renames in order, one fsync of the directory. */
async function writeAtomic(dir: string, files: Array<[string, Uint8Array]>): Promise<void> {
  const temps = files.map(() => join(dir, `${TEMP_PREFIX}${randomUUID()}`))
  try {
    await Promise.all(
      // `flush`: fsync before close, in one call (fewer round trips through the event loop).
      files.map(([, bytes], i) => writeFile(temps[i]!, bytes, { flag: 'wx', mode: 0o644, flush: true })),
    )
    for (let i = 0; i < files.length; i++) await rename(temps[i]!, join(dir, files[i]![0]))
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true }).catch(() => undefined)))
    throw error
  }
  await fsyncDir(dir)
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}
