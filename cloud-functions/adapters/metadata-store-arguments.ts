import { InvalidCursorError, MAX_TRANSACT_OPERATIONS, type NewItem, type TransactOperation } from '../ports/metadata-store'

/**
 * Argument checks and cursor encoding shared by every MetadataStore adapter, so SQLite and
 * DynamoDB refuse exactly the same calls (the contract suite tests both).
 */

/** An opaque page cursor: base64url JSON of the last key read. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

/** Read back a cursor made by {@link encodeCursor}: exactly `fields`, all strings, or InvalidCursorError. */
export function decodeCursor<K extends string>(cursor: string, fields: K[]): Record<K, string> {
  let value: unknown
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url')
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch (error) {
    throw new InvalidCursorError(undefined, { cause: error })
  }
  const ok =
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === fields.length &&
    fields.every((f) => typeof (value as Record<string, unknown>)[f] === 'string')
  if (!ok) throw new InvalidCursorError()
  return value as Record<K, string>
}

/** `before` is a non-empty string and not combined with `skPrefix` (one sort-key condition, as DynamoDB allows). */
export function checkBefore(options: { before?: string; skPrefix?: string }): string | undefined {
  if (options.before === undefined) return undefined
  if (typeof options.before !== 'string' || options.before === '') throw new TypeError('before must be a non-empty string')
  if (options.skPrefix) throw new TypeError('before and skPrefix cannot be combined')
  return options.before
}

export function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`)
  return limit
}

export function assertKey(pk: unknown, sk: unknown): void {
  if (typeof pk !== 'string' || pk === '') throw new TypeError('pk must be a non-empty string')
  if (typeof sk !== 'string' || sk === '') throw new TypeError('sk must be a non-empty string')
}

export function assertNewItem(item: NewItem): void {
  assertKey(item?.pk, item?.sk)
  for (const field of ['gsi1pk', 'gsi1sk'] as const) {
    const v = item[field]
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new TypeError(`${field} must be a non-empty string`)
  }
  if (item.expiresAt !== undefined && !(typeof item.expiresAt === 'number' && Number.isFinite(item.expiresAt))) {
    throw new TypeError('expiresAt must be a finite number (epoch seconds)')
  }
}

/** The item a transaction operation touches. */
export function targetOf(op: TransactOperation): { pk: string; sk: string } {
  if ('put' in op) return op.put
  if ('delete' in op) return op.delete
  return op.check
}

export function assertTransaction(operations: TransactOperation[]): void {
  if (!Array.isArray(operations) || operations.length === 0) throw new RangeError('transact needs at least one operation')
  if (operations.length > MAX_TRANSACT_OPERATIONS) {
    throw new RangeError(`transact takes at most ${MAX_TRANSACT_OPERATIONS} operations, got ${operations.length}`)
  }
  const seen = new Set<string>()
  for (const op of operations) {
    if ('put' in op) assertNewItem(op.put)
    else if ('check' in op && !op.condition) throw new TypeError('a check operation needs a condition')
    const { pk, sk } = targetOf(op)
    assertKey(pk, sk)
    const id = JSON.stringify([pk, sk])
    if (seen.has(id)) throw new TypeError(`transact touches item ${pk}/${sk} more than once`)
    seen.add(id)
  }
}
