import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import type { z } from 'zod'
import { ERROR_MESSAGES, type ErrorBody, type ErrorCode } from '../api/error-codes'
import type { DomainError, Result } from '../core/shared/result'
import { HTTP_STATUS } from './http-status'

export type HttpEvent = APIGatewayProxyEventV2
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> }

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  }
}

/** A binary response (base64 in the Lambda result, decoded by API Gateway and the local server). */
export function binary(statusCode: number, bytes: Uint8Array, contentType: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength), ...headers },
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    isBase64Encoded: true,
  }
}

/** `{"error":{"code","message"}}` with the status from the one table. */
export function errorResponse(code: ErrorCode, message?: string, details?: Record<string, unknown>): HttpResult {
  const body: ErrorBody = { error: { code, message: message ?? ERROR_MESSAGES[code], ...(details ? { details } : {}) } }
  return json(HTTP_STATUS[code], body)
}

/**
 * A use case's typed failure as status and body (what {@link fromDomainError} sends; kept as data
 * where an answer is stored, e.g. for an Idempotency-Key). Unknown codes are bugs, answered as INTERNAL.
 */
export function errorAnswer(error: DomainError): { statusCode: number; body: ErrorBody } {
  const known = error.code in HTTP_STATUS
  const code = (known ? error.code : 'INTERNAL') as ErrorCode
  return { statusCode: HTTP_STATUS[code], body: { error: { code, message: error.message ?? ERROR_MESSAGES[code], ...(error.details ? { details: error.details } : {}) } } }
}

/** Map a use case's typed failure to a response. Unknown codes are bugs, answered as INTERNAL. */
export function fromDomainError(error: DomainError): HttpResult {
  const { statusCode, body } = errorAnswer(error)
  return json(statusCode, body)
}

/** Map a use case result: `ok` → `statusCode` with the value as JSON. */
export function fromResult<T>(result: Result<T>, statusCode = 200): HttpResult {
  return result.ok ? json(statusCode, result.value) : fromDomainError(result.error)
}

/** The request body as bytes (API Gateway may base64 it). */
export function bodyBytes(event: HttpEvent): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0)
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')
}

/** Header lookup, case-insensitive. */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v
  return undefined
}

/** `application/json` or `application/<something>+json`, parameters aside. */
function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return type === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type)
}

/**
 * Parse a JSON body against a schema: `UNSUPPORTED_MEDIA_TYPE` (415) for a non-empty body not
 * declared as JSON, `BAD_JSON` for unparsable text, `VALIDATION_FAILED` naming the fields.
 */
export function parseJsonBody<S extends z.ZodType>(event: HttpEvent, schema: S): Result<z.infer<S>> {
  const raw = bodyBytes(event)
  // A body must say it is JSON: a cross-site form or `text/plain` POST (no CORS preflight) is refused.
  if (raw.length > 0 && !isJsonType(header(event, 'content-type'))) {
    return { ok: false, error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '请求体须为 JSON（content-type: application/json）' } }
  }
  let data: unknown
  try {
    data = JSON.parse(raw.toString('utf8') || 'null')
  } catch {
    return { ok: false, error: { code: 'BAD_JSON', message: ERROR_MESSAGES.BAD_JSON } }
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }))
    return {
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: `${ERROR_MESSAGES.VALIDATION_FAILED}：${fields.map((f) => f.field || '(body)').join('、')}`, details: { fields } },
    }
  }
  return { ok: true, value: parsed.data }
}
