/**
 * A whole AWS test stage on this machine: s3rver, DynamoDB Local with the metadata table created,
 * and (optionally) the fake KMS server with the keys serverless.yml creates, plus the environment
 * a Lambda of that stage runs with (ESIGN_MODE=aws). Used in process (`Object.assign(process.env,
 * stage.env)` before importing a handler) and by Lambdas hosted in child processes.
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMetadataTable } from '../../cloud-functions/adapters/aws/dynamodb-metadata-store'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startDynamoDbLocal, startS3rver } from './emulators'
import { startFakeKms, type FakeKms } from './fake-kms-server'

export type AwsStage = {
  /** The Lambda environment of the stage (configuration as serverless.yml sets it, endpoints on the emulators). */
  env: Record<string, string>
  s3: { endpoint: string; bucket: string }
  dynamo: { endpoint: string; table: string }
  kms?: FakeKms
  stop(): Promise<void>
}

/**
 * Start the emulators (in parallel) and create the table. `kms: true` also starts the fake KMS
 * and creates the CA keys (root, issuing, TSA, OCSP: ECC P-256 SIGN_VERIFY) and the personal-data
 * key (SYMMETRIC_DEFAULT), which a stage that signs contracts needs.
 */
export async function startAwsStage(o: { table: string; kms?: boolean; sessionSecret?: Buffer }): Promise<AwsStage> {
  const started = await Promise.allSettled([startS3rver(), startDynamoDbLocal(), o.kms ? startFakeKms() : Promise.resolve(undefined)])
  const stops = started.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value.stop] : []))
  const stop = async () => {
    await Promise.all(stops.map((s) => s()))
  }
  const failed = started.find((s) => s.status === 'rejected')
  if (failed) {
    await stop()
    throw (failed as PromiseRejectedResult).reason
  }
  const [s3, dynamo, kms] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [Awaited<ReturnType<typeof startS3rver>>, Awaited<ReturnType<typeof startDynamoDbLocal>>, FakeKms | undefined]
  try {
    const client = new DynamoDBClient({ region: EMULATOR_REGION, endpoint: dynamo.endpoint, credentials: EMULATOR_CREDENTIALS })
    await createMetadataTable(client, o.table)
    client.destroy()
    const env: Record<string, string> = {
      ESIGN_MODE: 'aws',
      // A test stage: the sandbox providers are allowed (serverless.yml sets them per stage).
      ESIGN_ALLOW_SANDBOX: 'true',
      ESIGN_S3_BUCKET: s3.bucket,
      ESIGN_S3_ENDPOINT: s3.endpoint,
      ESIGN_DYNAMODB_TABLE: o.table,
      ESIGN_DYNAMODB_ENDPOINT: dynamo.endpoint,
      ESIGN_SESSION_SECRET: (o.sessionSecret ?? Buffer.alloc(32, 7)).toString('base64'),
      AWS_REGION: EMULATOR_REGION,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      LOG_LEVEL: 'silent',
    }
    if (kms) {
      const kmsClient = new KMSClient({ region: EMULATOR_REGION, endpoint: kms.endpoint, credentials: EMULATOR_CREDENTIALS })
      const keyId = async (KeySpec: 'ECC_NIST_P256' | 'SYMMETRIC_DEFAULT') =>
        (await kmsClient.send(new CreateKeyCommand({ KeySpec, KeyUsage: KeySpec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!
      Object.assign(env, {
        ESIGN_KMS_ENDPOINT: kms.endpoint,
        ESIGN_KMS_ROOT_KEY_ID: await keyId('ECC_NIST_P256'),
        ESIGN_KMS_ISSUING_KEY_ID: await keyId('ECC_NIST_P256'),
        ESIGN_KMS_TSA_KEY_ID: await keyId('ECC_NIST_P256'),
        ESIGN_KMS_OCSP_KEY_ID: await keyId('ECC_NIST_P256'),
        ESIGN_KMS_DATA_KEY_ID: await keyId('SYMMETRIC_DEFAULT'),
      })
      kmsClient.destroy()
    }
    return { env, s3, dynamo: { endpoint: dynamo.endpoint, table: o.table }, kms, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
