import http from 'node:http'
import https from 'node:https'
import type { Clock } from '../../ports/clock'
import { ProviderRejectedError, ProviderUnavailableError } from '../../ports/provider-errors'
import { signTc3 } from './tc3-signature'

export type TencentCloudCredentials = { secretId: string; secretKey: string }

export type TencentCloudClientOptions = {
  /** Base URL, e.g. `https://faceid.tencentcloudapi.com` (configurable: tests point it at a fake). */
  endpoint: string
  /** TC3 credential-scope service: `faceid`, `sms`, `ocr`. */
  service: string
  /** API version, e.g. `2018-03-01`. */
  version: string
  /** `X-TC-Region`, when the API takes one. */
  region?: string
  credentials: TencentCloudCredentials
  clock: Clock
  /** Whole-request timeout; default 10 s. */
  timeoutMs?: number
}

/** An error answer (`Response.Error`, which arrives with HTTP 200). */
export class TencentCloudApiError extends Error {
  override readonly name = 'TencentCloudApiError'
  constructor(readonly code: string, message: string, readonly requestId?: string) {
    super(`${code}: ${message}`)
  }
}

/** Error codes that mean "busy or broken right now": retry later. */
const RETRYABLE = /^(InternalError|RequestLimitExceeded|LimitExceeded\.AppDailyLimit|ResourceUnavailable|FailedOperation\.UnKnown)/

const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

/**
 * A Tencent Cloud API 3.0 caller: `POST /` with a JSON body, signed with TC3-HMAC-SHA256
 * (`content-type;host`, as the official SDKs sign), the common X-TC-* headers, a timeout.
 *
 * - `Response.Error` (HTTP 200) → {@link TencentCloudApiError}, except codes that mean busy
 *   (`InternalError*`, `RequestLimitExceeded*`) → `ProviderUnavailableError`, and `AuthFailure*` /
 *   `UnauthorizedOperation*` → `ProviderRejectedError`.
 * - Timeout, connection failure, non-200, unparsable body → `ProviderUnavailableError` (retryable).
 *
 * @example
 * const faceid = new TencentCloudClient({ endpoint, service: 'faceid', version: '2018-03-01', credentials, clock })
 * const r = await faceid.call<{ Result: string }>('IdCardVerification', { IdCard, Name })
 */
export class TencentCloudClient {
  private readonly url: URL

  constructor(private readonly options: TencentCloudClientOptions) {
    this.url = new URL(options.endpoint)
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:') throw new Error(`unsupported endpoint ${options.endpoint}`)
  }

  /** Call `action` with `payload`; the `Response` object without `RequestId` handling beyond errors. */
  async call<T extends Record<string, unknown>>(action: string, payload: Record<string, unknown>): Promise<T & { RequestId?: string }> {
    const provider = `tencent-cloud ${this.options.service}.${action}`
    const body = JSON.stringify(payload)
    const timestamp = Math.floor(this.options.clock.now().getTime() / 1000)
    const contentType = 'application/json; charset=utf-8'
    const host = this.url.host
    const { authorization } = signTc3({
      ...this.options.credentials,
      service: this.options.service,
      host,
      method: 'POST',
      contentType,
      payload: body,
      timestamp,
    })
    const headers: Record<string, string> = {
      Authorization: authorization,
      'Content-Type': contentType,
      Host: host,
      'X-TC-Action': action,
      'X-TC-Timestamp': String(timestamp),
      'X-TC-Version': this.options.version,
      'Content-Length': String(Buffer.byteLength(body)),
    }
    if (this.options.region) headers['X-TC-Region'] = this.options.region
    const raw = await this.post(provider, headers, body)
    let parsed: { Response?: Record<string, unknown> & { Error?: { Code?: string; Message?: string }; RequestId?: string } }
    try {
      parsed = JSON.parse(raw)
    } catch {
      throw new ProviderUnavailableError(provider, 'the answer is not JSON')
    }
    const response = parsed.Response
    if (!response || typeof response !== 'object') throw new ProviderUnavailableError(provider, 'the answer has no Response object')
    if (response.Error) {
      const code = String(response.Error.Code ?? 'UnknownError')
      const message = String(response.Error.Message ?? '')
      if (RETRYABLE.test(code)) throw new ProviderUnavailableError(provider, `${code} (RequestId ${response.RequestId ?? '-'})`)
      if (/^(AuthFailure|UnauthorizedOperation)/.test(code)) throw new ProviderRejectedError(provider, code, `request refused (RequestId ${response.RequestId ?? '-'})`)
      throw new TencentCloudApiError(code, message, response.RequestId)
    }
    return response as T & { RequestId?: string }
  }

  private post(provider: string, headers: Record<string, string>, body: string): Promise<string> {
    const timeoutMs = this.options.timeoutMs ?? 10_000
    const transport = this.url.protocol === 'https:' ? https : http
    return new Promise((resolve, reject) => {
      const req = transport.request(
        { protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port || undefined, path: `${this.url.pathname.replace(/\/+$/, '')}/`, method: 'POST', headers },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            size += c.length
            if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('answer too large'))
            else chunks.push(c)
          })
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new ProviderUnavailableError(provider, `HTTP ${res.statusCode}`))
            else resolve(Buffer.concat(chunks).toString('utf8'))
          })
          res.on('error', (e) => reject(new ProviderUnavailableError(provider, 'the answer was cut off', { cause: e })))
        },
      )
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      req.on('close', () => clearTimeout(timer))
      req.on('error', (e) => reject(e instanceof ProviderUnavailableError ? e : new ProviderUnavailableError(provider, e.message, { cause: e })))
      req.end(body)
    })
  }
}
