/**
 * Issue 10 #10 on the real local server: security headers and deliberate OPTIONS/CORS; a NUL in a
 * static path is a 400; session tokens and presigned links accept only canonical base64url;
 * logout and "log out everywhere" revoke sessions on the server; uploads are parsed by the
 * engine's reader before anything is stored; bidi controls are stripped from file names.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { issueSession } from '../../../cloud-functions/runtime/authenticate'
import { userKey } from '../../../cloud-functions/use-cases/identity/records'
import { makePdf, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(60_000)

const ALLOWED_ORIGIN = 'https://app.qianyue.example'
let app: TestApp

beforeAll(async () => {
  app = await startTestApp({ ESIGN_CORS_ORIGINS: ALLOWED_ORIGIN })
  for (const u of ['alice', 'bob']) await app.deps.metadata.put({ ...userKey(u), type: 'user', userId: u })
})
afterAll(async () => app?.stop())

const me = (token: string) => fetch(`${app.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

/** A raw GET, so the path reaches the server exactly as written. */
function rawGet(pathname: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const { hostname, port } = new URL(app.url)
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: pathname }, (res) => {
        let body = ''
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }))
      })
      .on('error', reject)
  })
}

/** The same base64url text with other spare bits in its last character (decodes to the same bytes under a lenient decoder). */
function otherSpareBits(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = alphabet.indexOf(text.at(-1)!)
  const spare = text.length % 4 === 2 ? 4 : 2
  return text.slice(0, -1) + alphabet[(last & ~((1 << spare) - 1)) | 1]
}

describe('security headers', () => {
  it('every API answer has nosniff, no referrer, no framing and a CSP that lets nothing run', async () => {
    for (const res of [await fetch(`${app.url}/api/health`), await fetch(`${app.url}/api/no-such-route`)]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/)
    }
  })

  it('GET /index.html%00.png → 400, not 500', async () => {
    const res = await rawGet('/index.html%00.png')
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } })
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })
})

describe('OPTIONS and CORS', () => {
  it('OPTIONS on an API path is answered 204 with Allow; no CORS grant for an origin that is not configured', async () => {
    const res = await fetch(`${app.url}/api/documents`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
    expect(res.status).toBe(204)
    expect(res.headers.get('allow')).toBe('POST, OPTIONS')
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const plain = await fetch(`${app.url}/api/health`, { headers: { origin: 'https://evil.example' } })
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('a configured origin (ESIGN_CORS_ORIGINS) gets the preflight grant and the allow-origin header', async () => {
    const pre = await fetch(`${app.url}/api/documents`, { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN)
    expect(pre.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS')
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/)
    const plain = await fetch(`${app.url}/api/health`, { headers: { origin: ALLOWED_ORIGIN } })
    expect(plain.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN)
    expect(plain.headers.get('vary')).toMatch(/origin/i)
  })

  it('OPTIONS on an unknown API path is 404', async () => {
    expect((await fetch(`${app.url}/api/nothing-here`, { method: 'OPTIONS' })).status).toBe(404)
  })
})

describe('strict base64url', () => {
  it('a session token with "=", "!!" or other spare bits is refused; the canonical one works', async () => {
    const token = issueSession(app.deps, { kind: 'user', sub: 'alice' })
    expect((await me(token)).status).toBe(200)
    const [prefix, payload, mac] = token.split('.') as [string, string, string]
    for (const bad of [`${token}=`, `${prefix}.${payload}.${mac}!!`, `${prefix}.${payload}.${otherSpareBits(mac)}`, `${prefix}.${payload}!!.${mac}`]) {
      const res = await me(bad)
      expect(res.status).toBe(401)
      expect(await code(res)).toBe('UNAUTHENTICATED')
    }
  })

  it('a presigned link with a non-canonical signature is refused; the canonical one works', async () => {
    const pdf = await makePdf('presigned')
    await app.deps.objects.put('documents/presign-test.pdf', pdf, { contentType: 'application/pdf' })
    const link = new URL(await app.deps.objects.presignGet('documents/presign-test.pdf', 300))
    const good = await fetch(link)
    expect(good.status).toBe(200)
    // A PDF opened from a link: the browser's viewer may show it, nobody may frame it or sniff it.
    expect(good.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    expect(good.headers.get('x-content-type-options')).toBe('nosniff')
    const sig = link.searchParams.get('sig')!
    for (const bad of [otherSpareBits(sig), `${sig}=`, `${sig}!!`]) {
      const forged = new URL(link)
      forged.searchParams.set('sig', bad)
      const res = await fetch(forged)
      expect(res.status).toBe(403)
      expect(await code(res)).toBe('LINK_INVALID')
    }
  })
})

describe('logout and log out everywhere', () => {
  it('logout revokes this session only; log out everywhere revokes every earlier session; a new login works', async () => {
    const phone = issueSession(app.deps, { kind: 'user', sub: 'bob' })
    const laptop = issueSession(app.deps, { kind: 'user', sub: 'bob' })
    const other = issueSession(app.deps, { kind: 'user', sub: 'alice' })

    const out = await fetch(`${app.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${phone}` } })
    expect(out.status).toBe(204)
    const revoked = await me(phone)
    expect(revoked.status).toBe(401)
    expect(await code(revoked)).toBe('SESSION_REVOKED')
    expect((await me(laptop)).status).toBe(200)

    const all = await fetch(`${app.url}/api/auth/logout-all`, { method: 'POST', headers: { authorization: `Bearer ${laptop}` } })
    expect(all.status).toBe(204)
    expect(await code(await me(laptop))).toBe('SESSION_REVOKED')
    expect((await me(other)).status).toBe(200)

    const fresh = issueSession(app.deps, { kind: 'user', sub: 'bob' })
    expect((await me(fresh)).status).toBe(200)
    // A revoked session cannot log out again or do anything else.
    expect((await fetch(`${app.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${phone}` } })).status).toBe(401)
  })
})

describe('uploads', () => {
  const upload = (body: Uint8Array | string, fileName = 'contract.pdf') =>
    fetch(`${app.url}/api/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(fileName), authorization: `Bearer ${issueSession(app.deps, { kind: 'user', sub: 'alice' })}` },
      body,
    })

  it.each([
    ['the issue’s %PDF-/%%EOF shell', '%PDF-1.4\n%%EOF'],
    ['a header, garbage and a startxref to nowhere', '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n999999\n%%EOF\n'],
  ])('%s is refused with NOT_A_PDF and nothing is stored', async (_name, body) => {
    const before = listFiles(path.join(app.dataDir, 'objects'))
    const res = await upload(body)
    expect(res.status).toBe(400)
    expect(await code(res)).toBe('NOT_A_PDF')
    expect(listFiles(path.join(app.dataDir, 'objects'))).toEqual(before)
  })

  it('an unsigned PDF whose xref offsets are wrong is accepted (the signing step repairs it): the structure check finds its pages', async () => {
    const good = Buffer.from(await makePdf('broken xref'))
    const text = good.toString('latin1')
    const at = text.lastIndexOf('startxref')
    const broken = Buffer.from(text.slice(0, at) + text.slice(at).replace(/startxref\s+(\d+)/, (_m, n: string) => `startxref\n${Number(n) - 7}`), 'latin1')
    const res = await upload(broken)
    expect(res.status).toBe(201)
  })

  it('a real PDF is stored, its file name without bidi control characters', async () => {
    const res = await upload(await makePdf('bidi'), '合同\u202Efdp.exe\u2066\u200F')
    expect(res.status).toBe(201)
    const doc = (await res.json()) as { fileName: string }
    expect(doc.fileName).toBe('合同fdp.exe')
  })
})
