/**
 * Object store port: immutable-ish blobs (documents, revisions, images) addressed by key.
 * Implemented by `adapters/local/fs-object-store.ts` (filesystem, atomic writes) and
 * `adapters/aws/s3-object-store.ts` (S3). Both pass `test/adapters/object-store.contract.ts`.
 *
 * Keys are relative, `/`-separated, made of `[A-Za-z0-9._-]` segments (no `..`, no leading `/`).
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
