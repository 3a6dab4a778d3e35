/**
 * A local AWS-SSM-compatible server for tests (Parameter Store's GetParameters only), checking the
 * request as AWS does: HTTP POST to `/`, AWS JSON 1.1 body, the operation in
 * `X-Amz-Target: AmazonSSM.GetParameters`, a SigV4 `Authorization` header for the `ssm` service
 * (the signature itself is not checked), 1–10 names, and — like an IAM policy naming parameter
 * ARNs — only the names in `allowed` may be read (else `AccessDeniedException`, HTTP 400, for the
 * whole request). Unknown names come back in `InvalidParameters`; a SecureString read without
 * `WithDecryption` comes back as ciphertext, as AWS returns it.
 *
 * @example
 * const ssm = await startFakeSsm({ parameters: { '/qianyue/test/session-secret': 's3cret' } })
 * const client = new SSMClient({ region: 'us-east-1', endpoint: ssm.endpoint, credentials: EMULATOR_CREDENTIALS })
 */
import { createHash, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type FakeSsm = {
  endpoint: string
  /** Every GetParameters request answered (or refused), in order. */
  calls: { names: string[]; withDecryption: boolean }[]
  stop(): Promise<void>
}

class SsmError extends Error {
  constructor(readonly type: string, message: string) {
    super(message)
  }
}

const REGION = 'us-east-1'
const ACCOUNT = '111122223333'

export async function startFakeSsm(options: { parameters: Record<string, string>; allowed?: string[] }): Promise<FakeSsm> {
  const calls: FakeSsm['calls'] = []
  const allowed = new Set(options.allowed ?? Object.keys(options.parameters))

  const getParameters = (body: Record<string, unknown>) => {
    const names = body.Names
    if (!Array.isArray(names) || names.length < 1 || names.length > 10 || !names.every((n) => typeof n === 'string' && n.length > 0)) {
      throw new SsmError('ValidationException', '1 validation error detected: Value at \'names\' failed to satisfy constraint: Member must have length between 1 and 10')
    }
    const withDecryption = body.WithDecryption === true
    calls.push({ names: names as string[], withDecryption })
    const denied = (names as string[]).find((n) => !allowed.has(n))
    if (denied) throw new SsmError('AccessDeniedException', `User is not authorized to perform: ssm:GetParameters on resource: ${arn(denied)}`)
    const found = (names as string[]).filter((n) => n in options.parameters)
    return {
      Parameters: found.map((name) => ({
        Name: name,
        Type: 'SecureString',
        Value: withDecryption ? options.parameters[name] : `AQICAH${createHash('sha256').update(options.parameters[name]!).digest('base64')}`,
        Version: 1,
        LastModifiedDate: Date.now() / 1000,
        ARN: arn(name),
        DataType: 'text',
      })),
      InvalidParameters: (names as string[]).filter((n) => !(n in options.parameters)),
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        const text = JSON.stringify(body)
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) })
        res.end(text)
      }
      try {
        if (req.method !== 'POST' || (req.url ?? '/') !== '/') throw new SsmError('UnknownOperationException', `${req.method} ${req.url}`)
        const authorization = req.headers.authorization ?? ''
        if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/ssm\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/.test(authorization)) {
          throw new SsmError('MissingAuthenticationTokenException', 'Request is missing a SigV4 Authentication Token for ssm')
        }
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw new SsmError('SerializationException', 'expected application/x-amz-json-1.1')
        const target = String(req.headers['x-amz-target'] ?? '')
        if (target !== 'AmazonSSM.GetParameters') throw new SsmError('UnknownOperationException', `this fake answers AmazonSSM.GetParameters only, not ${target}`)
        let body: Record<string, unknown>
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>
        } catch {
          throw new SsmError('SerializationException', 'body is not JSON')
        }
        reply(200, getParameters(body))
      } catch (e) {
        if (e instanceof SsmError) reply(e.type === 'MissingAuthenticationTokenException' ? 403 : 400, { __type: e.type, message: e.message })
        else reply(500, { __type: 'InternalServerError', message: (e as Error).message })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function arn(name: string): string {
  return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`
}
