/**
 * The storage contracts on the AWS adapters, against real local servers started by this file:
 * S3ObjectStore on s3rver, DynamoDbMetadataStore on DynamoDB Local (needs Java: without it these
 * tests fail with a clear message, they are never skipped).
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { randomBytes } from 'node:crypto'
import { createMetadataTable, DynamoDbMetadataStore } from '../../cloud-functions/adapters/aws/dynamodb-metadata-store'
import { S3ObjectStore } from '../../cloud-functions/adapters/aws/s3-object-store'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startDynamoDbLocal, startS3rver } from '../support/emulators'
import { ManualClock } from '../support/manual-clock'
import { metadataStoreContract } from './metadata-store.contract'
import { objectStoreContract } from './object-store.contract'

describe('S3 adapter on s3rver', () => {
  // The contract calls this once (beforeAll) and `close` once (afterAll): one s3rver for the suite.
  objectStoreContract(
    'S3ObjectStore',
    async () => {
      const s3 = await startS3rver()
      const client = new S3Client({
        region: EMULATOR_REGION,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: EMULATOR_CREDENTIALS,
      })
      return {
        store: new S3ObjectStore({ client, bucket: s3.bucket }),
        presigned: { kind: 'http' },
        close: async () => {
          client.destroy()
          await s3.stop()
        },
      }
    },
    { atomicOverwrite: false }, // s3rver writes objects in place; S3 itself is atomic
  )
})

describe('S3ObjectStore presigned PUT URL', () => {
  // s3rver checks neither signatures nor checksums, so check what real S3 would: the URL must not
  // carry the SDK's default CRC32 of the (empty) presign-time body, and must sign Content-Type.
  it('signs Content-Type and carries no request checksum', async () => {
    const client = new S3Client({ region: EMULATOR_REGION, credentials: EMULATOR_CREDENTIALS })
    const store = new S3ObjectStore({ client, bucket: 'qianyue-unit' })
    const url = new URL(await store.presignPut('docs/a.pdf', 'application/pdf', 300))
    client.destroy()
    const names = [...url.searchParams.keys()].map((k) => k.toLowerCase())
    expect(names.filter((k) => k.startsWith('x-amz-checksum-') || k === 'x-amz-sdk-checksum-algorithm')).toEqual([])
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-type')
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300')
  })
})

describe('DynamoDB adapter on DynamoDB Local', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined
  const tableName = `qianyue-test-${randomBytes(4).toString('hex')}`
  const clients = new Set<DynamoDBClient>()

  function newClient(): DynamoDBClient {
    if (!dynamo) throw new Error('DynamoDB Local is not running (see the beforeAll error)')
    const client = new DynamoDBClient({ region: EMULATOR_REGION, endpoint: dynamo.endpoint, credentials: EMULATOR_CREDENTIALS })
    clients.add(client)
    return client
  }
  function destroy(client: DynamoDBClient): void {
    client.destroy()
    clients.delete(client)
  }

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal() // ~4 s: JVM start-up
    await createMetadataTable(newClient(), tableName)
  }, 90_000)

  afterAll(async () => {
    for (const client of clients) destroy(client)
    await dynamo?.stop()
  }, 30_000)

  metadataStoreContract('DynamoDbMetadataStore', async () => {
    const clock = new ManualClock()
    const own: DynamoDBClient[] = []
    const open = () => {
      const client = newClient()
      own.push(client)
      return new DynamoDbMetadataStore({ client, tableName, clock })
    }
    const stores = [open()]
    return {
      store: stores[0],
      clock,
      openSecond: async () => {
        const store = open()
        stores.push(store)
        return store
      },
      close: async () => {
        for (const store of stores) await store.close()
        for (const client of own) destroy(client)
      },
    }
  })

  describe('createMetadataTable', () => {
    it('is idempotent and enables TTL on expiresAt', async () => {
      const client = newClient()
      await createMetadataTable(client, tableName)
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ])
      expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['gsi1'])
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))
      expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' })
      destroy(client)
    })
  })
})
