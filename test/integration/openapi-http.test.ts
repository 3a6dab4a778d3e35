import Ajv2020 from 'ajv/dist/2020'
import { openApiPath } from '../../cloud-functions/runtime/openapi'
import { PRODUCT_VERSION } from '../../cloud-functions/runtime/version'
import { apiClient, type ApiResponse } from '../support/api-client'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { openApiProblem } from '../support/openapi-validator'

jest.setTimeout(60_000)

/**
 * `GET /api/openapi.json` on the real local server: public, cacheable, valid for swagger-parser,
 * and what it promises holds: the server's real answers match the response schemas it declares.
 */
describe('GET /api/openapi.json (local server)', () => {
  let app: TestApp
  let served: Response
  let doc: any
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })

  beforeAll(async () => {
    app = await startTestApp()
    served = await fetch(`${app.url}/api/openapi.json`)
    doc = await served.json()
  })
  afterAll(async () => {
    await app?.stop()
  })

  /** The real answer `res` to `method path` matches the schema the document declares for its status. */
  function expectConforms(method: string, routePath: string, res: ApiResponse): void {
    const op = doc.paths[openApiPath(routePath)]?.[method.toLowerCase()]
    expect(op).toBeDefined()
    let declared = op.responses[String(res.status)]
    if (declared?.$ref) declared = doc.components.responses[declared.$ref.split('/').pop()]
    if (!declared) throw new Error(`${method} ${routePath} answered ${res.status}, which the document does not declare`)
    let schema = declared.content?.['application/json']?.schema
    if (!schema) return
    if (schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()]
    const validate = ajv.compile(schema)
    if (!validate(res.body)) throw new Error(`${method} ${routePath} → ${res.status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body)}`)
  }

  it('answers 200 JSON without a login, cacheable, and the document validates', async () => {
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toMatch(/^application\/json/)
    expect(served.headers.get('cache-control')).toMatch(/public, max-age=\d+/)
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.version).toBe(PRODUCT_VERSION)
    expect(doc.paths['/api/openapi.json'].get.security).toEqual([])
    expect(doc.paths['/api/documents/{id}'].patch).toBeDefined()
    expect(await openApiProblem(doc)).toBeUndefined()
  })

  it('the server answers as the document says: login, account, outbox, documents, logout and errors', async () => {
    const api = apiClient(app)
    const phone = '13800138123'
    expectConforms('GET', '/api/health', await api.call('GET', '/api/health'))
    expectConforms('GET', '/api/auth/me', await api.call('GET', '/api/auth/me'))
    const sent = await api.call('POST', '/api/auth/sms-codes', { phone })
    expect(sent.status).toBe(202)
    expectConforms('POST', '/api/auth/sms-codes', sent)
    const outbox = await api.call('GET', `/api/identity/sandbox/outbox?phone=${phone}`)
    expectConforms('GET', '/api/identity/sandbox/outbox', outbox)
    const bad = await api.call('POST', '/api/auth/sms-login', { phone, code: 'abc' })
    expect(bad.status).toBe(400)
    expectConforms('POST', '/api/auth/sms-login', bad)
    const login = await api.call('POST', '/api/auth/sms-login', { phone, code: outbox.body.entries[0].code })
    expect(login.status).toBe(200)
    expectConforms('POST', '/api/auth/sms-login', login)
    const token = login.body.token as string
    expectConforms('GET', '/api/auth/me', await api.call('GET', '/api/auth/me', undefined, token))
    expectConforms('GET', '/api/identity/person', await api.call('GET', '/api/identity/person', undefined, token))
    expectConforms('GET', '/api/identity/companies', await api.call('GET', '/api/identity/companies', undefined, token))
    expectConforms('GET', '/api/seals/personal', await api.call('GET', '/api/seals/personal', undefined, token))

    const raw = await fetch(`${app.url}/api/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'x-file-name': 'openapi.pdf' },
      body: Buffer.from(await makePdf('OpenAPI')),
    })
    const uploaded: ApiResponse = { status: raw.status, headers: raw.headers, body: await raw.json() }
    expect(uploaded.status).toBe(201)
    expectConforms('POST', '/api/documents', uploaded)
    const id = uploaded.body.id as string
    expectConforms('GET', '/api/documents/{id}', await api.call('GET', `/api/documents/${id}`, undefined, token))
    const renamed = await api.call('PATCH', `/api/documents/${id}`, { fileName: '合同.pdf' }, token)
    expect(renamed.status).toBe(200)
    expectConforms('PATCH', '/api/documents/{id}', renamed)
    expectConforms('GET', '/api/documents/{id}', await api.call('GET', '/api/documents/0000', undefined, token))

    const out = await api.call('POST', '/api/auth/logout', undefined, token)
    expect(out.status).toBe(204)
    expectConforms('POST', '/api/auth/logout', out)
  })
})
