/**
 * Object store port: immutable-ish blobs (documents, revisions, images) addressed by key.
 * Implemented by `adapters/local/fs-object-store.ts` (filesystem, atomic writes) and
 * `adapters/aws/s3-object-store.ts` (S3). Both pass `test/adapters/object-store.contract.ts`.
 *
 * Keys are relative, `/`-separated, made of `[A-Za-z0-9._-]` segments (no `..`, no leading `/`).
 * Every method throws {@link InvalidKeyError} for a key that breaks these rules (a bug, not an
 * expected outcome), and {@link ObjectStoreError} when the backend fails.
 */
export interface ObjectStore {
  /** Store bytes under `key`, replacing what was there. Atomic: readers see old or new bytes, never a part. */
  put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void>
  /** The bytes under `key`, or `undefined` when there is no such object. */
  get(key: string): Promise<Uint8Array | undefined>
  /** Size and content type of `key`, or `undefined`. */
  head(key: string): Promise<ObjectInfo | undefined>
  /** Remove `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>
  /** Keys that start with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>
  /** A URL a client can GET `key` from until `expiresInSeconds` pass. */
  presignGet(key: string, expiresInSeconds: number): Promise<string>
  /** A URL a client can PUT `contentType` bytes to, as `key`, until `expiresInSeconds` pass. */
  presignPut(key: string, contentType: string, expiresInSeconds: number): Promise<string>
  /** A browser form upload (multipart POST: all `fields`, then `file`) limited to `maxBytes`. */
  presignPost(key: string, options: { contentType: string; maxBytes: number; expiresInSeconds: number }): Promise<PresignedPost>
  /** What backs this store, for `/api/health`. */
  describe(): Promise<StorageDescription>
}

export type ObjectInfo = { size: number; contentType?: string }
export type PresignedPost = { url: string; fields: Record<string, string> }
export type StorageDescription = { kind: string; version: string }

/** At most this many characters in a key (S3 allows 1024 bytes). */
const MAX_KEY_LENGTH = 1024
const SEGMENT = /^[A-Za-z0-9._-]+$/

/**
 * A key (or list prefix) that breaks the key rules of {@link ObjectStore}. A bug in the caller:
 * keys are built by our code, never taken verbatim from a request.
 */
export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError'
  constructor(readonly key: string, reason: string) {
    super(`Invalid object key ${JSON.stringify(key)}: ${reason}`)
  }
}

/** The backend behind an {@link ObjectStore} failed (I/O error, network, permissions). */
export class ObjectStoreError extends Error {
  override readonly name = 'ObjectStoreError'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Throw {@link InvalidKeyError} unless `key` is a valid object key: `/`-separated segments of
 * `[A-Za-z0-9._-]`, no empty, `.` or `..` segment, at most 1024 characters.
 *
 * @example
 * assertValidKey('contracts/c1/rev-2.pdf') // ok
 * assertValidKey('../etc/passwd')          // throws InvalidKeyError
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(String(key), 'empty')
  if (key.length > MAX_KEY_LENGTH) throw new InvalidKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`)
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidKeyError(key, 'empty segment (leading, trailing or double "/")')
    if (segment === '.' || segment === '..') throw new InvalidKeyError(key, `"${segment}" segment`)
    if (!SEGMENT.test(segment)) throw new InvalidKeyError(key, 'characters outside [A-Za-z0-9._-/]')
  }
}

/**
 * Throw {@link InvalidKeyError} unless `prefix` can start a valid key: empty, or complete
 * segments followed by an optional partial one (`contracts/`, `contracts/c1/rev-`).
 */
export function assertValidPrefix(prefix: string): void {
  if (typeof prefix !== 'string') throw new InvalidKeyError(String(prefix), 'not a string')
  if (prefix === '') return
  if (prefix.length > MAX_KEY_LENGTH) throw new InvalidKeyError(prefix, `longer than ${MAX_KEY_LENGTH} characters`)
  const segments = prefix.split('/')
  const last = segments.pop() as string
  for (const segment of segments) {
    if (segment === '') throw new InvalidKeyError(prefix, 'empty segment (leading or double "/")')
    if (segment === '.' || segment === '..') throw new InvalidKeyError(prefix, `"${segment}" segment`)
    if (!SEGMENT.test(segment)) throw new InvalidKeyError(prefix, 'characters outside [A-Za-z0-9._-/]')
  }
  if (last !== '' && !SEGMENT.test(last)) throw new InvalidKeyError(prefix, 'characters outside [A-Za-z0-9._-/]')
}
