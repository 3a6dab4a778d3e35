import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import { createPresignedPost } from '@aws-sdk/s3-presigned-post'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import {
  assertValidKey,
  assertValidPrefix,
  ObjectStoreError,
  type ObjectInfo,
  type ObjectStore,
  type PresignedPost,
  type StorageDescription,
} from '../../ports/object-store'

/** Constructor options of {@link S3ObjectStore}. */
export type S3ObjectStoreOptions = {
  /** Not owned by the store: whoever created it destroys it. */
  client: S3Client
  bucket: string
}

/**
 * {@link ObjectStore} on one S3 bucket. Presigned GET/PUT URLs come from `getSignedUrl`, browser
 * uploads from `createPresignedPost` with a `content-length-range` of `0..maxBytes` and an exact
 * `Content-Type` condition.
 *
 * @example
 * const store = new S3ObjectStore({ client: new S3Client({}), bucket: 'qianyue-prod-documents' })
 * const upload = await store.presignPost('uploads/u1.pdf', { contentType: 'application/pdf', maxBytes: 20 << 20, expiresInSeconds: 600 })
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client
  private readonly bucket: string

  constructor(options: S3ObjectStoreOptions) {
    if (!options.bucket) throw new TypeError('S3ObjectStore: bucket is required')
    this.client = options.client
    this.bucket = options.bucket
  }

  async put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void> {
    assertValidKey(key)
    await this.call(`put ${key}`, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: options?.contentType })),
    )
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertValidKey(key)
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
      if (!out.Body) return new Uint8Array(0)
      const bytes = await out.Body.transformToByteArray()
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw new ObjectStoreError(`S3 get ${key} failed`, { cause: error })
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key)
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))
      const size = out.ContentLength ?? 0
      return out.ContentType ? { size, contentType: out.ContentType } : { size }
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw new ObjectStoreError(`S3 head ${key} failed`, { cause: error })
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key)
    await this.call(`delete ${key}`, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })))
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix)
    const keys: string[] = []
    let token: string | undefined
    do {
      const out = await this.call(`list ${JSON.stringify(prefix)}`, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, ContinuationToken: token }),
        ),
      )
      for (const object of out.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key)
      token = out.IsTruncated ? out.NextContinuationToken : undefined
    } while (token)
    return keys.sort()
  }

  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    assertValidKey(key)
    return this.call(`presign get ${key}`, () =>
      getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds }),
    )
  }

  /** The client must send exactly `Content-Type: <contentType>` with its PUT (the header is signed). */
  async presignPut(key: string, contentType: string, expiresInSeconds: number): Promise<string> {
    assertValidKey(key)
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType })
    // The SDK's default request checksums would sign the CRC32 of the empty body into the URL,
    // and S3 would then reject the real upload: drop them, the body is not known here.
    // (build step, low priority: after the SDK's flexibleChecksumsMiddleware, before signing.)
    const stack = command.middlewareStack as unknown as {
      add(middleware: typeof dropChecksumHeaders, options: { step: 'build'; priority: 'low'; name: string }): void
    }
    stack.add(dropChecksumHeaders, { step: 'build', priority: 'low', name: 'qianyueDropPresignChecksums' })
    // Sign Content-Type too, so the upload cannot choose another type (e.g. text/html).
    return this.call(`presign put ${key}`, () =>
      getSignedUrl(this.client, command, { expiresIn: expiresInSeconds, signableHeaders: new Set(['content-type']) }),
    )
  }

  async presignPost(
    key: string,
    options: { contentType: string; maxBytes: number; expiresInSeconds: number },
  ): Promise<PresignedPost> {
    assertValidKey(key)
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) {
      throw new RangeError(`maxBytes must be a non-negative integer, got ${options.maxBytes}`)
    }
    const { url, fields } = await this.call(`presign post ${key}`, () =>
      createPresignedPost(this.client, {
        Bucket: this.bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 0, options.maxBytes],
          ['eq', '$Content-Type', options.contentType],
        ],
        Fields: { 'Content-Type': options.contentType },
        Expires: options.expiresInSeconds,
      }),
    )
    return { url, fields }
  }

  async describe(): Promise<StorageDescription> {
    return { kind: 's3', version: this.bucket }
  }

  private async call<T>(what: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body()
    } catch (error) {
      throw new ObjectStoreError(`S3 ${what} failed`, { cause: error })
    }
  }
}

type BuildArgs = { request: unknown }

/** A build-step middleware that removes request-checksum headers before the URL is signed. */
const dropChecksumHeaders = (next: (args: BuildArgs) => Promise<unknown>) => async (args: BuildArgs) => {
  const headers = (args.request as { headers?: Record<string, string> }).headers
  if (headers) {
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase()
      if (lower.startsWith('x-amz-checksum-') || lower === 'x-amz-sdk-checksum-algorithm') delete headers[name]
    }
  }
  return next(args)
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined
  return e?.name === 'NoSuchKey' || (e?.name === 'NotFound' && e.$metadata?.httpStatusCode === 404)
}
