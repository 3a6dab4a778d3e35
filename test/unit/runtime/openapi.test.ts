import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { ALL_ROUTES } from '../../../cloud-functions/handlers/all-routes'
import { HTTP_STATUS } from '../../../cloud-functions/runtime/http-status'
import { json } from '../../../cloud-functions/runtime/http'
import { buildOpenApiDocument, openApiPath } from '../../../cloud-functions/runtime/openapi'
import type { Route } from '../../../cloud-functions/runtime/router'
import { PRODUCT_VERSION } from '../../../cloud-functions/runtime/version'
import { openApiProblem } from '../../support/openapi-validator'

jest.setTimeout(30_000)

/** Every route table: each `handlers/http/*.ts` that exports `routes` (a table added later is found too). */
const HTTP_DIR = path.resolve(__dirname, '../../../cloud-functions/handlers/http')
const TABLES: Array<{ file: string; routes: Route[] }> = fs
  .readdirSync(HTTP_DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  // Loaded by file name, so a table nobody imported yet is checked too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  .map((file) => ({ file, routes: (require(path.join(HTTP_DIR, file)) as { routes?: Route[] }).routes ?? [] }))
  .filter((t) => t.routes.length > 0)

type Operation = {
  operationId: string
  summary: string
  security: Array<Record<string, string[]>>
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>
  requestBody?: { content: Record<string, { schema: any }> }
  responses: Record<string, { description: string; content?: Record<string, { schema: any }> }>
}
type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: any }

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T
const operationOf = (doc: Doc, method: string, p: string): Operation | undefined => doc.paths[openApiPath(p)]?.[method.toLowerCase()]

describe('the OpenAPI document (runtime/openapi.ts)', () => {
  const doc = buildOpenApiDocument(ALL_ROUTES, PRODUCT_VERSION) as Doc

  it('is valid OpenAPI 3.1 for swagger-parser', async () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info).toMatchObject({ title: '签约 Qianyue API', version: PRODUCT_VERSION })
    expect(await openApiProblem(doc)).toBeUndefined()
  })

  it('the validator rejects a broken document (so the check above can fail)', async () => {
    const noInfo = clone(doc) as Partial<Doc>
    delete noInfo.info
    expect(await openApiProblem(noInfo)).toMatch(/info/)

    const noDescription = clone(doc)
    noDescription.paths['/api/health']!.get!.responses['200'] = {} as never
    expect(await openApiProblem(noDescription)).toMatch(/description/)

    const danglingRef = clone(doc)
    delete danglingRef.components.schemas.Error
    expect(await openApiProblem(danglingRef)).toMatch(/Error/)

    const danglingResponse = clone(doc)
    delete danglingResponse.components.responses.Error404
    expect(await openApiProblem(danglingResponse)).toMatch(/Error404/)
  })

  it('every route of every table (handlers/http/*.ts) is in ALL_ROUTES and in the document', () => {
    expect(TABLES.map((t) => t.file)).toEqual(expect.arrayContaining(['auth.ts', 'documents.ts', 'health.ts', 'identity.ts', 'openapi.ts', 'seals.ts']))
    const served = new Set(ALL_ROUTES.map((r) => `${r.method} ${r.path}`))
    const missing: string[] = []
    for (const { file, routes } of TABLES) {
      for (const r of routes) {
        if (!served.has(`${r.method} ${r.path}`)) missing.push(`${file}: ${r.method} ${r.path} is not in handlers/all-routes.ts`)
        if (!operationOf(doc, r.method, r.path)) missing.push(`${file}: ${r.method} ${r.path} is not in the document`)
      }
    }
    expect(missing).toEqual([])
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item))
    expect(operations).toHaveLength(ALL_ROUTES.length)
  })

  it('every route describes itself (route.doc with a summary)', () => {
    const lacking = ALL_ROUTES.filter((r) => !r.doc?.summary).map((r) => `${r.method} ${r.path}`)
    expect(lacking).toEqual([])
  })

  it('declares each path parameter; a greedy {key+} becomes a plain {key} marked x-greedy', () => {
    const problems: string[] = []
    for (const [p, item] of Object.entries(doc.paths)) {
      expect(p).not.toContain('+')
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      for (const [method, op] of Object.entries(item)) {
        const declared = (op.parameters ?? []).filter((x) => x.in === 'path')
        if (JSON.stringify(declared.map((x) => x.name)) !== JSON.stringify(names)) problems.push(`${method} ${p}: declares ${declared.map((x) => x.name)}`)
        if (declared.some((x) => !x.required)) problems.push(`${method} ${p}: a path parameter is not required`)
      }
    }
    expect(problems).toEqual([])
    expect(operationOf(doc, 'GET', '/api/objects/{key+}')!.parameters).toContainEqual(expect.objectContaining({ name: 'key', in: 'path', 'x-greedy': true }))
    expect(operationOf(doc, 'GET', '/api/pki/ocsp/{request+}')!.parameters![0]).toMatchObject({ name: 'request', 'x-greedy': true })
  })

  it('operation ids are unique', () => {
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('request bodies come from the zod schemas: JSON bodies, multipart fields and raw uploads', () => {
    const rename = operationOf(doc, 'PATCH', '/api/documents/{id}')!.requestBody!.content['application/json']!.schema
    expect(rename).toMatchObject({ type: 'object', required: ['fileName'], properties: { fileName: { type: 'string', maxLength: 200 }, expectedVersion: { type: 'integer' } } })
    expect(rename.$schema).toBeUndefined()
    // A callerRoute's body is its schema, without repeating it in the doc.
    const person = operationOf(doc, 'POST', '/api/identity/person')!.requestBody!.content['application/json']!.schema
    expect(person.required).toEqual(['name', 'idNumber', 'phone'])
    const confirm = operationOf(doc, 'POST', '/api/signing/intent/confirm')!.requestBody!.content['application/json']!.schema
    expect(confirm.oneOf ?? confirm.anyOf).toHaveLength(2)
    const upload = operationOf(doc, 'POST', '/api/documents')!.requestBody!.content
    expect(Object.keys(upload)).toEqual(['application/pdf', 'multipart/form-data'])
    expect(upload['multipart/form-data']!.schema).toMatchObject({ required: ['file'], properties: { file: { type: 'string' }, fileName: { type: 'string' } } })
    expect(operationOf(doc, 'GET', '/api/health')!.requestBody).toBeUndefined()
  })

  it('query parameters come from doc.query', () => {
    const outbox = operationOf(doc, 'GET', '/api/identity/sandbox/outbox')!
    expect(outbox.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'phone', in: 'query', required: false }), expect.objectContaining({ name: 'limit', in: 'query', required: false })]),
    )
    expect(outbox.security).toEqual([{ operator: [] }])
  })

  it('success responses: status, JSON schema or media type, 204 without a body', () => {
    const login = operationOf(doc, 'POST', '/api/auth/sms-login')!
    expect(login.security).toEqual([])
    expect(login.responses['200']!.content!['application/json']!.schema).toMatchObject({ required: expect.arrayContaining(['token', 'account']) })
    expect(operationOf(doc, 'POST', '/api/auth/sms-codes')!.responses['202']).toBeDefined()
    expect(operationOf(doc, 'POST', '/api/auth/logout')!.responses['204']!.content).toBeUndefined()
    expect(Object.keys(operationOf(doc, 'GET', '/api/documents/{id}/content')!.responses['200']!.content!)).toEqual(['application/pdf'])
    expect(operationOf(doc, 'GET', '/api/auth/me')!.security).toEqual([{ session: [] }])
  })

  it('every error is the shared Error schema, at the status runtime/http-status.ts gives its code', () => {
    const error = doc.components.schemas.Error
    expect(error.properties.error.required).toEqual(['code', 'message'])
    expect([...error.properties.error.properties.code.enum].sort()).toEqual(Object.keys(HTTP_STATUS).sort())
    expect(doc.components.securitySchemes.session).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }))
    const resolve = (r: any) => (r?.$ref ? doc.components.responses[r.$ref.replace('#/components/responses/', '')] : r)
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        const statuses = ['400', '403', '404', '409', '413', '415', '429', '500', ...(op.security.length ? ['401'] : [])]
        for (const status of statuses) {
          expect(resolve(op.responses[status])?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' })
        }
      }
    }
    expect(operationOf(doc, 'GET', '/api/health')!.responses['404']).toEqual({ $ref: '#/components/responses/Error404' })
    // A public route does not answer 401; a signed-in one does.
    expect(operationOf(doc, 'GET', '/api/health')!.responses['401']).toBeUndefined()
    expect(operationOf(doc, 'GET', '/api/documents/{id}')!.responses['401']).toEqual({ $ref: '#/components/responses/Error401' })
    // A route's own codes land at their status, named in the description.
    const face = operationOf(doc, 'POST', '/api/identity/person/face/result')!
    expect(face.responses[String(HTTP_STATUS.FACE_FAILED)]!.description).toContain('FACE_FAILED')
    expect(face.responses['409']!.description).toContain('FACE_PENDING')
  })

  it('a route without doc still appears, with its path parameters, and the document stays valid', async () => {
    const bare: Route[] = [
      { method: 'GET', path: '/api/widgets/{widgetId}/parts/{rest+}', handle: async () => json(200, {}) },
      { method: 'POST', path: '/api/widgets', handle: async () => json(201, {}), doc: { summary: '新建', body: z.object({ name: z.string() }), responseStatus: 201 } },
    ]
    const small = buildOpenApiDocument(bare, '9.9.9') as Doc
    const op = small.paths['/api/widgets/{widgetId}/parts/{rest}']!.get!
    expect(op.parameters!.map((x) => x.name)).toEqual(['widgetId', 'rest'])
    expect(op.summary).toBe('GET /api/widgets/{widgetId}/parts/{rest+}')
    expect(small.paths['/api/widgets']!.post!.responses['201']).toBeDefined()
    expect(await openApiProblem(small)).toBeUndefined()
  })

  it('refuses two routes for the same method and path', () => {
    const r: Route = { method: 'GET', path: '/api/a', handle: async () => json(200, {}) }
    expect(() => buildOpenApiDocument([r, r], '1')).toThrow(/two routes/)
  })
})
