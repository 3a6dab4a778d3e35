/**
 * Issue 10 #1: a truncated multipart body (the file part never closes) used to reach busboy's
 * "Unexpected end of form" with no `error` listener on the file stream, and Node exited. Every
 * multipart route answers 400 MULTIPART_MALFORMED instead, stores nothing, and the server keeps
 * answering. The body is the exact one from the issue's curl line.
 */
import fs from 'node:fs'
import path from 'node:path'
import { issueSession } from '../../../cloud-functions/runtime/authenticate'
import { userKey } from '../../../cloud-functions/use-cases/identity/records'
import { startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(60_000)

const TRUNCATED = Buffer.from('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\n%%EOF', 'latin1')
const MULTIPART = 'multipart/form-data; boundary=XYZ'

let app: TestApp
let token: string

beforeAll(async () => {
  app = await startTestApp()
  await app.deps.metadata.put({ ...userKey('u1'), type: 'user', userId: 'u1' })
  token = issueSession(app.deps, { kind: 'user', sub: 'u1' })
})
afterAll(async () => app?.stop())

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

it.each([
  ['/api/documents', true],
  ['/api/verify', false],
  ['/api/objects-upload', false],
  ['/api/seals/personal/handwriting-photo', true],
])('POST %s with a truncated multipart body → 400 MULTIPART_MALFORMED, nothing stored, the server still answers', async (route, withSession) => {
  const before = listFiles(path.join(app.dataDir, 'objects'))
  const headers: Record<string, string> = { 'content-type': MULTIPART }
  if (withSession) headers.authorization = `Bearer ${token}`
  const res = await fetch(`${app.url}${route}`, { method: 'POST', headers, body: TRUNCATED })
  expect(res.status).toBe(400)
  expect(await res.json()).toEqual({ error: { code: 'MULTIPART_MALFORMED', message: expect.stringMatching(/表单数据/) } })
  expect(listFiles(path.join(app.dataDir, 'objects'))).toEqual(before)

  const health = await fetch(`${app.url}/api/health`)
  expect(health.status).toBe(200)
})

it('a multipart body cut in the middle of its headers is refused the same way', async () => {
  const res = await fetch(`${app.url}/api/documents`, { method: 'POST', headers: { 'content-type': MULTIPART, authorization: `Bearer ${token}` }, body: '--XYZ\r\nContent-Disposition: form-da' })
  expect(res.status).toBe(400)
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MULTIPART_MALFORMED')
  expect((await fetch(`${app.url}/api/health`)).status).toBe(200)
})
