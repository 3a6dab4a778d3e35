import { randomUUID } from 'node:crypto'
import type { ZodType } from 'zod'
import type { ErrorCode } from '../api/error-codes'
import type { Container } from './container'
import { errorResponse, header, type HttpEvent, type HttpResult } from './http'
import { corsHeaders, preflightResponse, withSecurityHeaders } from './security-headers'

export type RouteContext = {
  /** The process's container, the same object on every request (area services memoise on it). */
  deps: Container
  /** `deps.logger` bound to this request's id. */
  logger: Container['logger']
  /** Path parameters, e.g. `{ id }` for `/api/documents/{id}`; `{key+}` captures the rest of the path. */
  params: Record<string, string>
  requestId: string
  /** The invocation's time left before the runtime kills it (a Lambda's `context.getRemainingTimeInMillis`); absent on the local server. */
  remainingTimeMs?: () => number
}

/**
 * What `GET /api/openapi.json` says about a route (runtime/openapi.ts). Every route in
 * `handlers/all-routes.ts` carries one (test/unit/runtime/openapi.test.ts lists those that do not).
 * Path parameters come from `path` itself; every route is documented with the `Error` body.
 */
export type RouteDoc = {
  /** One line, Chinese first. */
  summary: string
  description?: string
  /** Grouping in the document, usually the area: `documents`, `identity`, … */
  tags?: string[]
  /** `session`: a bearer session token; `operator`: the operator token (`X-Operator-Token`); `none`: public. Default `session`. */
  auth?: 'session' | 'operator' | 'none'
  /** The request body (JSON unless `contentType` says otherwise). */
  body?: ZodType
  /** The query string, as a `z.object` of its parameters. */
  query?: ZodType
  /** The success body (JSON unless `responseContentType` says otherwise); absent: a generic object. */
  response?: ZodType
  /** The success status, default 200. */
  responseStatus?: number
  /**
   * The request body's media type(s) when it is not JSON, e.g. `application/pdf` or
   * `['application/pdf', 'multipart/form-data']`. `body` (if any) describes the multipart fields.
   */
  contentType?: string | string[]
  /** The success body's media type when it is not JSON, e.g. `application/pdf`, `image/png`. */
  responseContentType?: string
  /** Error codes this route is known to answer (statuses from runtime/http-status.ts), besides the generic ones. */
  errors?: ErrorCode[]
}

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'
  /** API-Gateway-style path: `/api/documents/{id}`, `/api/objects/{key+}`. */
  path: string
  handle: (event: HttpEvent, ctx: RouteContext) => Promise<HttpResult>
  /** The route's OpenAPI description (runtime/openapi.ts). */
  doc?: RouteDoc
}

type Compiled = Route & { pattern: RegExp; names: string[] }

/**
 * Dispatch an API-Gateway-v2 event to one of `routes`: unknown path → 404 `ROUTE_NOT_FOUND`,
 * known path with another method → 405 `METHOD_NOT_ALLOWED`, a thrown exception → 500 `INTERNAL`
 * (logged with the request id; the body never carries the error). `OPTIONS` on a known path is
 * answered 204 with `Allow` (and a CORS grant only for `ESIGN_CORS_ORIGINS`). Every response carries
 * the security headers (runtime/security-headers.ts). The same function serves every Lambda and the
 * local server.
 */
export function createRouter(routes: Route[]): (event: HttpEvent, deps: Container, invocation?: Pick<RouteContext, 'remainingTimeMs'>) => Promise<HttpResult> {
  const compiled = routes.map(compile)
  return async (event, deps, invocation) => {
    const requestId = event.requestContext?.requestId || randomUUID()
    const origin = header(event, 'origin')
    const corsOrigins = deps.config?.corsOrigins ?? []
    const result = await dispatch(event, deps, requestId, invocation?.remainingTimeMs)
    return withSecurityHeaders(withRequestId({ ...result, headers: { ...corsHeaders(origin, corsOrigins), ...result.headers } }, requestId))
  }

  async function dispatch(event: HttpEvent, deps: Container, requestId: string, remainingTimeMs?: () => number): Promise<HttpResult> {
    const path = event.rawPath || event.requestContext?.http?.path || '/'
    const method = (event.requestContext?.http?.method || 'GET').toUpperCase()
    const log = deps.logger.child({ requestId })
    const matches = compiled.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m)
    if (matches.length === 0) return errorResponse('ROUTE_NOT_FOUND', `接口不存在：${method} ${path}`)
    const methods = [...new Set(matches.map((x) => x.r.method))]
    if (method === 'OPTIONS') return preflightResponse(header(event, 'origin'), deps.config?.corsOrigins ?? [], methods)
    const hit = matches.find((x) => x.r.method === method)
    if (!hit) {
      const refused = errorResponse('METHOD_NOT_ALLOWED')
      return { ...refused, headers: { ...refused.headers, allow: methods.join(', ') } }
    }
    const params: Record<string, string> = {}
    try {
      hit.r.names.forEach((name, i) => (params[name] = decodeURIComponent(hit.m![i + 1] ?? '')))
    } catch {
      return errorResponse('BAD_REQUEST', `路径编码不正确：${path}`)
    }
    const started = process.hrtime.bigint()
    try {
      const result = await hit.r.handle(event, { deps, logger: log, params, requestId, ...(remainingTimeMs ? { remainingTimeMs } : {}) })
      log.info({ method, route: hit.r.path, status: result.statusCode, ms: msSince(started) }, 'request')
      return result
    } catch (error) {
      log.error({ method, route: hit.r.path, err: error, ms: msSince(started) }, 'request failed')
      return errorResponse('INTERNAL')
    }
  }
}

function compile(route: Route): Compiled {
  const names: string[] = []
  const source = route.path
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)(\+)?\}$/.exec(segment)
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      names.push(m[1]!)
      return m[2] ? '(.+)' : '([^/]+)'
    })
    .join('/')
  return { ...route, pattern: new RegExp(`^${source}/?$`), names }
}

function withRequestId(result: HttpResult, requestId: string): HttpResult {
  return { ...result, headers: { ...result.headers, 'x-request-id': requestId } }
}

function msSince(started: bigint): number {
  return Number((process.hrtime.bigint() - started) / 1000n) / 1000
}
