import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseTc3Authorization, signTc3, tc3Date } from '../../cloud-functions/adapters/tencent-cloud/tc3-signature'

/** What the fake answers for one call: a `Response` body (without RequestId), or a transport fault. */
export type FakeAnswer = Record<string, unknown> | { $hang: true } | { $http: number; body?: string }

export type FakeCall = { service: string; action: string; version: string; region?: string; body: Record<string, unknown>; signedHeaders: string }

/** Versions each service accepts (anything else: NoSuchVersion). */
const VERSIONS: Record<string, string> = { faceid: '2018-03-01', sms: '2021-01-11', ocr: '2018-11-19' }

/**
 * A fake Tencent Cloud API 3.0 endpoint: one real HTTP server for faceid, sms and ocr. It checks
 * what the real service checks before answering (CHINA-APIS.md §1, §7): POST `/`, the JSON content
 * type, the X-TC-Action / X-TC-Version / X-TC-Timestamp headers, the TC3-HMAC-SHA256 signature
 * recomputed from the raw body with the secret it knows (either SignedHeaders variant), a timestamp
 * within 5 minutes, the credential date and service. Failures come back as HTTP 200 with
 * `Response.Error`, like the real API. Successful calls go to `answer(call)`; every call is recorded.
 */
export class FakeTencentCloud {
  readonly calls: FakeCall[] = []
  /** Set per test: the answer for a verified call. Default: an `InvalidAction` error. */
  answer: (call: FakeCall) => FakeAnswer = () => ({ Error: { Code: 'InvalidAction', Message: 'no answer scripted' } })
  private server?: http.Server
  private readonly hanging = new Set<http.ServerResponse>()
  url = ''

  constructor(private readonly secrets: Record<string, string>, private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy()
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve())
      this.server?.closeAllConnections()
    })
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const fail = (code: string, message: string) => this.reply(res, { Error: { Code: code, Message: message } })
      if (req.method !== 'POST' || req.url !== '/') return fail('InvalidParameter', 'POST / only')
      const header = (n: string) => req.headers[n.toLowerCase()] as string | undefined
      const contentType = header('content-type') ?? ''
      if (!/^application\/json/.test(contentType)) return fail('InvalidParameter', 'content-type must be application/json')
      const action = header('x-tc-action')
      const version = header('x-tc-version')
      const timestamp = Number(header('x-tc-timestamp'))
      if (!action || !version || !Number.isInteger(timestamp)) return fail('MissingParameter', 'X-TC-Action, X-TC-Version and X-TC-Timestamp are required')
      const auth = parseTc3Authorization(header('authorization') ?? '')
      if (!auth) return fail('AuthFailure.InvalidAuthorization', 'Authorization is not a TC3-HMAC-SHA256 header')
      const secretKey = this.secrets[auth.secretId]
      if (!secretKey) return fail('AuthFailure.SecretIdNotFound', 'unknown SecretId')
      if (Math.abs(this.now() - timestamp) > 300) return fail('AuthFailure.SignatureExpire', 'the request timestamp is more than 5 minutes off')
      if (auth.date !== tc3Date(timestamp)) return fail('AuthFailure.SignatureFailure', 'credential date does not match X-TC-Timestamp (UTC)')
      if (auth.signedHeaders !== 'content-type;host' && auth.signedHeaders !== 'content-type;host;x-tc-action') return fail('AuthFailure.SignatureFailure', 'SignedHeaders must include content-type;host')
      const expected = signTc3({
        secretId: auth.secretId,
        secretKey,
        service: auth.service,
        host: header('host') ?? '',
        method: 'POST',
        contentType,
        payload: raw,
        timestamp,
        action,
        signedHeaders: auth.signedHeaders as 'content-type;host' | 'content-type;host;x-tc-action',
      })
      if (expected.signature !== auth.signature) return fail('AuthFailure.SignatureFailure', 'the signature does not match')
      if (!VERSIONS[auth.service]) return fail('AuthFailure.SignatureFailure', `unknown service ${auth.service}`)
      if (VERSIONS[auth.service] !== version) return fail('NoSuchVersion', `${auth.service} has no version ${version}`)
      let body: Record<string, unknown>
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        return fail('InvalidParameter', 'the body is not JSON')
      }
      const call: FakeCall = { service: auth.service, action, version, region: header('x-tc-region'), body, signedHeaders: auth.signedHeaders }
      this.calls.push(call)
      const answer = this.answer(call)
      if ('$hang' in answer) {
        this.hanging.add(res)
        return
      }
      if ('$http' in answer) {
        res.writeHead(Number(answer.$http), { 'content-type': 'text/plain' })
        res.end(String(answer.body ?? 'upstream error'))
        return
      }
      this.reply(res, answer)
    })
  }

  private reply(res: http.ServerResponse, response: Record<string, unknown>): void {
    const body = JSON.stringify({ Response: { ...response, RequestId: `fake-${this.calls.length}-${Math.random().toString(16).slice(2, 10)}` } })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(body)
  }
}
