import * as z from 'zod'
import { ERROR_MESSAGES, type ErrorCode } from '../api/error-codes'
import { HTTP_STATUS } from './http-status'
import type { Route, RouteDoc } from './router'

/** A JSON value as the document holds it (plain data: the document is served with `JSON.stringify`). */
type Json = Record<string, unknown>

/**
 * The error statuses every route may answer, with the generic codes behind them: bad input, no or an
 * expired session (signed-in routes only), not allowed, unknown or not yours, a changed record, too large, wrong media type,
 * too many requests, and the server's own failure. A route's `doc.errors` adds its own codes (and
 * statuses such as 422 or 503) from the one status table, runtime/http-status.ts.
 */
const GENERIC_ERRORS: ErrorCode[] = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'INTERNAL',
]

const STATUS_TEXT: Record<number, string> = {
  400: '请求不正确',
  401: '未登录或登录已失效',
  403: '没有权限',
  404: '不存在（或不属于调用者）',
  405: '不支持该请求方法',
  409: '状态冲突',
  410: '已过期',
  413: '请求体过大',
  415: '不支持的内容类型',
  422: '无法处理',
  429: '请求过于频繁',
  500: '服务器内部错误',
  501: '未启用',
  502: '上游服务出错',
  503: '服务暂不可用',
}

const JSON_TYPE = 'application/json'
const ERROR_REF = { $ref: '#/components/schemas/Error' }

/**
 * The OpenAPI 3.1 document of `routes` (served at `GET /api/openapi.json`): one operation per
 * route, its path parameters taken from the path (`{key+}`, API Gateway's greedy parameter, becomes
 * `{key}`), its query, body and success response from the zod schemas in `route.doc` (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses as is), and every error as the shared `Error` schema. A route
 * without `doc` still appears, with its parameters and a generic response. Pure: the same routes
 * give the same document.
 */
export function buildOpenApiDocument(routes: readonly Route[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {}
  const operationIds = new Set<string>()
  for (const route of routes) {
    const path = openApiPath(route.path)
    const item = (paths[path] ??= {})
    const method = route.method.toLowerCase()
    if (item[method]) throw new Error(`two routes for ${route.method} ${route.path}`)
    item[method] = operation(route, uniqueId(operationId(route), operationIds))
  }
  const tags = [...new Set(routes.flatMap((r) => r.doc?.tags ?? []))].sort().map((name) => ({ name }))
  return {
    openapi: '3.1.0',
    info: {
      title: '签约 Qianyue API',
      version,
      description:
        '电子合同签约平台的 HTTP 接口。错误统一为 `{"error":{"code","message","details?"}}`，message 为中文；状态码由错误码决定。' +
        'The HTTP API of the Qianyue contract signing platform; errors are always the `Error` body.',
    },
    servers: [{ url: '/', description: '同源（本地服务或 API Gateway）' }],
    tags,
    paths,
    components: {
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', description: '登录会话令牌（短信或微信登录，或签署链接）：`Authorization: Bearer <token>`' },
        operator: { type: 'apiKey', in: 'header', name: 'X-Operator-Token', description: '运维口令（沙箱发件箱）：本地服务启动时打印，或 ESIGN_OPERATOR_TOKEN' },
      },
      schemas: { Error: errorSchema() },
      responses: sharedErrorResponses(),
    },
  }
}

/** `/api/objects/{key+}` → `/api/objects/{key}`: OpenAPI templates have no greedy form. */
export function openApiPath(path: string): string {
  return path.replace(/\{(\w+)\+\}/g, '{$1}')
}

/** The path parameters of an API-Gateway path, with whether each is greedy (`{key+}`). */
export function pathParameters(path: string): Array<{ name: string; greedy: boolean }> {
  return [...path.matchAll(/\{(\w+)(\+)?\}/g)].map((m) => ({ name: m[1]!, greedy: m[2] === '+' }))
}

function operation(route: Route, id: string): Json {
  const doc: RouteDoc = route.doc ?? { summary: `${route.method} ${route.path}`, description: '（此接口尚无说明：route.doc 缺失）' }
  const auth = doc.auth ?? 'session'
  const parameters = [
    ...pathParameters(route.path).map(({ name, greedy }) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(greedy ? { description: '路径的其余部分（可含 `/`，API Gateway 的 `{' + name + '+}`）', 'x-greedy': true } : {}),
    })),
    ...queryParameters(doc.query),
  ]
  return {
    operationId: id,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.tags?.length ? { tags: doc.tags } : {}),
    security: auth === 'none' ? [] : [{ [auth]: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody(route, doc) ?? {}),
    responses: { ...successResponse(doc), ...errorResponses(doc.errors ?? [], auth !== 'none') },
  }
}

function queryParameters(query: z.ZodType | undefined): Json[] {
  if (!query) return []
  const schema = jsonSchema(query, 'input')
  const properties = (schema.properties ?? {}) as Record<string, Json>
  const required = new Set((schema.required ?? []) as string[])
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s
    return { name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest }
  })
}

function requestBody(route: Route, doc: RouteDoc): { requestBody: Json } | undefined {
  const types = doc.contentType === undefined ? [] : Array.isArray(doc.contentType) ? doc.contentType : [doc.contentType]
  if (!doc.body && types.length === 0) return undefined
  const content: Record<string, Json> = {}
  for (const type of types.length ? types : [JSON_TYPE]) {
    if (isJson(type)) content[type] = { schema: doc.body ? jsonSchema(doc.body, 'input') : { type: 'object' } }
    else if (type === 'multipart/form-data') content[type] = { schema: multipartSchema(doc.body) }
    else if (type === 'application/x-www-form-urlencoded') content[type] = { schema: doc.body ? jsonSchema(doc.body, 'input') : { type: 'object' } }
    // A raw body (a PDF, an image, a DER request): its bytes, no schema.
    else content[type] = { schema: { type: 'string', contentMediaType: type } }
  }
  return { requestBody: { required: route.method !== 'GET', content } }
}

/** A multipart form: a `file` part plus the text fields `body` describes. */
function multipartSchema(body: z.ZodType | undefined): Json {
  const fields = body ? jsonSchema(body, 'input') : { type: 'object', properties: {} }
  const properties = { file: { type: 'string', contentMediaType: 'application/octet-stream', description: '上传的文件' }, ...((fields.properties ?? {}) as Json) }
  return { type: 'object', properties, required: ['file', ...((fields.required ?? []) as string[])] }
}

function successResponse(doc: RouteDoc): Json {
  const status = doc.responseStatus ?? 200
  if (status === 204) return { '204': { description: '成功（无内容）' } }
  if (status >= 300 && status < 400) return { [String(status)]: { description: '重定向（见 Location 头）' } }
  const type = doc.responseContentType ?? JSON_TYPE
  const schema = isJson(type) ? (doc.response ? jsonSchema(doc.response, 'output') : { type: 'object', description: '见 cloud-functions/api/*.types.ts' }) : { type: 'string', contentMediaType: type }
  return { [String(status)]: { description: '成功', content: { [type]: { schema } } } }
}

/**
 * One response per error status, naming the codes behind it; every one is the `Error` body. A status
 * with only generic codes refers to the shared `components.responses` entry.
 */
function errorResponses(own: ErrorCode[], signedIn: boolean): Json {
  const generic = byStatus(GENERIC_ERRORS)
  const out: Json = {}
  // A public route never answers UNAUTHENTICATED (401 stays only when it names its own 401 codes).
  const codesOf = signedIn ? GENERIC_ERRORS : GENERIC_ERRORS.filter((c) => c !== 'UNAUTHENTICATED')
  for (const [status, codes] of byStatus([...codesOf, ...own])) {
    const shared = generic.get(status)
    out[String(status)] = shared && shared.length === codes.length ? { $ref: `#/components/responses/${errorResponseName(status)}` } : errorResponse(status, codes)
  }
  return out
}

/** The shared error responses of the generic codes, `Error400` …, for `components.responses`. */
function sharedErrorResponses(): Json {
  return Object.fromEntries([...byStatus(GENERIC_ERRORS)].map(([status, codes]) => [errorResponseName(status), errorResponse(status, codes)]))
}

function errorResponse(status: number, codes: ErrorCode[]): Json {
  return { description: `${STATUS_TEXT[status] ?? '错误'}：${codes.join('、')}`, content: { [JSON_TYPE]: { schema: ERROR_REF } } }
}

const errorResponseName = (status: number) => `Error${status}`

/** Codes grouped by their status (runtime/http-status.ts), statuses ascending. */
function byStatus(codes: ErrorCode[]): Map<number, ErrorCode[]> {
  const out = new Map<number, ErrorCode[]>()
  for (const code of codes) {
    const status = HTTP_STATUS[code]
    const list = out.get(status) ?? []
    if (!list.includes(code)) list.push(code)
    out.set(status, list)
  }
  return new Map([...out].sort(([a], [b]) => a - b))
}

function errorSchema(): Json {
  const codes = Object.keys(HTTP_STATUS).sort()
  return {
    type: 'object',
    description: '所有错误的响应体。code 决定 HTTP 状态（runtime/http-status.ts），message 为中文，从不含堆栈。',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', enum: codes, description: codes.map((c) => `${c}（${HTTP_STATUS[c as ErrorCode]}）：${ERROR_MESSAGES[c as ErrorCode]}`).join('；') },
          message: { type: 'string', description: '给用户看的中文说明' },
          details: { type: 'object', description: '补充信息，例如 `{ fields: [{ field, message }] }` 或上限 `{ maxBytes }`' },
        },
      },
    },
  }
}

/** A zod schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), without its `$schema` line. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json
  return rest
}

function isJson(type: string): boolean {
  return type === JSON_TYPE || type.endsWith('+json')
}

/** `GET /api/documents/{id}/content` → `getApiDocumentsIdContent`. */
function operationId(route: Route): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean)
  return route.method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
}

function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id
  for (let i = 2; taken.has(candidate); i++) candidate = `${id}${i}`
  taken.add(candidate)
  return candidate
}
