import { S3Client } from '@aws-sdk/client-s3'
import { LazyObjectStore } from '../../cloud-functions/adapters/aws/lazy-object-store'
import { S3ObjectStore } from '../../cloud-functions/adapters/aws/s3-object-store'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startS3rver } from '../support/emulators'
import { objectStoreContract } from './object-store.contract'

/**
 * The AWS container builds the S3 object store on first use (runtime/container.ts): the lazy store
 * must keep the whole ObjectStore contract, on s3rver as the S3 adapter does.
 */
describe('LazyObjectStore over S3 on s3rver', () => {
  objectStoreContract(
    'LazyObjectStore(S3ObjectStore)',
    async () => {
      const s3 = await startS3rver()
      const client = new S3Client({ region: EMULATOR_REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: EMULATOR_CREDENTIALS })
      return {
        store: new LazyObjectStore(async () => new S3ObjectStore({ client, bucket: s3.bucket })),
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

describe('LazyObjectStore building', () => {
  it('builds the store on the first call only, once for concurrent calls, and retries a failed build', async () => {
    let builds = 0
    const store = new LazyObjectStore(async () => {
      builds++
      if (builds === 1) throw new Error('S3 client failed to load')
      return new S3ObjectStore({ client: new S3Client({ region: EMULATOR_REGION, credentials: EMULATOR_CREDENTIALS }), bucket: 'qianyue-lazy' })
    })
    expect(builds).toBe(0)
    await expect(store.presignGet('a/b.pdf', 60)).rejects.toThrow('S3 client failed to load')
    const [u1, u2] = await Promise.all([store.presignGet('a/b.pdf', 60), store.presignGet('a/c.pdf', 60)])
    expect(builds).toBe(2)
    expect(u1).toContain('/a/b.pdf?')
    expect(u2).toContain('/a/c.pdf?')
  })
})
