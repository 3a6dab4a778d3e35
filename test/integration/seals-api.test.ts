/**
 * The seals API on the real local server (SQLite + files): a verified company's admin generates
 * and uploads seals and authorises a member; the member's 用印申请 is approved or rejected; the
 * canUseSeal check and the usage log; personal seals and handwriting; and bad input — not an
 * image, too large, too many pixels, no authorisation — answered with the limit and nothing stored.
 * Identity records are written directly (the identity flow is not under test here).
 */
import fs from 'node:fs'
import path from 'node:path'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { parsePdfReadyImage } from '../../cloud-functions/core/pdf/png-image'
import { generateSeal } from '../../cloud-functions/core/seals/generate-seal'
import { rasterise } from '../../cloud-functions/core/seals/rasterise'
import { issueSession } from '../../cloud-functions/runtime/authenticate'
import { companyKey, memberKey, userKey, userPartition } from '../../cloud-functions/use-cases/identity/records'
import { SIGNATURE_PREFIX } from '../../cloud-functions/use-cases/seals/records'
import { useSeal } from '../../cloud-functions/use-cases/seals/use-seal'
import { startTestApp, type TestApp } from '../support/local-app'
import { sampleStrokes, testSealFont } from '../support/seal-fixtures'

jest.setTimeout(120_000)

let app: TestApp
const token: Record<string, string> = {}

async function seedIdentity(): Promise<void> {
  const m = app.deps.metadata
  // 'op' passed real-name verification as 张三; 'op2' entered details but has not passed face verification.
  const person = (status: 'checked' | 'verified', name: string) => ({ person: { status, name, idHash: `hash-${name}`, maskedIdNumber: '1****************0', maskedPhone: '138****0000' } })
  const people: Record<string, object> = { op: person('verified', '张三'), op2: person('checked', '赵六') }
  for (const u of ['admin', 'op', 'op2', 'outsider', 'admin2']) {
    await m.put({ ...userKey(u), type: 'user', userId: u, ...people[u] })
    token[u] = issueSession(app.deps, { kind: 'user', sub: u })
  }
  await m.put({ ...companyKey('acme'), type: 'company', companyId: 'acme', name: '上海示例信息技术有限公司', verificationStatus: 'verified' })
  await m.put({ ...companyKey('draft'), type: 'company', companyId: 'draft', name: '未认证公司', verificationStatus: 'pending' })
  await m.put({ ...memberKey('acme', 'admin'), type: 'member', role: 'admin' })
  await m.put({ ...memberKey('acme', 'op'), type: 'member', role: 'operator' })
  await m.put({ ...memberKey('acme', 'op2'), type: 'member', role: 'operator' })
  await m.put({ ...memberKey('draft', 'admin2'), type: 'member', role: 'admin' })
}

beforeAll(async () => {
  app = await startTestApp()
  await seedIdentity()
})
afterAll(async () => app?.stop())

type Init = { method?: string; body?: unknown; raw?: RequestInit['body']; headers?: Record<string, string>; as?: string }
async function call(p: string, init: Init = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) }
  if (init.as) headers.authorization = `Bearer ${token[init.as]}`
  let body = init.raw
  if (init.body !== undefined) {
    body = JSON.stringify(init.body)
    headers['content-type'] = 'application/json'
  }
  const res = await fetch(`${app.url}${p}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body })
  const type = res.headers.get('content-type') ?? ''
  const data = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer())
  return { status: res.status, type, data: data as any }
}

const storedObjects = () => listFiles(path.join(app.dataDir, 'objects'))
const storedSeals = async () => (await app.deps.metadata.query('COMPANY#acme', { skPrefix: 'SEAL#' })).items.length

/** A red seal stamped on off-white paper, as a scan would look. */
function scannedSeal(): { width: number; height: number; data: Uint8Array } {
  const font = testSealFont()
  const d = generateSeal({ kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '公章' }, font)
  if (!d.ok) throw new Error(d.error.message)
  const ink = rasterise(d.value, font, 6)
  const pad = 30
  const w = ink.width + 2 * pad
  const h = ink.height + 2 * pad
  const data = new Uint8Array(w * h * 4)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const j = (y * w + x) * 4
      const ix = x - pad
      const iy = y - pad
      const a = ix >= 0 && iy >= 0 && ix < ink.width && iy < ink.height ? ink.data[(iy * ink.width + ix) * 4 + 3]! / 255 : 0
      data[j] = Math.round(190 * a + 245 * (1 - a))
      data[j + 1] = Math.round(35 * a + 242 * (1 - a))
      data[j + 2] = Math.round(45 * a + 235 * (1 - a))
      data[j + 3] = 255
    }
  }
  return { width: w, height: h, data }
}
const toPng = (img: { width: number; height: number; data: Uint8Array }) => {
  const png = new PNG({ width: img.width, height: img.height })
  Buffer.from(img.data).copy(png.data)
  return PNG.sync.write(png)
}

describe('seals API', () => {
  let sealId: string

  it('requires a logged-in user', async () => {
    expect((await call('/api/seals/companies/acme/seals')).status).toBe(401)
    expect((await call('/api/seals/preview', { body: { kind: 'personal-square', name: '张三' } })).data.error.code).toBe('UNAUTHENTICATED')
  })

  it('previews any seal kind as PNG without storing anything', async () => {
    const before = storedObjects()
    for (const spec of [
      { kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章', code: '3101150012345' },
      { kind: 'company-oval', companyName: '上海示例信息技术有限公司', sealType: '财务专用章' },
      { kind: 'personal-square', name: '张三' },
      { kind: 'legal-representative', name: '李四' },
    ]) {
      const r = await call('/api/seals/preview', { body: spec, as: 'op' })
      expect({ status: r.status, type: r.type }).toEqual({ status: 200, type: 'image/png' })
      expect(PNG.sync.read(r.data).width).toBeGreaterThan(100)
    }
    const bad = await call('/api/seals/preview', { body: { kind: 'company-round', companyName: '上海示例', sealType: '公章', code: '123' }, as: 'op' })
    expect(bad.status).toBe(400)
    expect(bad.data.error).toMatchObject({ code: 'VALIDATION_FAILED' })
    const hw = await call('/api/seals/handwriting/preview', { body: { width: 320, height: 200, strokes: sampleStrokes() }, as: 'op' })
    expect(hw.type).toBe('image/png')
    expect(storedObjects()).toEqual(before)
  })

  it('only an admin of a verified company generates seals', async () => {
    const spec = { kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章', code: '3101150012345' }
    const byOperator = await call('/api/seals/companies/acme/seals', { body: { spec }, as: 'op' })
    expect([byOperator.status, byOperator.data.error.code]).toEqual([403, 'FORBIDDEN'])
    const byOutsider = await call('/api/seals/companies/acme/seals', { body: { spec }, as: 'outsider' })
    expect(byOutsider.status).toBe(403)
    const unverified = await call('/api/seals/companies/draft/seals', { body: { spec }, as: 'admin2' })
    expect([unverified.status, unverified.data.error.code]).toEqual([403, 'COMPANY_NOT_VERIFIED'])
    expect(await storedSeals()).toBe(0)
    // The seal's name is the verified company name: another company's name is refused, nothing stored.
    const otherName = await call('/api/seals/companies/acme/seals', { body: { spec: { ...spec, companyName: '别人家的公司有限公司' } }, as: 'admin' })
    expect([otherName.status, otherName.data.error.code]).toEqual([400, 'SEAL_NAME_MISMATCH'])
    expect(otherName.data.error.message).toContain('上海示例信息技术有限公司')
    expect(await storedSeals()).toBe(0)

    const created = await call('/api/seals/companies/acme/seals', { body: { spec }, as: 'admin' })
    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({ companyId: 'acme', name: '合同专用章', kind: 'company-round', sealType: '合同专用章', status: 'active', widthMm: 40, width: 800, createdBy: 'admin', version: 1 })
    sealId = created.data.sealId
    const legal = await call('/api/seals/companies/acme/seals', { body: { spec: { kind: 'legal-representative', name: '王五' } }, as: 'admin' })
    expect(legal.data).toMatchObject({ name: '法定代表人章', kind: 'legal-representative' })

    const list = await call('/api/seals/companies/acme/seals', { as: 'op' })
    expect(list.data.seals.map((s: { sealId: string }) => s.sealId)).toEqual(expect.arrayContaining([sealId, legal.data.sealId]))
    const image = await call(`/api/seals/companies/acme/seals/${sealId}/image`, { as: 'op' })
    expect(image.type).toBe('image/png')
    expect(PNG.sync.read(image.data).width).toBe(800)
    const vector = await call(`/api/seals/companies/acme/seals/${sealId}/vector`, { as: 'op' })
    expect(vector.type).toBe('application/pdf')
    expect(vector.data.subarray(0, 5).toString()).toBe('%PDF-')
    expect((await call(`/api/seals/companies/acme/seals/${sealId}/image`, { as: 'outsider' })).status).toBe(403)
  })

  it('stores an uploaded PNG (multipart) or JPEG (raw body) cleaned: transparent, normalised red', async () => {
    const scan = scannedSeal()
    const form = new FormData()
    form.append('file', new Blob([toPng(scan)], { type: 'application/octet-stream' }), 'seal-scan.jpg') // the name lies; content decides
    form.append('name', '公章（扫描）')
    form.append('sealType', '公章')
    const png = await call('/api/seals/companies/acme/seals/upload', { raw: form, as: 'admin' })
    expect(png.status).toBe(201)
    expect(png.data).toMatchObject({ kind: 'uploaded', name: '公章（扫描）', sealType: '公章' })
    const stored = PNG.sync.read((await call(png.data.imagePath, { as: 'admin' })).data)
    expect(stored.data[3]).toBe(0) // corner: paper → transparent
    const c = ((stored.height >> 1) * stored.width + (stored.width >> 1)) * 4
    expect(Array.from(stored.data.subarray(c, c + 4))).toEqual([214, 30, 30, 255]) // star centre: normalised red

    const jpg = jpeg.encode({ width: scan.width, height: scan.height, data: Buffer.from(scan.data) }, 85).data
    const raw = await call('/api/seals/companies/acme/seals/upload', { raw: jpg, headers: { 'content-type': 'image/jpeg', 'x-seal-name': encodeURIComponent('合同章') }, as: 'admin' })
    expect(raw.status).toBe(201)
    expect(raw.data.name).toBe('合同章')
  })

  it('bad uploads: not an image 400, over 2 MB 413, over 4096 px 400 — each naming the limit, nothing stored', async () => {
    const objects = storedObjects()
    const seals = await storedSeals()
    const upload = (bytes: Uint8Array, name: string) => {
      const form = new FormData()
      form.append('file', new Blob([bytes]), name)
      return call('/api/seals/companies/acme/seals/upload', { raw: form, as: 'admin' })
    }
    const text = await upload(Buffer.from('this is not a seal, whatever its name says'), 'seal.png')
    expect([text.status, text.data.error.code]).toEqual([400, 'NOT_AN_IMAGE'])
    const big = new Uint8Array(3 * 1024 * 1024)
    big.set(toPng(scannedSeal()))
    const tooBig = await upload(big, 'big.png')
    expect([tooBig.status, tooBig.data.error.code, tooBig.data.error.details.maxBytes]).toEqual([413, 'IMAGE_TOO_LARGE', 2 * 1024 * 1024])
    expect(tooBig.data.error.message).toContain('2 MB')
    const wide = toPng({ width: 4097, height: 8, data: new Uint8Array(4097 * 8 * 4).fill(255) })
    const tooWide = await upload(wide, 'wide.png')
    expect([tooWide.status, tooWide.data.error.code, tooWide.data.error.details.maxSide]).toEqual([400, 'IMAGE_TOO_MANY_PIXELS', 4096])
    const rawBig = await call('/api/seals/companies/acme/seals/upload', { raw: big, headers: { 'content-type': 'image/png' }, as: 'admin' })
    expect([rawBig.status, rawBig.data.error.code]).toEqual([413, 'IMAGE_TOO_LARGE'])
    const blank = await upload(toPng({ width: 200, height: 200, data: new Uint8Array(200 * 200 * 4).fill(255) }), 'blank.png')
    expect([blank.status, blank.data.error.code]).toEqual([400, 'IMAGE_EMPTY'])
    expect(await storedSeals()).toBe(seals)
    expect(storedObjects()).toEqual(objects)
  })

  describe('authorisation, 用印审批 and the usage log', () => {
    const check = (as: string, body: Record<string, string>) => call(`/api/seals/companies/acme/seals/${sealId}/check`, { body, as })

    it('an operator without a grant gets 403 SEAL_NOT_AUTHORISED, and cannot even request', async () => {
      const r = await check('op', { contractId: 'k1', templateId: 'tpl-1' })
      expect([r.status, r.data.error.code, r.data.error.details.reason]).toEqual([403, 'SEAL_NOT_AUTHORISED', 'NO_GRANT'])
      const req = await call('/api/seals/companies/acme/requests', { body: { sealId, contractId: 'k1' }, as: 'op' })
      expect([req.status, req.data.error.details.reason]).toEqual([403, 'NO_GRANT'])
      const outsider = await check('outsider', { contractId: 'k1' })
      expect([outsider.status, outsider.data.error.details.reason]).toEqual([403, 'NOT_A_MEMBER'])
    })

    it('the admin authorises a member until a date, for some templates only; only admins grant', async () => {
      const byOp = await call(`/api/seals/companies/acme/seals/${sealId}/grants/op2`, { method: 'PUT', body: { validUntil: '2099-12-31' }, as: 'op' })
      expect(byOp.status).toBe(403)
      const toOutsider = await call(`/api/seals/companies/acme/seals/${sealId}/grants/outsider`, { method: 'PUT', body: { validUntil: '2099-12-31' }, as: 'admin' })
      expect(toOutsider.status).toBe(400)
      const past = await call(`/api/seals/companies/acme/seals/${sealId}/grants/op`, { method: 'PUT', body: { validUntil: '2020-01-01' }, as: 'admin' })
      expect(past.status).toBe(400)
      const g = await call(`/api/seals/companies/acme/seals/${sealId}/grants/op`, { method: 'PUT', body: { validUntil: '2099-12-31', templateIds: ['tpl-1'] }, as: 'admin' })
      expect(g.status).toBe(200)
      expect(g.data).toMatchObject({ sealId, userId: 'op', validUntil: '2099-12-31', templateIds: ['tpl-1'], grantedBy: 'admin' })
      const list = await call(`/api/seals/companies/acme/seals/${sealId}/grants`, { as: 'admin' })
      expect(list.data.grants).toHaveLength(1)
      const mine = await call('/api/seals/mine', { as: 'op' })
      expect(mine.data.seals).toEqual([expect.objectContaining({ sealId, via: 'grant', validUntil: '2099-12-31' })])
    })

    it('an authorised operator still needs an approved 用印申请; the admin approves; only then may the seal be used', async () => {
      expect((await check('op', { contractId: 'k1', templateId: 'tpl-1' })).data.error.details.reason).toBe('NO_APPROVAL')
      expect((await check('op', { contractId: 'k1', templateId: 'tpl-9' })).data.error.details.reason).toBe('TEMPLATE_NOT_ALLOWED')
      const created = await call('/api/seals/companies/acme/requests', { body: { sealId, contractId: 'k1', templateId: 'tpl-1', reason: '采购合同盖章' }, as: 'op' })
      expect(created.status).toBe(201)
      expect(created.data).toMatchObject({ status: 'pending', requesterId: 'op', contractId: 'k1', reason: '采购合同盖章' })
      const again = await call('/api/seals/companies/acme/requests', { body: { sealId, contractId: 'k1', templateId: 'tpl-1' }, as: 'op' })
      expect([again.status, again.data.requestId]).toEqual([200, created.data.requestId])
      expect((await check('op', { contractId: 'k1', templateId: 'tpl-1' })).data.error.details.reason).toBe('APPROVAL_PENDING')

      const requestId = created.data.requestId
      const ownList = await call('/api/seals/companies/acme/requests?status=pending', { as: 'op2' })
      expect(ownList.data.requests).toEqual([])
      const adminList = await call('/api/seals/companies/acme/requests?status=pending', { as: 'admin' })
      expect(adminList.data.requests.map((r: { requestId: string }) => r.requestId)).toEqual([requestId])
      const byOperator = await call(`/api/seals/companies/acme/requests/${requestId}/approve`, { body: {}, as: 'op2' })
      expect(byOperator.status).toBe(403)
      const approved = await call(`/api/seals/companies/acme/requests/${requestId}/approve`, { body: { comment: '同意' }, as: 'admin' })
      expect(approved.data).toMatchObject({ status: 'approved', decidedBy: 'admin', comment: '同意' })
      const twice = await call(`/api/seals/companies/acme/requests/${requestId}/reject`, { body: {}, as: 'admin' })
      expect([twice.status, twice.data.error.code]).toEqual([409, 'SEAL_REQUEST_DECIDED'])

      const ok = await check('op', { contractId: 'k1', templateId: 'tpl-1' })
      expect([ok.status, ok.data]).toEqual([200, { allowed: true, via: 'grant', requestId }])
      // The approval is for that contract only.
      expect((await check('op', { contractId: 'k2', templateId: 'tpl-1' })).data.error.details.reason).toBe('NO_APPROVAL')
      // Admins use seals without a request.
      expect((await check('admin', { contractId: 'k7' })).data).toMatchObject({ allowed: true, via: 'admin' })
    })

    it('a rejected request keeps the seal locked; every use is logged and listed; revoking a grant locks it again', async () => {
      const req = await call('/api/seals/companies/acme/requests', { body: { sealId, contractId: 'k2', templateId: 'tpl-1' }, as: 'op' })
      await call(`/api/seals/companies/acme/requests/${req.data.requestId}/reject`, { body: { comment: '合同未审核' }, as: 'admin' })
      expect((await check('op', { contractId: 'k2', templateId: 'tpl-1' })).data.error.details.reason).toBe('APPROVAL_REJECTED')

      // The signing step applies the seal through useSeal: allowed uses are logged, refused ones are not.
      const seal = { companyId: 'acme', sealId }
      const used = await useSeal(app.deps, { userId: 'op' }, seal, { contractId: 'k1', templateId: 'tpl-1' })
      if (!used.ok) throw new Error(used.error.message)
      expect(PNG.sync.read(Buffer.from(used.value.png)).width).toBe(800)
      expect(used.value.spec).toMatchObject({ kind: 'company-round' })
      const refused = await useSeal(app.deps, { userId: 'op' }, seal, { contractId: 'k2', templateId: 'tpl-1' })
      expect(refused.ok ? 'ok' : refused.error.code).toBe('SEAL_NOT_AUTHORISED')
      await useSeal(app.deps, { userId: 'admin' }, seal, { contractId: 'k3' })
      const log = await call(`/api/seals/companies/acme/seals/${sealId}/uses`, { as: 'admin' })
      expect(log.data.uses).toEqual([
        expect.objectContaining({ userId: 'admin', contractId: 'k3', via: 'admin', usedAt: expect.any(String) }),
        expect.objectContaining({ userId: 'op', contractId: 'k1', via: 'grant', requestId: expect.any(String) }),
      ])

      expect((await call(`/api/seals/companies/acme/seals/${sealId}/grants/op`, { method: 'DELETE', as: 'admin' })).status).toBe(204)
      expect((await check('op', { contractId: 'k1', templateId: 'tpl-1' })).data.error.details.reason).toBe('NO_GRANT')
      // Disabling the seal locks it even for admins.
      const disabled = await call(`/api/seals/companies/acme/seals/${sealId}`, { method: 'PATCH', body: { status: 'disabled' }, as: 'admin' })
      expect(disabled.data).toMatchObject({ status: 'disabled', version: 2 })
      expect((await check('admin', { contractId: 'k7' })).data.error.details.reason).toBe('SEAL_DISABLED')
    })
  })

  describe('personal seals and handwriting', () => {
    it('creates a personal seal, handwriting from strokes and from a photo; lists them; keeps them private', async () => {
      const seal = await call('/api/seals/personal', { body: {}, as: 'op' })
      expect(seal.status).toBe(201)
      expect(seal.data).toMatchObject({ kind: 'personal-seal', name: '张三', width: 360, height: 360 })
      // Beside the PNG, the same image made ready for PDF pages (signing embeds it without decoding the PNG).
      const prepared = storedObjects().find((f) => f.includes(`${seal.data.signatureId}.pdf-image.bin`))
      expect(prepared).toBeDefined()
      const ready = parsePdfReadyImage(fs.readFileSync(path.join(app.dataDir, 'objects', prepared!)))
      expect([ready?.width, ready?.height, ready?.alpha !== undefined]).toEqual([360, 360, true])
      const hw = await call('/api/seals/personal/handwriting', { body: { width: 320, height: 200, strokes: sampleStrokes() }, as: 'op' })
      expect(hw.status).toBe(201)
      expect(hw.data.kind).toBe('handwriting')
      const img = PNG.sync.read((await call(hw.data.imagePath, { as: 'op' })).data)
      expect(img.data[3]).toBe(0)
      const empty = await call('/api/seals/personal/handwriting', { body: { width: 320, height: 200, strokes: [[]] }, as: 'op' })
      expect([empty.status, empty.data.error.code]).toEqual([400, 'VALIDATION_FAILED'])
      const outside = await call('/api/seals/personal/handwriting', { body: { width: 320, height: 200, strokes: [[{ x: 10, y: 10 }, { x: 900, y: 10 }]] }, as: 'op' })
      expect(outside.status).toBe(400)

      const paper = { width: 300, height: 120, data: new Uint8Array(300 * 120 * 4).fill(240) }
      for (let x = 40; x < 260; x++) for (let y = 58; y < 64; y++) paper.data.set([25, 25, 60, 255], (y * 300 + x) * 4)
      const form = new FormData()
      form.append('file', new Blob([toPng(paper)]), 'photo.heic')
      const photo = await call('/api/seals/personal/handwriting-photo', { raw: form, as: 'op' })
      expect(photo.status).toBe(201)
      expect(photo.data.width).toBeLessThan(240)

      const list = await call('/api/seals/personal', { as: 'op' })
      expect(list.data.signatures.map((s: { kind: string }) => s.kind).sort()).toEqual(['handwriting', 'handwriting-photo', 'personal-seal'])
      expect(list.data.signatures.find((s: { kind: string }) => s.kind === 'personal-seal')).toMatchObject({ signatureId: seal.data.signatureId, name: '张三' })
      expect((await call(hw.data.imagePath, { as: 'op2' })).status).toBe(404)
    })

    it('a personal seal carries the verified real name: the drawn text is it, and a request cannot name anyone else', async () => {
      // The stored image is exactly the seal drawn for the verified name (same font, same resolution).
      const drawn = (name: string, layout?: '2x2' | '2x3') => {
        const d = generateSeal({ kind: 'personal-square', name, ...(layout ? { layout } : {}) }, testSealFont())
        if (!d.ok) throw new Error(d.error.message)
        return Buffer.from(rasterise(d.value, testSealFont(), 20).data)
      }
      const seal = await call('/api/seals/personal', { body: { layout: '2x2' }, as: 'op' })
      expect([seal.status, seal.data.name]).toEqual([201, '张三'])
      const stored = PNG.sync.read((await call(seal.data.imagePath, { as: 'op' })).data)
      expect(stored.data.equals(drawn('张三', '2x2'))).toBe(true)
      expect(stored.data.equals(drawn('李四', '2x2'))).toBe(false)

      // Another name in the request, in the old spec shape or beside the layout: refused, nothing stored.
      const before = (await app.deps.metadata.query(userPartition('op'), { skPrefix: SIGNATURE_PREFIX })).items.length
      const objects = storedObjects()
      for (const body of [{ spec: { kind: 'personal-square', name: '李四' } }, { name: '李四' }, { layout: '2x2', name: '李四' }]) {
        const refused = await call('/api/seals/personal', { body, as: 'op' })
        expect([refused.status, refused.data.error.code]).toEqual([400, 'VALIDATION_FAILED'])
      }
      expect((await app.deps.metadata.query(userPartition('op'), { skPrefix: SIGNATURE_PREFIX })).items.length).toBe(before)
      expect(storedObjects()).toEqual(objects)
    })

    it('refuses a personal seal to a user who has not passed real-name verification (PERSON_NOT_VERIFIED), storing nothing', async () => {
      const objects = storedObjects()
      for (const who of ['op2', 'outsider']) {
        const refused = await call('/api/seals/personal', { body: {}, as: who })
        expect([refused.status, refused.data.error.code]).toEqual([403, 'PERSON_NOT_VERIFIED'])
        expect(refused.data.error.message).toMatch(/实名认证/)
        expect((await call('/api/seals/personal', { as: who })).data.signatures).toEqual([])
      }
      expect(storedObjects()).toEqual(objects)
    })
  })
})

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)))
    .sort()
}
