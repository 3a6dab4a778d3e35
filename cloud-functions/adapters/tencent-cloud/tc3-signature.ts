import { createHash, createHmac } from 'node:crypto'

/** The inputs of a Tencent Cloud API 3.0 signature (TC3-HMAC-SHA256). */
export type Tc3Request = {
  secretId: string
  secretKey: string
  /** Host prefix: `faceid`, `sms`, `ocr`, `cvm`… (the credential scope's service). */
  service: string
  /** The Host header value, exactly as sent. */
  host: string
  method: 'POST' | 'GET'
  /** The Content-Type header value, exactly as sent (e.g. `application/json; charset=utf-8`). */
  contentType: string
  /** The body bytes (or, for GET, what is hashed: the SDK hashes the payload; an empty string otherwise). */
  payload: string | Uint8Array
  /** Unix seconds: the X-TC-Timestamp header. */
  timestamp: number
  /** `X-TC-Action`; signed (lower-cased) when `signedHeaders` includes `x-tc-action`. */
  action?: string
  /** `content-type;host` (the SDKs and older docs) or `content-type;host;x-tc-action` (the current doc). */
  signedHeaders?: 'content-type;host' | 'content-type;host;x-tc-action'
  /** GET only: the canonical query string. */
  canonicalQueryString?: string
}

export type Tc3Signature = {
  canonicalRequest: string
  stringToSign: string
  credentialScope: string
  /** Lowercase hex. */
  signature: string
  /** The Authorization header value. */
  authorization: string
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: Uint8Array | string, msg: string): Buffer => createHmac('sha256', key).update(msg, 'utf8').digest()

/** `yyyy-mm-dd` in UTC of a Unix timestamp (the doc's pitfall: never local time). */
export const tc3Date = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10)

/** The derived signing key: HMAC chain "TC3"+SecretKey → date → service → "tc3_request". */
export function tc3SigningKey(secretKey: string, date: string, service: string): Buffer {
  const secretDate = hmac(`TC3${secretKey}`, date)
  const secretService = hmac(secretDate, service)
  return hmac(secretService, 'tc3_request')
}

/**
 * Sign a request with TC3-HMAC-SHA256 (Tencent Cloud API 3.0, 签名方法 v3; CHINA-APIS.md §1.2).
 * Reproduces the three published vectors of §1.3 (tested in test/unit/identity/tc3-signature.test.ts).
 *
 * @example
 * const { authorization } = signTc3({ secretId, secretKey, service: 'faceid', host: 'faceid.tencentcloudapi.com',
 *   method: 'POST', contentType: 'application/json; charset=utf-8', payload: body, timestamp: 1551113065 })
 */
export function signTc3(r: Tc3Request): Tc3Signature {
  const signedHeaders = r.signedHeaders ?? 'content-type;host'
  const headers: Array<[string, string]> = [
    ['content-type', r.contentType],
    ['host', r.host],
  ]
  if (signedHeaders.endsWith('x-tc-action')) {
    if (!r.action) throw new Error('x-tc-action is signed but no action was given')
    headers.push(['x-tc-action', r.action])
  }
  const canonicalHeaders = headers.map(([k, v]) => `${k}:${v.trim().toLowerCase()}\n`).join('')
  const canonicalRequest = [r.method, '/', r.method === 'GET' ? (r.canonicalQueryString ?? '') : '', canonicalHeaders, signedHeaders, sha256Hex(r.payload)].join('\n')
  const date = tc3Date(r.timestamp)
  const credentialScope = `${date}/${r.service}/tc3_request`
  const stringToSign = ['TC3-HMAC-SHA256', String(r.timestamp), credentialScope, sha256Hex(canonicalRequest)].join('\n')
  const signature = createHmac('sha256', tc3SigningKey(r.secretKey, date, r.service)).update(stringToSign, 'utf8').digest('hex')
  const authorization = `TC3-HMAC-SHA256 Credential=${r.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  return { canonicalRequest, stringToSign, credentialScope, signature, authorization }
}

/** The parts of an Authorization header, or `undefined` when it is not a TC3 header. */
export function parseTc3Authorization(header: string): { secretId: string; date: string; service: string; signedHeaders: string; signature: string } | undefined {
  const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(header)
  if (!m) return undefined
  return { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders: m[4]!, signature: m[5]! }
}
