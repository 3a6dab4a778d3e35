/**
 * Secrets from SSM Parameter Store, as AWS deploys them: each function names its parameters in
 * ESIGN_SSM_PARAMETERS (serverless.yml) and reads them once per cold start; the secret is never in
 * the function's environment. Against the fake SSM server (the real wire protocol through
 * @aws-sdk/client-ssm, access limited to the names the function's role allows) and DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMetadataTable } from '../../cloud-functions/adapters/aws/dynamodb-metadata-store'
import { issueSessionToken } from '../../cloud-functions/core/auth/session-token'
import { loadSsmSecrets, parseSsmParameters } from '../../cloud-functions/runtime/ssm-secrets'
import { apiGatewayEvent } from '../support/api-gateway-event'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startDynamoDbLocal } from '../support/emulators'
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm-server'

jest.setTimeout(120_000)

const SESSION_SECRET = Buffer.alloc(32, 9)
const PARAMETERS = {
  '/qianyue/test/session-secret': SESSION_SECRET.toString('base64'),
  '/qianyue/test/tencentcloud-secret-id': 'AKIDtest',
  '/qianyue/test/tencentcloud-secret-key': 'tencent-key-value',
  '/qianyue/test/other-function-secret': 'not-for-this-function',
}
const AWS_ENV = { AWS_REGION: EMULATOR_REGION, AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey }

describe('secrets from SSM Parameter Store', () => {
  let ssm: FakeSsm
  const saved = { ...process.env }
  beforeAll(async () => {
    // What the role allows: this function's parameters, whether they exist or not; not another function's.
    const allowed = [...Object.keys(PARAMETERS).filter((n) => !n.includes('other-function')), '/qianyue/test/wechat-app-secret', '/qianyue/test/absent', ...Array.from({ length: 12 }, (_, i) => `/qianyue/test/p${i}`)]
    ssm = await startFakeSsm({ parameters: PARAMETERS, allowed })
    // The SDK takes its credentials from the process environment, as in Lambda.
    Object.assign(process.env, AWS_ENV)
  })
  afterAll(async () => {
    process.env = saved
    await ssm.stop()
  })

  it('ESIGN_SSM_PARAMETERS is VARIABLE=/name pairs, ? marking an optional one; anything else is refused', () => {
    expect(parseSsmParameters('ESIGN_SESSION_SECRET=/qianyue/test/session-secret, ESIGN_WECHAT_APP_SECRET=?/qianyue/test/wechat')).toEqual([
      { env: 'ESIGN_SESSION_SECRET', name: '/qianyue/test/session-secret', optional: false },
      { env: 'ESIGN_WECHAT_APP_SECRET', name: '/qianyue/test/wechat', optional: true },
    ])
    expect(() => parseSsmParameters('ESIGN_SESSION_SECRET=qianyue/no-leading-slash')).toThrow(/ESIGN_SSM_PARAMETERS/)
    expect(() => parseSsmParameters('lower=/x')).toThrow(/ESIGN_SSM_PARAMETERS/)
  })

  it('reads the named parameters decrypted, in one call; a missing required one is named (its value never), an optional one is skipped', async () => {
    const env = { ...AWS_ENV, ESIGN_SSM_ENDPOINT: ssm.endpoint }
    const before = ssm.calls.length
    const secrets = await loadSsmSecrets({
      ...env,
      ESIGN_SSM_PARAMETERS: 'TENCENTCLOUD_SECRET_ID=/qianyue/test/tencentcloud-secret-id,TENCENTCLOUD_SECRET_KEY=/qianyue/test/tencentcloud-secret-key,ESIGN_WECHAT_APP_SECRET=?/qianyue/test/wechat-app-secret',
    })
    expect(secrets).toEqual({ TENCENTCLOUD_SECRET_ID: 'AKIDtest', TENCENTCLOUD_SECRET_KEY: 'tencent-key-value' })
    expect(ssm.calls.slice(before)).toEqual([{ names: ['/qianyue/test/tencentcloud-secret-id', '/qianyue/test/tencentcloud-secret-key', '/qianyue/test/wechat-app-secret'], withDecryption: true }])

    const missing = loadSsmSecrets({ ...env, ESIGN_SSM_PARAMETERS: 'TENCENTCLOUD_SECRET_ID=/qianyue/test/tencentcloud-secret-id,ESIGN_SESSION_SECRET=/qianyue/test/absent' })
    await expect(missing).rejects.toThrow(/\/qianyue\/test\/absent \(ESIGN_SESSION_SECRET\)/)
    await expect(missing).rejects.not.toThrow(/AKIDtest/)
    // A parameter the role does not name: AccessDenied, the start fails.
    await expect(loadSsmSecrets({ ...env, ESIGN_SSM_PARAMETERS: 'X_SECRET=/qianyue/test/other-function-secret' })).rejects.toThrow(/AccessDeniedException/)
    // More than ten: several calls of at most ten names.
    const many = Array.from({ length: 12 }, (_, i) => `V${i}=?/qianyue/test/p${i}`).join(',')
    const start = ssm.calls.length
    await loadSsmSecrets({ ...env, ESIGN_SSM_PARAMETERS: `${many},ESIGN_SESSION_SECRET=/qianyue/test/session-secret` })
    expect(ssm.calls.slice(start).map((c) => c.names.length)).toEqual([10, 3])
  })

  it('a Lambda reads its session secret from SSM once per cold start (not from its environment) and authenticates with it', async () => {
    const dynamo = await startDynamoDbLocal()
    try {
      const client = new DynamoDBClient({ region: EMULATOR_REGION, endpoint: dynamo.endpoint, credentials: EMULATOR_CREDENTIALS })
      await createMetadataTable(client, 'qianyue-ssm-test')
      client.destroy()
      delete process.env.ESIGN_SESSION_SECRET
      Object.assign(process.env, {
        ...AWS_ENV,
        ESIGN_MODE: 'aws',
        ESIGN_S3_BUCKET: 'unused-bucket',
        ESIGN_DYNAMODB_TABLE: 'qianyue-ssm-test',
        ESIGN_DYNAMODB_ENDPOINT: dynamo.endpoint,
        ESIGN_SSM_ENDPOINT: ssm.endpoint,
        ESIGN_SSM_PARAMETERS: 'ESIGN_SESSION_SECRET=/qianyue/test/session-secret',
        ESIGN_IDENTITY_PROVIDER: 'none',
        ESIGN_SMS_PROVIDER: 'none',
        LOG_LEVEL: 'silent',
      })
      const documents = await import('../../cloud-functions/handlers/http/documents')
      const get = (secret: Buffer) =>
        documents.handler(apiGatewayEvent('GET', `/api/documents/${'d'.repeat(32)}`, { headers: { authorization: `Bearer ${issueSessionToken({ kind: 'user', sub: 'ssm-user' }, secret, new Date(), 600)}` } }))
      const start = ssm.calls.length
      const signed = await get(SESSION_SECRET)
      expect(signed.statusCode).toBe(404)
      expect(JSON.parse(signed.body!).error.code).toBe('DOCUMENT_NOT_FOUND')
      const forged = await get(Buffer.alloc(32, 1))
      expect(forged.statusCode).toBe(401)
      expect((await get(SESSION_SECRET)).statusCode).toBe(404)
      expect(ssm.calls.slice(start)).toEqual([{ names: ['/qianyue/test/session-secret'], withDecryption: true }])
      expect(process.env.ESIGN_SESSION_SECRET).toBeUndefined()
    } finally {
      await dynamo.stop()
    }
  })
})
