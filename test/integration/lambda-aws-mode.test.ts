import { createHash } from 'node:crypto'
import { issueSessionToken } from '../../cloud-functions/core/auth/session-token'
import { apiGatewayEvent } from '../support/api-gateway-event'
import { startAwsStage } from '../support/aws-stage'
import { makePdf } from '../support/local-app'

/**
 * The Lambda entry points exactly as AWS invokes them (API Gateway HTTP API payload v2), in
 * ESIGN_MODE=aws, against s3rver and DynamoDB Local: configuration from the environment, the
 * container built at "cold start", and the same routes the local server hosts.
 */
jest.setTimeout(120_000)

const SESSION_SECRET = Buffer.alloc(32, 7)
/** Documents need a session: requests carry a bearer token signed with the stage's ESIGN_SESSION_SECRET. */
const event = (method: string, rawPath: string, init: { body?: string | Uint8Array; headers?: Record<string, string> } = {}) =>
  apiGatewayEvent(method, rawPath, { ...init, headers: { authorization: `Bearer ${issueSessionToken({ kind: 'user', sub: 'lambda-user' }, SESSION_SECRET, new Date(), 600)}`, ...init.headers } })

describe('Lambda handlers in AWS mode (s3rver + DynamoDB Local)', () => {
  let stops: Array<() => Promise<void>> = []
  const saved = { ...process.env }
  let health: typeof import('../../cloud-functions/handlers/http/health')
  let documents: typeof import('../../cloud-functions/handlers/http/documents')

  beforeAll(async () => {
    const stage = await startAwsStage({ table: 'qianyue-lambda-test', sessionSecret: SESSION_SECRET })
    stops = [stage.stop]
    Object.assign(process.env, stage.env)
    health = await import('../../cloud-functions/handlers/http/health')
    documents = await import('../../cloud-functions/handlers/http/documents')
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all(stops.map((stop) => stop()))
  })

  it('health reports S3 and DynamoDB', async () => {
    const res = await health.handler(event('GET', '/api/health'))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body!)).toMatchObject({ status: 'ok', mode: 'aws', storage: { objects: { kind: 's3' }, metadata: { kind: 'dynamodb', version: 'qianyue-lambda-test' } } })
  })

  it('uploads a PDF to S3 + DynamoDB, reads it back, and its presigned link downloads the bytes', async () => {
    const pdf = await makePdf('lambda')
    const sha256 = createHash('sha256').update(pdf).digest('hex')
    const created = await documents.handler(event('POST', '/api/documents', { body: pdf, headers: { 'content-type': 'application/pdf', 'x-file-name': 'lambda.pdf' } }))
    expect(created.statusCode).toBe(201)
    expect(JSON.parse(created.body!)).toMatchObject({ sha256, fileName: 'lambda.pdf', version: 1 })
    const id = JSON.parse(created.body!).id as string

    const got = await documents.handler(event('GET', `/api/documents/${id}`))
    expect(got.statusCode).toBe(200)
    const view = JSON.parse(got.body!)
    expect(view.downloadUrl).toContain('X-Amz-Signature=')
    const download = await fetch(view.downloadUrl)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true)

    const content = await documents.handler(event('GET', `/api/documents/${id}/content`))
    expect(content.isBase64Encoded).toBe(true)
    expect(Buffer.from(content.body!, 'base64').equals(Buffer.from(pdf))).toBe(true)
  })

  it('answers bad input with typed errors: malformed JSON, wrong method, unknown path, not a PDF', async () => {
    const id = 'c'.repeat(32)
    const badJson = await documents.handler(event('PATCH', `/api/documents/${id}`, { body: '{oops', headers: { 'content-type': 'application/json' } }))
    expect(badJson.statusCode).toBe(400)
    expect(JSON.parse(badJson.body!).error.code).toBe('BAD_JSON')
    expect((await health.handler(event('POST', '/api/health'))).statusCode).toBe(405)
    expect(JSON.parse((await documents.handler(event('GET', '/api/documents-nothing'))).body!).error.code).toBe('ROUTE_NOT_FOUND')
    const notPdf = await documents.handler(event('POST', '/api/documents', { body: 'plain text', headers: { 'content-type': 'application/pdf' } }))
    expect(notPdf.statusCode).toBe(400)
    expect(JSON.parse(notPdf.body!)).toEqual({ error: { code: 'NOT_A_PDF', message: expect.stringContaining('PDF') } })
  })
})
