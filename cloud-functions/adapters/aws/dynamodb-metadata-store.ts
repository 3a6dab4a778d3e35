import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb'
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
import { assertKey, assertNewItem, assertTransaction, checkBefore, checkLimit, decodeCursor, encodeCursor } from '../metadata-store-arguments'

/** Constructor options of {@link DynamoDbMetadataStore}. */
export type DynamoDbMetadataStoreOptions = {
  /** Not owned by the store: `close()` leaves it open, whoever created it destroys it. */
  client: DynamoDBClient
  /** A table made by {@link createMetadataTable} (or the same schema in `serverless.yml`). */
  tableName: string
  clock: Clock
}

/** The name of the one secondary index. */
export const GSI1 = 'gsi1'
/** The TTL attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt'

/** Unconditional writes read the current version first; they retry this often when it moves meanwhile. */
const MAX_ATTEMPTS = 8

type Expression = { expression: string; names: Record<string, string>; values: Record<string, unknown> }
type Key = Record<string, string>
type Conflict = { ok: false; code: 'CONFLICT'; message: string }

/**
 * {@link MetadataStore} on one DynamoDB table: keys `pk` (hash) and `sk` (range), the GSI `gsi1`
 * on `gsi1pk`/`gsi1sk` (projection ALL), TTL on `expiresAt`. Items are stored as top-level
 * attributes plus `version`.
 *
 * - Conditions become `ConditionExpression`s (`attribute_not_exists(pk)`, `version = :v`), and a
 *   failed one (`ConditionalCheckFailedException`, or a `TransactionCanceledException` with a
 *   `ConditionalCheckFailed` reason) becomes `{ ok: false, code: 'CONFLICT' }`.
 * - An unconditional put reads the current version and writes with a condition on it (retrying
 *   when it moved), so `version` always grows by exactly one.
 * - DynamoDB deletes expired items late (up to days), so reads and conditions also treat an item
 *   whose `expiresAt` has passed (by the injected clock) as absent.
 * - `get`/`query` are strongly consistent reads; `queryIndex` (GSI) is eventually consistent.
 *
 * @example
 * const store = new DynamoDbMetadataStore({ client: new DynamoDBClient({}), tableName: 'qianyue-prod', clock: systemClock })
 * const r = await store.put({ ...contract, status: 'SIGNED' }, { expectedVersion: contract.version })
 * if (!r.ok) return err('CONFLICT', r.message)
 */
export class DynamoDbMetadataStore implements MetadataStore {
  private readonly doc: DynamoDBDocumentClient
  private readonly tableName: string
  private readonly clock: Clock

  constructor(options: DynamoDbMetadataStoreOptions) {
    if (!options.tableName) throw new TypeError('DynamoDbMetadataStore: tableName is required')
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
      unmarshallOptions: { wrapNumbers: false },
    })
    this.tableName = options.tableName
    this.clock = options.clock
  }

  async get(pk: string, sk: string): Promise<Item | undefined> {
    assertKey(pk, sk)
    const item = await this.getRaw(pk, sk)
    return item && this.isAlive(item) ? item : undefined
  }

  async put(item: NewItem, condition?: WriteCondition): Promise<WriteResult> {
    assertNewItem(item)
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const plan = condition
        ? { condition: this.conditionFor(condition), version: condition && 'expectedVersion' in condition ? condition.expectedVersion + 1 : 1 }
        : await this.planUnconditionalPut(item.pk, item.sk)
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: toStored(item, plan.version),
            ...conditionParams(plan.condition),
          }),
        )
        return { ok: true }
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw new MetadataStoreError(`DynamoDB put ${item.pk}/${item.sk} failed`, { cause: error })
        if (condition) return conflict(item.pk, item.sk, condition)
        // The item changed between our read and our write: read again.
      }
    }
    throw new MetadataStoreError(`DynamoDB put ${item.pk}/${item.sk}: too much contention`)
  }

  async delete(pk: string, sk: string, condition?: WriteCondition): Promise<WriteResult> {
    assertKey(pk, sk)
    const c = condition ? this.conditionFor(condition) : undefined
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk, sk },
          ...(c && conditionParams(c)),
        }),
      )
      return { ok: true }
    } catch (error) {
      if (condition && isConditionalCheckFailed(error)) return conflict(pk, sk, condition)
      throw new MetadataStoreError(`DynamoDB delete ${pk}/${sk} failed`, { cause: error })
    }
  }

  async query(pk: string, options: QueryOptions = {}): Promise<Page> {
    if (typeof pk !== 'string' || pk === '') throw new TypeError('pk must be a non-empty string')
    const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ['pk', 'sk'])
    if (start && start.pk !== pk) throw new InvalidCursorError('Cursor belongs to another partition')
    const before = checkBefore(options)
    const prefix = options.skPrefix ? ' AND begins_with(#sk, :prefix)' : before !== undefined ? ' AND #sk < :before' : ''
    return this.queryPages(
      {
        KeyConditionExpression: `#pk = :pk${prefix}`,
        ExpressionAttributeNames: { '#pk': 'pk', ...(prefix && { '#sk': 'sk' }) },
        ExpressionAttributeValues: { ':pk': pk, ...(options.skPrefix && { ':prefix': options.skPrefix }), ...(before !== undefined && { ':before': before }) },
        ConsistentRead: true,
      },
      options,
      start,
      (item) => ({ pk: item.pk, sk: item.sk }),
    )
  }

  async queryIndex(gsi1pk: string, options: QueryOptions = {}): Promise<Page> {
    if (typeof gsi1pk !== 'string' || gsi1pk === '') throw new TypeError('gsi1pk must be a non-empty string')
    const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk'])
    if (start && start.gsi1pk !== gsi1pk) throw new InvalidCursorError('Cursor belongs to another index partition')
    const before = checkBefore(options)
    const prefix = options.skPrefix ? ' AND begins_with(#gsi1sk, :prefix)' : before !== undefined ? ' AND #gsi1sk < :before' : ''
    return this.queryPages(
      {
        IndexName: GSI1,
        KeyConditionExpression: `#gsi1pk = :gsi1pk${prefix}`,
        ExpressionAttributeNames: { '#gsi1pk': 'gsi1pk', ...(prefix && { '#gsi1sk': 'gsi1sk' }) },
        ExpressionAttributeValues: { ':gsi1pk': gsi1pk, ...(options.skPrefix && { ':prefix': options.skPrefix }), ...(before !== undefined && { ':before': before }) },
      },
      options,
      start,
      (item) => ({ pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk as string, gsi1sk: item.gsi1sk as string }),
    )
  }

  async transact(operations: TransactOperation[]): Promise<WriteResult> {
    assertTransaction(operations)
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Unconditional puts need the current version; their implicit conditions are not the caller's.
      const implicit = new Set<number>()
      const transactItems = await Promise.all(
        operations.map(async (op, i) => {
          if ('put' in op) {
            let plan = op.condition
              ? { condition: this.conditionFor(op.condition), version: 'expectedVersion' in op.condition ? op.condition.expectedVersion + 1 : 1 }
              : undefined
            if (!plan) {
              plan = await this.planUnconditionalPut(op.put.pk, op.put.sk)
              implicit.add(i)
            }
            return {
              Put: {
                TableName: this.tableName,
                Item: toStored(op.put, plan.version),
                ...conditionParams(plan.condition),
              },
            }
          }
          const target = 'delete' in op ? op.delete : op.check
          const c = op.condition ? this.conditionFor(op.condition) : undefined
          const body = {
            TableName: this.tableName,
            Key: { pk: target.pk, sk: target.sk },
            ...(c && conditionParams(c)),
          }
          return 'delete' in op ? { Delete: body } : { ConditionCheck: body as typeof body & { ConditionExpression: string } }
        }),
      )
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: transactItems }))
        return { ok: true }
      } catch (error) {
        const reasons = cancellationReasons(error)
        if (!reasons) throw new MetadataStoreError('DynamoDB transaction failed', { cause: error })
        const failed = reasons.findIndex((code, i) => code === 'ConditionalCheckFailed' && !implicit.has(i))
        if (failed >= 0) {
          const op = operations[failed]
          const { pk, sk } = 'put' in op ? op.put : 'delete' in op ? op.delete : op.check
          return conflict(pk, sk, op.condition as WriteCondition)
        }
        const retryable = reasons.every((code) => code === 'None' || code === 'ConditionalCheckFailed' || code === 'TransactionConflict')
        if (!retryable) throw new MetadataStoreError(`DynamoDB transaction cancelled: ${reasons.join(', ')}`, { cause: error })
        await sleep(20 * attempt)
      }
    }
    throw new MetadataStoreError('DynamoDB transaction: too much contention')
  }

  async describe(): Promise<StorageDescription> {
    return { kind: 'dynamodb', version: this.tableName }
  }

  /** The client is not the store's to destroy (see {@link DynamoDbMetadataStoreOptions.client}). */
  async close(): Promise<void> {}

  private nowSeconds(): number {
    return this.clock.now().getTime() / 1000
  }

  private isAlive(item: Item): boolean {
    return typeof item.expiresAt !== 'number' || item.expiresAt > this.nowSeconds()
  }

  private async getRaw(pk: string, sk: string): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk }, ConsistentRead: true }))
      return out.Item as Item | undefined
    } catch (error) {
      throw new MetadataStoreError(`DynamoDB get ${pk}/${sk} failed`, { cause: error })
    }
  }

  /** Condition and new version for a put without a caller condition: exactly the state we just read. */
  private async planUnconditionalPut(pk: string, sk: string): Promise<{ condition: Expression; version: number }> {
    const current = await this.getRaw(pk, sk)
    if (!current) {
      return { condition: { expression: 'attribute_not_exists(#pk)', names: { '#pk': 'pk' }, values: {} }, version: 1 }
    }
    const observed = typeof current.version === 'number' ? current.version : 0
    return {
      condition: { expression: '#ver = :observed', names: { '#ver': 'version' }, values: { ':observed': observed } },
      version: this.isAlive(current) ? observed + 1 : 1,
    }
  }

  /** A caller condition as a ConditionExpression; an expired item counts as absent. */
  private conditionFor(condition: WriteCondition): Expression {
    const now = this.nowSeconds()
    if ('mustNotExist' in condition) {
      return {
        expression: 'attribute_not_exists(#pk) OR #exp <= :now',
        names: { '#pk': 'pk', '#exp': TTL_ATTRIBUTE },
        values: { ':now': now },
      }
    }
    return {
      expression: '#ver = :expected AND (attribute_not_exists(#exp) OR #exp > :now)',
      names: { '#ver': 'version', '#exp': TTL_ATTRIBUTE },
      values: { ':expected': condition.expectedVersion, ':now': now },
    }
  }

  /**
   * Query until `limit + 1` live items are found or the partition ends. DynamoDB applies `Limit`
   * before the TTL filter, so one request may return fewer; the extra item tells whether a next
   * page exists, and the cursor is the key of the last item returned.
   */
  private async queryPages(
    input: Omit<QueryCommandInput, 'TableName'>,
    options: QueryOptions,
    start: Key | undefined,
    keyOf: (item: Item) => Key,
  ): Promise<Page> {
    const limit = checkLimit(options.limit)
    const items: Item[] = []
    let exclusiveStartKey: Key | undefined = start
    try {
      do {
        const out = await this.doc.send(
          new QueryCommand({
            ...input,
            TableName: this.tableName,
            ScanIndexForward: !options.reverse,
            FilterExpression: 'attribute_not_exists(#exp) OR #exp > :now',
            ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#exp': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':now': this.nowSeconds() },
            ...(limit !== undefined && { Limit: limit + 1 - items.length }),
            ...(exclusiveStartKey && { ExclusiveStartKey: exclusiveStartKey }),
          }),
        )
        items.push(...((out.Items ?? []) as Item[]))
        exclusiveStartKey = out.LastEvaluatedKey as Key | undefined
      } while (exclusiveStartKey && (limit === undefined || items.length <= limit))
    } catch (error) {
      throw new MetadataStoreError(`DynamoDB query failed`, { cause: error })
    }
    if (limit === undefined || items.length <= limit) return { items }
    const page = items.slice(0, limit)
    return { items: page, next: encodeCursor(keyOf(page[page.length - 1])) }
  }
}

/**
 * Create the metadata table (on-demand billing, GSI `gsi1`, TTL on `expiresAt`) and wait until it
 * and its index are ACTIVE. Idempotent: an existing table is waited for, and TTL enabled if off.
 * For tests and local development; deployed stages get the table from `serverless.yml`.
 *
 * @example
 * await createMetadataTable(new DynamoDBClient({ endpoint, region: 'us-east-1' }), 'qianyue-dev')
 */
export async function createMetadataTable(client: DynamoDBClient, tableName: string, options: { timeoutMs?: number } = {}): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: GSI1,
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    )
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') {
      throw new MetadataStoreError(`Cannot create DynamoDB table ${tableName}`, { cause: error })
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 300_000)
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    let active = false
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
      active = Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') {
        throw new MetadataStoreError(`Cannot describe DynamoDB table ${tableName}`, { cause: error })
      }
    }
    if (active) break
    if (Date.now() > deadline) throw new MetadataStoreError(`DynamoDB table ${tableName} did not become ACTIVE in time`)
    await sleep(delay)
  }
  try {
    const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))
    const status = ttl?.TimeToLiveStatus
    if (status === 'ENABLED' || status === 'ENABLING') {
      if (ttl?.AttributeName !== TTL_ATTRIBUTE) {
        throw new MetadataStoreError(`DynamoDB table ${tableName} has TTL on ${ttl?.AttributeName}, expected ${TTL_ATTRIBUTE}`)
      }
      return
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    )
  } catch (error) {
    if (error instanceof MetadataStoreError) throw error
    throw new MetadataStoreError(`Cannot enable TTL on DynamoDB table ${tableName}`, { cause: error })
  }
}

/** DynamoDB rejects an empty `ExpressionAttributeValues`, so leave it out when there are none. */
function conditionParams(c: Expression): {
  ConditionExpression: string
  ExpressionAttributeNames: Record<string, string>
  ExpressionAttributeValues?: Record<string, unknown>
} {
  return {
    ConditionExpression: c.expression,
    ExpressionAttributeNames: c.names,
    ...(Object.keys(c.values).length > 0 && { ExpressionAttributeValues: c.values }),
  }
}

function toStored(item: NewItem, version: number): Record<string, unknown> {
  const { version: _ignored, ...attributes } = item as NewItem & { version?: unknown }
  return { ...attributes, version }
}

function conflict(pk: string, sk: string, condition: WriteCondition): Conflict {
  const what = 'mustNotExist' in condition ? 'already exists' : `is not at version ${condition.expectedVersion}`
  return { ok: false, code: 'CONFLICT', message: `Item ${pk}/${sk} ${what}` }
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException'
}

/** The per-operation codes of a `TransactionCanceledException` (`None`, `ConditionalCheckFailed`, ...). */
function cancellationReasons(error: unknown): string[] | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] } | undefined
  if (e?.name !== 'TransactionCanceledException' || !Array.isArray(e.CancellationReasons)) return undefined
  return e.CancellationReasons.map((r) => r.Code ?? 'None')
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
