/**
 * Issue 10 #2 and #5: one request must not stall the others. Handwriting is bounded (canvas,
 * points per stroke, strokes, total points → 400/413 with codes, nothing stored); the largest
 * allowed handwriting and the largest allowed verification run on the CPU worker pool, so
 * `/api/health` is answered while they are still running; a PDF with 6,000 empty incremental
 * revisions is refused with TOO_MANY_REVISIONS before any parsing.
 *
 * The worker threads load the compiled build/ (npm test builds it before jest).
 */
import { HANDWRITING_LIMITS } from '../../../cloud-functions/core/seals/handwriting'
import { MAX_VERIFY_REVISIONS, MAX_VERIFY_XREF_SECTIONS } from '../../../cloud-functions/core/verification/revision-count'
import { issueSession } from '../../../cloud-functions/runtime/authenticate'
import { userKey } from '../../../cloud-functions/use-cases/identity/records'
import { appendEmptyRevisions } from '../../support/empty-revisions'
import { makePdf, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(180_000)

let app: TestApp
let token: string

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'warn' })
  await app.deps.metadata.put({ ...userKey('writer'), type: 'user', userId: 'writer' })
  token = issueSession(app.deps, { kind: 'user', sub: 'writer' })
})
afterAll(async () => app?.stop())

type Point = { x: number; y: number; t: number }
/** `strokes` strokes of `points` points zig-zagging over the whole canvas (slow pen: thick ink). */
function strokes(width: number, height: number, count: number, points: number): Point[][] {
  return Array.from({ length: count }, (_, k) =>
    Array.from({ length: points }, (_, i) => {
      const f = i / Math.max(1, points - 1)
      return { x: Math.round(f * (width - 1) * 10) / 10, y: Math.round(((k + 1) / (count + 1)) * (height - 1) + (i % 2 ? 6 : -6)), t: i * 16 }
    }),
  )
}

const post = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

/** Send `heavy`, wait until it is being worked on, then ask /api/health three times: every answer must come before `heavy` completes. */
async function healthWhile(heavy: () => Promise<Response>): Promise<Response> {
  let done = false
  const inFlight = heavy().then((r) => {
    done = true
    return r
  })
  await new Promise((r) => setTimeout(r, 300))
  for (let i = 0; i < 3; i++) {
    const health = await fetch(`${app.url}/api/health`)
    expect(health.status).toBe(200)
    expect(done).toBe(false)
  }
  return inFlight
}

describe('handwriting input is bounded', () => {
  const L = HANDWRITING_LIMITS
  const cases: Array<[string, number, string, unknown]> = [
    ['the issue’s 4096×4096 canvas', 400, 'HANDWRITING_CANVAS_INVALID', { width: 4096, height: 4096, strokes: strokes(4096, 4096, 1, 200) }],
    ['a canvas over the area limit', 400, 'HANDWRITING_CANVAS_INVALID', { width: L.maxSide, height: L.maxSide, strokes: strokes(100, 100, 1, 10) }],
    ['a canvas under the minimum', 400, 'HANDWRITING_CANVAS_INVALID', { width: 20, height: 200, strokes: strokes(20, 200, 1, 10) }],
    ['too many strokes', 413, 'HANDWRITING_TOO_COMPLEX', { width: 320, height: 200, strokes: strokes(320, 200, L.maxStrokes + 1, 2) }],
    ['too many points in one stroke', 413, 'HANDWRITING_TOO_COMPLEX', { width: 320, height: 200, strokes: strokes(320, 200, 1, L.maxPointsPerStroke + 1) }],
    ['too many points in all', 413, 'HANDWRITING_TOO_COMPLEX', { width: 320, height: 200, strokes: strokes(320, 200, 4, L.maxPoints / 4 + 1) }],
    ['the issue’s 200 strokes of 100 points', 413, 'HANDWRITING_TOO_COMPLEX', { width: 1000, height: 1000, strokes: strokes(1000, 1000, 200, 100) }],
  ]
  it.each(cases)('%s → %i %s on both handwriting routes, nothing stored', async (_name, status, code, body) => {
    for (const route of ['/api/seals/handwriting/preview', '/api/seals/personal/handwriting']) {
      const res = await post(route, body)
      expect(res.status).toBe(status)
      expect(await errorCode(res)).toBe(code)
    }
    const list = (await (await fetch(`${app.url}/api/seals/personal`, { headers: { authorization: `Bearer ${token}` } })).json()) as { signatures: unknown[] }
    expect(list.signatures).toEqual([])
  })
})

describe('CPU-heavy work runs off the event loop', () => {
  const L = HANDWRITING_LIMITS
  const maximal = { width: L.maxSide, height: L.maxArea / L.maxSide, strokes: strokes(L.maxSide, L.maxArea / L.maxSide, L.maxPoints / L.maxPointsPerStroke, L.maxPointsPerStroke) }

  it('the largest allowed handwriting preview is in flight while /api/health answers', async () => {
    const res = await healthWhile(() => post('/api/seals/handwriting/preview', maximal))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
  })

  it('the largest allowed stored handwriting is in flight while /api/health answers', async () => {
    const res = await healthWhile(() => post('/api/seals/personal/handwriting', maximal))
    expect(res.status).toBe(201)
    expect(((await res.json()) as { kind: string }).kind).toBe('handwriting')
  })

  it(`a PDF near the most revisions and xref sections allowed (${MAX_VERIFY_REVISIONS}, ${MAX_VERIFY_XREF_SECTIONS}) is verified while /api/health answers`, async () => {
    // 3 sections per revision: every revision's reader follows a long /Prev chain (the costly shape).
    const pdf = appendEmptyRevisions(await makePdf('revisions'), MAX_VERIFY_REVISIONS - 2, 3)
    const res = await healthWhile(() => fetch(`${app.url}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf }))
    expect(res.status).toBe(200)
    const report = (await res.json()) as { signatures: unknown[]; documentProblems?: Array<{ code: string }> }
    expect(report.signatures).toEqual([])
    expect((report.documentProblems ?? []).map((p) => p.code)).not.toContain('TOO_MANY_REVISIONS')
  })

  it('a PDF with 6,000 empty incremental revisions is refused with TOO_MANY_REVISIONS', async () => {
    const pdf = appendEmptyRevisions(await makePdf('revisions'), 6000)
    const res = await fetch(`${app.url}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { error: { code: string; message: string; details: { maxRevisions: number; revisions: number } } }
    expect(body.error).toMatchObject({ code: 'TOO_MANY_REVISIONS', details: { maxRevisions: MAX_VERIFY_REVISIONS, revisions: 6001 } })
    expect(body.error.message).toMatch(/修订/)
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200)
  })
})
