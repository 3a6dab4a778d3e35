/**
 * Personal data in AWS mode: envelope encryption under a symmetric KMS key (ESIGN_KMS_DATA_KEY_ID),
 * against DynamoDB Local and the fake KMS server (the real KMS wire protocol through
 * @aws-sdk/client-kms). The first container asks KMS for the data key and stores only its wrapped
 * copy; every other container unwraps it once; no ESIGN_MASTER_KEY is involved.
 */
import { CreateKeyCommand, DecryptCommand, KMSClient } from '@aws-sdk/client-kms'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMetadataTable } from '../../cloud-functions/adapters/aws/dynamodb-metadata-store'
import { decryptPersonalData, derivePersonalDataKeys, encryptPersonalData, lookupHash } from '../../cloud-functions/core/identity/personal-data'
import { loadConfig } from '../../cloud-functions/runtime/config'
import { createContainer, type Container } from '../../cloud-functions/runtime/container'
import { createLogger } from '../../cloud-functions/runtime/logger'
import { createIdentityServices } from '../../cloud-functions/runtime/services'
import { personalDataKeyKey } from '../../cloud-functions/use-cases/identity/records'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startDynamoDbLocal } from '../support/emulators'
import { startFakeKms, type FakeKms } from '../support/fake-kms-server'

jest.setTimeout(120_000)

const TABLE = 'qianyue-personal-data-kms'

describe('the personal-data key in AWS mode (KMS envelope encryption)', () => {
  let kms: FakeKms
  let stops: Array<() => Promise<void>> = []
  let kmsClient: KMSClient
  let env: Record<string, string>
  const containers: Container[] = []
  const saved = { ...process.env }

  const container = async (overrides: Record<string, string | undefined> = {}): Promise<Container> => {
    const c = await createContainer(loadConfig({ ...env, ...overrides }, '/'), createLogger({ level: 'silent' }), 'test')
    containers.push(c)
    return c
  }
  const calls = (operation: string) => kms.calls.filter((c) => c.operation === operation)

  beforeAll(async () => {
    const [dynamo, fake] = await Promise.all([startDynamoDbLocal(), startFakeKms()])
    kms = fake
    stops = [dynamo.stop, kms.stop]
    const client = new DynamoDBClient({ region: EMULATOR_REGION, endpoint: dynamo.endpoint, credentials: EMULATOR_CREDENTIALS })
    await createMetadataTable(client, TABLE)
    client.destroy()
    // What serverless.yml creates: four signing keys and the symmetric personal-data key.
    kmsClient = new KMSClient({ region: EMULATOR_REGION, endpoint: kms.endpoint, credentials: EMULATOR_CREDENTIALS })
    const signingKey = async () => (await kmsClient.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!
    const [root, issuing, tsa, ocsp] = [await signingKey(), await signingKey(), await signingKey(), await signingKey()]
    const dataKeyId = (await kmsClient.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!.Arn!
    env = {
      ESIGN_MODE: 'aws',
      ESIGN_ALLOW_SANDBOX: 'true',
      ESIGN_S3_BUCKET: 'unused-bucket',
      ESIGN_DYNAMODB_TABLE: TABLE,
      ESIGN_DYNAMODB_ENDPOINT: dynamo.endpoint,
      ESIGN_SESSION_SECRET: Buffer.alloc(32, 7).toString('base64'),
      ESIGN_KMS_ENDPOINT: kms.endpoint,
      ESIGN_KMS_ROOT_KEY_ID: root,
      ESIGN_KMS_ISSUING_KEY_ID: issuing,
      ESIGN_KMS_TSA_KEY_ID: tsa,
      ESIGN_KMS_OCSP_KEY_ID: ocsp,
      ESIGN_KMS_DATA_KEY_ID: dataKeyId,
      AWS_REGION: EMULATOR_REGION,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    }
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey })
  })
  afterAll(async () => {
    process.env = saved
    kmsClient?.destroy()
    await Promise.all(containers.map((c) => c.metadata.close()))
    await Promise.all(stops.map((stop) => stop()))
  })

  it('the first container generates the data key with KMS and stores only its wrapped copy; the next one unwraps it once', async () => {
    const first = await createIdentityServices(await container())
    expect(calls('GenerateDataKey')).toHaveLength(1)
    expect(calls('GenerateDataKey')[0]!.body).toMatchObject({ KeySpec: 'AES_256', EncryptionContext: { purpose: 'qianyue-personal-data' } })
    expect(calls('Decrypt')).toHaveLength(0)

    const stored = await containers[0]!.metadata.get(personalDataKeyKey.pk, personalDataKeyKey.sk)
    expect(stored).toMatchObject({ vaultWrapped: { v: 1, vault: 'aws-kms', keyId: env.ESIGN_KMS_DATA_KEY_ID, ciphertext: expect.any(String) } })
    expect(stored).not.toHaveProperty('wrapped')

    // Another container (a cold start elsewhere) reads what the first one wrote.
    const second = await createIdentityServices(await container())
    expect(calls('GenerateDataKey')).toHaveLength(1)
    expect(calls('Decrypt')).toHaveLength(1)
    const sealed = encryptPersonalData(first.personalData, 'id-number', '11010519491231002X')
    expect(decryptPersonalData(second.personalData, 'id-number', sealed)).toBe('11010519491231002X')
    expect(lookupHash(second.personalData, 'phone', '13800138000')).toBe(lookupHash(first.personalData, 'phone', '13800138000'))

    // The stored copy is the KMS ciphertext of the data key, bound to its encryption context.
    const blob = Buffer.from(String((stored!.vaultWrapped as { ciphertext: string }).ciphertext), 'base64')
    const plain = await kmsClient.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { purpose: 'qianyue-personal-data' } }))
    expect(derivePersonalDataKeys(new Uint8Array(plain.Plaintext!))).toEqual(first.personalData)
    expect(JSON.stringify(stored)).not.toContain(Buffer.from(plain.Plaintext!).toString('base64'))
    await expect(kmsClient.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { purpose: 'something-else' } }))).rejects.toMatchObject({ name: 'InvalidCiphertextException' })
  })

  it('a key stored by KMS cannot be read without KMS, and AWS mode refuses to run without a way to protect the key', async () => {
    await expect(createIdentityServices(await container({ ESIGN_KMS_DATA_KEY_ID: undefined, ESIGN_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') }))).rejects.toThrow(/ESIGN_KMS_DATA_KEY_ID/)
    await expect(createIdentityServices(await container({ ESIGN_KMS_DATA_KEY_ID: undefined }))).rejects.toThrow(/ESIGN_KMS_DATA_KEY_ID/)
  })

  it('a function deployed without identity providers (ESIGN_*_PROVIDER=none) refuses to build the identity services', async () => {
    const before = kms.calls.length
    await expect(createIdentityServices(await container({ ESIGN_IDENTITY_PROVIDER: 'none', ESIGN_SMS_PROVIDER: 'none' }))).rejects.toThrow(/no identity or SMS provider/)
    expect(kms.calls.length).toBe(before)
  })
})
