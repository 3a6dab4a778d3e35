import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Clock } from '../ports/clock'
import type { Ids } from '../ports/ids'
import type { MetadataStore } from '../ports/metadata-store'
import type { ObjectStore } from '../ports/object-store'
import type { Config } from './config'
import { ContentAddressedCache } from '../adapters/cache/content-addressed-cache'
import { useFontDirectory } from '../adapters/local/noto-sans-sc-font'
import { metadataFileIn } from './defaults'
import type { Logger } from './logger'

/** Everything a handler or use case may need, built once per process (Lambda cold start or local server). */
export type Container = {
  config: Config
  logger: Logger
  clock: Clock
  ids: Ids
  objects: ObjectStore
  metadata: MetadataStore
  /** The product version (package.json). */
  version: string
}

export const systemClock: Clock = { now: () => new Date() }

/**
 * Random bytes for ids, drawn from the CSPRNG 4 KiB at a time and each byte handed out once (as
 * Node's own `randomUUID` does): one `randomBytes` call per id took 20–40 µs of the event loop under
 * load (OpenSSL's generator is shared with the worker threads), ≈ 1 % of it in bench:flow.
 */
const ID_RANDOM_POOL_BYTES = 4096
let idRandomPool = Buffer.alloc(0)
let idRandomOffset = 0

export const systemIds: Ids = {
  newId: () => {
    // 48-bit millisecond time + 80 random bits, base32 (Crockford) → sortable, 26 chars.
    const bytes = Buffer.alloc(16)
    bytes.writeUIntBE(Date.now(), 0, 6)
    if (idRandomOffset + 10 > idRandomPool.length) {
      idRandomPool = randomBytes(ID_RANDOM_POOL_BYTES)
      idRandomOffset = 0
    }
    idRandomPool.copy(bytes, 6, idRandomOffset, idRandomOffset + 10)
    idRandomOffset += 10
    return base32(bytes)
  },
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
}

/**
 * Build the adapters `config.mode` asks for. This is the only switch between local and AWS.
 * AWS SDK modules are loaded only in AWS mode, better-sqlite3 only in local mode. `options.clock`
 * replaces the system clock (tests that move time, e.g. past a contract's deadline).
 */
export async function createContainer(config: Config, logger: Logger, version: string, options: { clock?: Clock } = {}): Promise<Container> {
  const clock = options.clock ?? systemClock
  // The CJK fonts: from ESIGN_ASSET_DIR (the Lambda layer) when set, else node_modules.
  useFontDirectory(config.assetDir)
  if (config.mode === 'local') {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    const { FsObjectStore } = await import('../adapters/local/fs-object-store')
    const { SqliteMetadataStore } = await import('../adapters/local/sqlite-metadata-store')
    const files = new FsObjectStore({
      root: path.join(config.dataDir, 'objects'),
      publicBaseUrl: config.publicBaseUrl,
      signingKey: loadOrCreateSecret(path.join(config.dataDir, 'keys', 'url-signing.key')),
      clock,
    })
    const metadata = new SqliteMetadataStore({ file: metadataFileIn(config.dataDir), clock, synchronous: config.sqliteSynchronous ?? 'FULL' })
    return { config, logger, clock, ids: systemIds, objects: new ContentAddressedCache(files), metadata, version }
  }
  const { DynamoDBClient } = await import('../adapters/aws/sdk/client-dynamodb')
  const { DynamoDbMetadataStore } = await import('../adapters/aws/dynamodb-metadata-store')
  const { LazyObjectStore } = await import('../adapters/aws/lazy-object-store')
  // S3 (client and presigners) is loaded on the first object call: a cold start that never needs it skips it.
  const objects = new ContentAddressedCache(new LazyObjectStore(async () => {
    const { S3Client } = await import('../adapters/aws/sdk/client-s3')
    const { S3ObjectStore } = await import('../adapters/aws/s3-object-store')
    const s3 = new S3Client({
      region: config.aws.region,
      ...(config.aws.s3Endpoint ? { endpoint: config.aws.s3Endpoint, forcePathStyle: true } : {}),
    })
    return new S3ObjectStore({ client: s3, bucket: config.aws.bucket! })
  }))
  const dynamo = new DynamoDBClient({
    region: config.aws.region,
    ...(config.aws.dynamoDbEndpoint ? { endpoint: config.aws.dynamoDbEndpoint } : {}),
  })
  const metadata = new DynamoDbMetadataStore({ client: dynamo, tableName: config.aws.table!, clock })
  return { config, logger, clock, ids: systemIds, objects, metadata, version }
}

/** A 32-byte secret kept in a 0600 file, created on first use; concurrent creators agree on one. */
export function loadOrCreateSecret(file: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  fs.writeFileSync(tmp, randomBytes(32), { mode: 0o600 })
  try {
    fs.linkSync(tmp, file) // fails if another process created it first: theirs wins
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  } finally {
    fs.unlinkSync(tmp)
  }
  return new Uint8Array(fs.readFileSync(file))
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
function base32(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}
