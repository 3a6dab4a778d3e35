/**
 * Issue 10 item 4: documents had no owner — upload, read, download link and rename worked without
 * a session, the id was the file's SHA-256 (whoever had the bytes could read and rename the
 * record), and re-uploading confirmed that a file was stored. Now every route needs a session,
 * each document has an owner, ids are random, de-duplication stays inside one owner, and anyone
 * else gets the same 404 as for an id that does not exist.
 */
import { createHash } from 'node:crypto'
import { issueSession } from '../../../cloud-functions/runtime/authenticate'
import { makePdf, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(60_000)

let app: TestApp
let pdf: Uint8Array
let sha256: string
const tokens: Record<'a' | 'b', string> = { a: '', b: '' }

beforeAll(async () => {
  app = await startTestApp()
  pdf = await makePdf('owned contract')
  sha256 = createHash('sha256').update(pdf).digest('hex')
  tokens.a = issueSession(app.deps, { kind: 'user', sub: 'user-a' })
  tokens.b = issueSession(app.deps, { kind: 'user', sub: 'user-b' })
})
afterAll(async () => app?.stop())

type Who = 'a' | 'b' | undefined
const call = (who: Who, p: string, init: RequestInit = {}) =>
  fetch(`${app.url}${p}`, { ...init, headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...(init.headers as Record<string, string>) } })
const upload = (who: Who, bytes: Uint8Array = pdf, name = 'a.pdf') =>
  call(who, '/api/documents', { method: 'POST', headers: { 'content-type': 'application/pdf', 'x-file-name': name }, body: bytes })
const rename = (who: Who, id: string, fileName: string) =>
  call(who, `/api/documents/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName }) })

describe('documents need a session', () => {
  it('upload, record, content and rename without a session → 401, and nothing is stored', async () => {
    const res = await upload(undefined)
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED')
    // The issue's probe: the SHA-256 of a file as the id.
    for (const p of [`/api/documents/${sha256}`, `/api/documents/${sha256}/content`]) expect((await call(undefined, p)).status).toBe(401)
    expect((await rename(undefined, sha256, 'x.pdf')).status).toBe(401)
    expect(await app.deps.objects.list('documents/')).toEqual([])
  })
})

describe('documents have owners', () => {
  let idA = ''

  it('A uploads: a random id (not the hash), A reads it back', async () => {
    const res = await upload('a', pdf, 'a.pdf')
    expect(res.status).toBe(201)
    const doc = (await res.json()) as { id: string; sha256: string }
    expect(doc.id).toMatch(/^[0-9a-f]{32}$/)
    expect(doc.id).not.toBe(sha256.slice(0, 32))
    expect(doc.sha256).toBe(sha256)
    idA = doc.id
    expect((await call('a', `/api/documents/${idA}`)).status).toBe(200)
    // Random: the same bytes from another owner get another id (below); two uploads of different files too.
    const other = (await (await upload('a', await makePdf('second'), 'b.pdf')).json()) as { id: string }
    expect(other.id).not.toBe(idA)
  })

  it('B gets the same 404 as for a missing id on every route, and A\'s record is unchanged', async () => {
    const missing = 'f'.repeat(32)
    const answers = async (id: string) => {
      const out: Array<{ status: number; body: unknown }> = []
      for (const res of [await call('b', `/api/documents/${id}`), await call('b', `/api/documents/${id}/content`), await rename('b', id, 'stolen.pdf')]) {
        out.push({ status: res.status, body: await res.json() })
      }
      return out
    }
    const forA = await answers(idA)
    expect(forA.map((x) => x.status)).toEqual([404, 404, 404])
    expect(forA.map((x) => (x.body as { error: { code: string } }).error.code)).toEqual(['DOCUMENT_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'DOCUMENT_NOT_FOUND'])
    expect(forA).toEqual(await answers(missing))
    const mine = (await (await call('a', `/api/documents/${idA}`)).json()) as { fileName: string; version: number }
    expect(mine).toMatchObject({ fileName: 'a.pdf', version: 1 })
  })

  it('B re-uploading the same bytes gets a separate record (201) and learns nothing; A re-uploading gets A\'s own record (200)', async () => {
    const res = await upload('b', pdf, 'mine.pdf')
    expect(res.status).toBe(201)
    const docB = (await res.json()) as { id: string; fileName: string; version: number; uploadedAt: string }
    expect(docB.id).not.toBe(idA)
    expect(docB).toMatchObject({ fileName: 'mine.pdf', version: 1 })
    // B's record and link are B's own; A's is still out of reach.
    expect((await call('b', `/api/documents/${docB.id}/content`)).status).toBe(200)
    expect((await call('b', `/api/documents/${idA}`)).status).toBe(404)
    expect((await call('a', `/api/documents/${docB.id}`)).status).toBe(404)
    // A's second upload of the same file is A's existing document.
    const again = await upload('a', pdf, 'again.pdf')
    expect(again.status).toBe(200)
    expect(((await again.json()) as { id: string }).id).toBe(idA)
    // And B's again is B's.
    const bAgain = await upload('b', pdf, 'again.pdf')
    expect(bAgain.status).toBe(200)
    expect(((await bAgain.json()) as { id: string }).id).toBe(docB.id)
  })
})
