import type { StorageDescription } from './object-store'

/** The most operations one `transact` takes (DynamoDB's limit on one TransactWriteItems call; the port promises it everywhere). */
export const MAX_TRANSACT_OPERATIONS = 25

/**
 * Metadata store port: a single-table key/value store shaped like DynamoDB.
 * Implemented by `adapters/local/sqlite-metadata-store.ts` (better-sqlite3, WAL) and
 * `adapters/aws/dynamodb-metadata-store.ts`. Both pass `test/adapters/metadata-store.contract.ts`.
 *
 * - Every item has a partition key `pk` and sort key `sk`, and a `version` the store maintains:
 *   1 on create, +1 on every successful put. Optimistic concurrency: pass `expectedVersion`.
 * - Optional `gsi1pk`/`gsi1sk` put the item in the one secondary index (`queryIndex`).
 * - Optional `expiresAt` (epoch seconds) is a TTL: once past, the item is invisible to every read,
 *   and is eventually removed.
 * - A failed condition is an expected outcome (`{ ok: false, code: 'CONFLICT' }`), not an exception.
 * - Attribute values are JSON values (string, finite number, boolean, null, arrays, plain objects);
 *   `undefined` attributes are dropped. `pk`, `sk`, `gsi1pk`, `gsi1sk` are non-empty strings.
 * - A bad argument (empty key, more than 25 operations, the same item twice in one transaction,
 *   a bad `limit`) throws `TypeError`/`RangeError`; a cursor that was not made by this store
 *   throws {@link InvalidCursorError}; a backend failure throws {@link MetadataStoreError}.
 * - `get` and `query` are strongly consistent. `queryIndex` is eventually consistent on DynamoDB.
 */
export interface MetadataStore {
  get(pk: string, sk: string): Promise<Item | undefined>
  /** Create or replace. `condition` decides when the write may happen. */
  put(item: NewItem, condition?: WriteCondition): Promise<WriteResult>
  delete(pk: string, sk: string, condition?: WriteCondition): Promise<WriteResult>
  /** Items of one partition, ordered by `sk` (ascending unless `reverse`), optionally by `sk` prefix. */
  query(pk: string, options?: QueryOptions): Promise<Page>
  /**
   * Items whose `gsi1pk` equals `gsi1pk`, ordered by `gsi1sk` (`skPrefix` filters `gsi1sk`).
   * Only items that have both `gsi1pk` and `gsi1sk` are in the index.
   */
  queryIndex(gsi1pk: string, options?: QueryOptions): Promise<Page>
  /** All or nothing: every condition holds and every write happens, or none does. At most 25 operations. */
  transact(operations: TransactOperation[]): Promise<WriteResult>
  describe(): Promise<StorageDescription>
  /** Release connections and files. */
  close(): Promise<void>
}

export type Attributes = Record<string, unknown>
export type NewItem = Attributes & {
  pk: string
  sk: string
  gsi1pk?: string
  gsi1sk?: string
  expiresAt?: number
}
export type Item = NewItem & { version: number }

/**
 * `mustNotExist`: create only. `expectedVersion`: the stored item must have this version
 * (use it for read-modify-write). Neither: unconditional.
 */
export type WriteCondition = { mustNotExist: true } | { expectedVersion: number }

export type WriteResult = { ok: true } | { ok: false; code: 'CONFLICT'; message: string }

export type QueryOptions = {
  skPrefix?: string
  /** At most this many items per page (a positive integer); all of them when absent. */
  limit?: number
  reverse?: boolean
  /**
   * Only items whose sort key (`sk`; for `queryIndex`, `gsi1sk`) is less than this: with `reverse`,
   * a listing that resumes below a sort key the caller remembers (stable while newer items arrive).
   * Not combined with `skPrefix` (a `TypeError`: DynamoDB takes one sort-key condition).
   */
  before?: string
  /** Opaque cursor from a previous page's `next`. */
  cursor?: string
}
/** `next` is present only when more items may follow: the last page has none. */
export type Page = { items: Item[]; next?: string }

export type TransactOperation =
  | { put: NewItem; condition?: WriteCondition }
  | { delete: { pk: string; sk: string }; condition?: WriteCondition }
  | { check: { pk: string; sk: string }; condition: WriteCondition }

/** The backend behind a {@link MetadataStore} failed (I/O, network, throttling, a corrupt row). */
export class MetadataStoreError extends Error {
  override readonly name: string = 'MetadataStoreError'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/** `QueryOptions.cursor` was not a `next` value this store produced for the same query. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError'
  constructor(message = 'Invalid pagination cursor', options?: ErrorOptions) {
    super(message, options)
  }
}
