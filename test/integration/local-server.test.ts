import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { issueSession } from '../../cloud-functions/runtime/authenticate'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

describe('local server (embedded default: SQLite + files)', () => {
  let app: TestApp
  let pdf: Uint8Array

  beforeAll(async () => {
    app = await startTestApp({ ESIGN_MAX_BODY_BYTES: String(1024 * 1024) })
    pdf = await makePdf('Labour contract test')
  })
  afterAll(async () => app.stop())

  /** Documents need a session: every call here is made by one signed-in user. */
  const call = (p: string, init: RequestInit = {}) =>
    fetch(`${app.url}${p}`, { ...init, headers: { authorization: `Bearer ${issueSession(app.deps, { kind: 'user', sub: 'local-server-user' })}`, ...(init.headers as Record<string, string>) } })
  const storedObjects = () => listFiles(path.join(app.dataDir, 'objects'))

  it('answers /api/health with the storage it uses', async () => {
    const res = await call('/api/health')
    expect(res.status).toBe(200)
    const health = await body(res)
    expect(health).toMatchObject({ status: 'ok', mode: 'local', storage: { objects: { kind: 'filesystem' }, metadata: { kind: 'sqlite' } } })
    expect(health.storage.metadata.version).toMatch(/^3\.\d+\.\d+$/)
    expect(res.headers.get('x-request-id')).toBeTruthy()
  })

  describe('bad requests get a JSON error and never bring the server down', () => {
    it('unknown route → 404 ROUTE_NOT_FOUND', async () => {
      const res = await call('/api/no-such-thing')
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/application\/json/)
      expect((await body(res)).error.code).toBe('ROUTE_NOT_FOUND')
    })

    it('wrong method → 405 METHOD_NOT_ALLOWED with Allow', async () => {
      const res = await call('/api/health', { method: 'DELETE' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET')
      expect((await body(res)).error.code).toBe('METHOD_NOT_ALLOWED')
    })

    it('malformed JSON → 400 BAD_JSON', async () => {
      const id = 'a'.repeat(32)
      const res = await call(`/api/documents/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"fileName": ' })
      expect(res.status).toBe(400)
      expect(await body(res)).toEqual({ error: { code: 'BAD_JSON', message: expect.any(String) } })
    })

    it('JSON of the wrong shape → 400 VALIDATION_FAILED naming the field', async () => {
      const id = 'a'.repeat(32)
      const res = await call(`/api/documents/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 42 }) })
      expect(res.status).toBe(400)
      const problem = await body(res)
      expect(problem.error.code).toBe('VALIDATION_FAILED')
      expect(problem.error.details.fields[0].field).toBe('fileName')
    })

    it('body over the limit → 413, whether announced by Content-Length or streamed', async () => {
      const big = new Uint8Array(1024 * 1024 + 1)
      const announced = await call('/api/documents', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: big })
      expect(announced.status).toBe(413)
      expect((await body(announced)).error.code).toBe('PAYLOAD_TOO_LARGE')
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 9; i++) c.enqueue(new Uint8Array(128 * 1024))
          c.close()
        },
      })
      const streamed = await call('/api/documents', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: stream, duplex: 'half' } as RequestInit)
      expect(streamed.status).toBe(413)
      expect(storedObjects()).toEqual([])
    })

    it('a file that is not a PDF → 400 NOT_A_PDF and nothing stored', async () => {
      const before = storedObjects()
      for (const bytes of [Buffer.from('hello, not a pdf'), Buffer.from(pdf).subarray(0, pdf.length - 200), Buffer.alloc(0)]) {
        const res = await call('/api/documents', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes })
        expect(res.status).toBe(400)
        expect((await body(res)).error.code).toBe('NOT_A_PDF')
      }
      expect(storedObjects()).toEqual(before)
    })

    it('an unsupported content type → 415', async () => {
      const res = await call('/api/documents', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })
      expect(res.status).toBe(415)
      expect((await body(res)).error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    })

    it('a malformed id → 400, an unknown one → 404 DOCUMENT_NOT_FOUND', async () => {
      expect((await call('/api/documents/not-an-id')).status).toBe(400)
      const res = await call(`/api/documents/${'b'.repeat(32)}`)
      expect(res.status).toBe(404)
      expect((await body(res)).error.code).toBe('DOCUMENT_NOT_FOUND')
    })

    it('is still healthy afterwards', async () => {
      expect((await call('/api/health')).status).toBe(200)
    })
  })

  describe('documents: upload, read, rename, download', () => {
    const sha256 = () => createHash('sha256').update(pdf).digest('hex')
    let docId = ''
    const id = () => docId

    it('stores a PDF (bytes content-addressed, record under a random id), and a second upload of the same bytes by the same user is the same document', async () => {
      const first = await call('/api/documents', { method: 'POST', headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('劳动合同.pdf') }, body: pdf })
      expect(first.status).toBe(201)
      const doc = await body(first)
      expect(doc).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), sha256: sha256(), fileName: '劳动合同.pdf', size: pdf.length, pdfVersion: '1.7', version: 1 })
      docId = doc.id
      const again = await call('/api/documents', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })
      expect(again.status).toBe(200)
      expect((await body(again)).id).toBe(doc.id)
    })

    it('accepts a multipart form upload', async () => {
      const other = await makePdf('multipart')
      const form = new FormData()
      form.append('file', new Blob([other], { type: 'application/pdf' }), '采购合同.pdf')
      const res = await call('/api/documents', { method: 'POST', body: form })
      expect(res.status).toBe(201)
      expect((await body(res)).fileName).toBe('采购合同.pdf')
    })

    it('returns the record with a signed download link, and the bytes', async () => {
      const res = await call(`/api/documents/${id()}`)
      expect(res.status).toBe(200)
      const doc = await body(res)
      expect(doc.downloadUrl).toContain(`${app.url}/api/objects/documents/${sha256()}.pdf?`)
      const content = await call(`/api/documents/${id()}/content`)
      expect(content.status).toBe(200)
      expect(content.headers.get('content-type')).toBe('application/pdf')
      expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true)
      const viaLink = await fetch(doc.downloadUrl)
      expect(viaLink.status).toBe(200)
      expect(Buffer.from(await viaLink.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true)
      const tampered = await fetch(doc.downloadUrl.replace(/sig=[^&]+/, 'sig=' + 'A'.repeat(43)))
      expect(tampered.status).toBe(403)
      expect((await body(tampered)).error.code).toBe('LINK_INVALID')
    })

    it('serves presigned local uploads: PUT with the signed content type, and a browser form POST within its size limit', async () => {
      const putUrl = await app.deps.objects.presignPut('uploads/u1.pdf', 'application/pdf', 60)
      const wrongType = await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: pdf })
      expect(wrongType.status).toBe(403)
      expect((await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: pdf })).status).toBe(200)
      expect(Buffer.from((await app.deps.objects.get('uploads/u1.pdf'))!).equals(Buffer.from(pdf))).toBe(true)

      const post = await app.deps.objects.presignPost('uploads/u2.pdf', { contentType: 'application/pdf', maxBytes: pdf.length, expiresInSeconds: 60 })
      const form = (bytes: Uint8Array) => {
        const f = new FormData()
        for (const [k, v] of Object.entries(post.fields)) f.append(k, v)
        f.append('file', new Blob([bytes]), 'u2.pdf')
        return f
      }
      const tooBig = await fetch(post.url, { method: 'POST', body: form(new Uint8Array(pdf.length + 1)) })
      expect(tooBig.status).toBe(413)
      expect(await app.deps.objects.head('uploads/u2.pdf')).toBeUndefined()
      expect((await fetch(post.url, { method: 'POST', body: form(pdf) })).status).toBe(204)
      expect((await app.deps.objects.head('uploads/u2.pdf'))?.size).toBe(pdf.length)
    })

    it('renames with optimistic concurrency: a stale version gets 409 and changes nothing', async () => {
      const json = { 'content-type': 'application/json' }
      const renamed = await call(`/api/documents/${id()}`, { method: 'PATCH', headers: json, body: JSON.stringify({ fileName: '劳动合同（终稿）.pdf', expectedVersion: 1 }) })
      expect(renamed.status).toBe(200)
      expect(await body(renamed)).toMatchObject({ fileName: '劳动合同（终稿）.pdf', version: 2 })
      const stale = await call(`/api/documents/${id()}`, { method: 'PATCH', headers: json, body: JSON.stringify({ fileName: 'overwrite.pdf', expectedVersion: 1 }) })
      expect(stale.status).toBe(409)
      expect((await body(stale)).error.code).toBe('CONFLICT')
      expect(await body(await call(`/api/documents/${id()}`))).toMatchObject({ fileName: '劳动合同（终稿）.pdf', version: 2 })
    })

    it('two concurrent renames of one version: exactly one wins', async () => {
      const rename = (fileName: string) => call(`/api/documents/${id()}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName, expectedVersion: 2 }) })
      const statuses = (await Promise.all([rename('a.pdf'), rename('b.pdf')])).map((r) => r.status).sort()
      expect(statuses).toEqual([200, 409])
    })
  })

  it('logs each request as JSON with its request id', () => {
    const records = app.logs().trim().split('\n').map((l) => JSON.parse(l))
    const req = records.find((r) => r.msg === 'request' && r.route === '/api/health')
    expect(req).toMatchObject({ level: 'info', method: 'GET', status: 200, requestId: expect.any(String) })
  })
})

/** A response's JSON body, untyped for assertions. */
const body = async (res: Response): Promise<any> => res.json()

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort()
}
