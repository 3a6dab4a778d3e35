/**
 * Page images for the template editor (issue 16) over HTTP against the real local server: an
 * upload's pages for its uploader only (`GET /api/documents/{id}/pages/{page}`), a template's pages
 * for the members of its company (`GET /api/templates/{id}/pages/{page}`), real PNGs rendered by
 * PDFium on the CPU pool, cached in the object store by the document's hash.
 */
import { createHash } from 'node:crypto'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(300_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let boss: Person
let clerk: Person
let outsider: Person
const companyId = '01JTEMPLATEPAGESC0MPANY000'

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  boss = await flow.verifiedPerson('赵总', '13900004001', 41)
  clerk = await flow.verifiedPerson('王芳', '13900004002', 42)
  outsider = await flow.verifiedPerson('李华', '13900004003', 43)
  await flow.verifiedCompany(companyId, '模板页面图片测试有限公司', boss, [clerk])
})
afterAll(async () => {
  await app?.stop()
})

/** GET `p` with `token`: status, content type, bytes, and the error code of a JSON answer. */
async function get(p: string, token: string) {
  const res = await fetch(`${app.url}${p}`, { headers: { authorization: `Bearer ${token}` } })
  const bytes = new Uint8Array(await res.arrayBuffer())
  const type = res.headers.get('content-type') ?? ''
  const code = type.includes('json') ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as { error?: { code: string; message: string } }).error : undefined
  return { status: res.status, type, bytes, code: code?.code, message: code?.message }
}
const pngSize = (b: Uint8Array) => ({ width: Buffer.from(b).readUInt32BE(16), height: Buffer.from(b).readUInt32BE(20) })

describe('page images of uploads and templates', () => {
  it('the uploader sees an upload’s pages as PNGs of the width asked (rounded up to hundreds), cached by content; nobody else does', async () => {
    const pdf = await makePdf('Template pages', 2)
    const documentId = await flow.upload(boss.token, pdf, '模板.pdf')
    const first = await get(`/api/documents/${documentId}/pages/1?width=280`, boss.token)
    expect([first.status, first.type]).toEqual([200, 'image/png'])
    expect(Buffer.from(first.bytes.subarray(1, 4)).toString('latin1')).toBe('PNG')
    const size = pngSize(first.bytes)
    expect(size.width).toBe(300)
    expect(Math.abs(size.height - (300 * 842) / 595)).toBeLessThan(2)
    const sha256 = createHash('sha256').update(pdf).digest('hex')
    expect(await app.deps.objects.get(`documents/pages/${sha256}-1-300.png`)).toEqual(first.bytes)
    expect((await get(`/api/documents/${documentId}/pages/1?width=300`, boss.token)).bytes).toEqual(first.bytes)

    for (const who of [clerk, outsider]) expect((await get(`/api/documents/${documentId}/pages/0`, who.token)).code).toBe('DOCUMENT_NOT_FOUND')
    const beyond = await get(`/api/documents/${documentId}/pages/2`, boss.token)
    expect([beyond.status, beyond.code]).toEqual([400, 'PAGE_OUT_OF_RANGE'])
    const wide = await get(`/api/documents/${documentId}/pages/0?width=5000`, boss.token)
    expect([wide.status, wide.code]).toEqual([400, 'RENDER_WIDTH_INVALID'])
    expect(wide.message).toMatch(/图片宽度/)
  })

  it('every member of the template’s company sees its pages (any version); outsiders get TEMPLATE_NOT_FOUND', async () => {
    const documentId = await flow.upload(boss.token, await makePdf('Template v1', 2), '劳动合同.pdf')
    const body = {
      companyId,
      name: '劳动合同',
      documentId,
      roles: [{ roleId: 'jia', label: '甲方', kind: 'person', sender: true }],
      fields: [{ fieldId: 'sa', roleId: 'jia', kind: 'signature', page: 1, rect: slot(0) }],
      placeholders: [{ key: '月薪', page: 0, rect: [72, 660, 160, 20] }],
    }
    const made = await flow.call('POST', '/api/templates', body, boss.token)
    expect(made.status).toBe(201)
    const templateId = made.body.templateId as string
    // Version 2 has a one-page document: version 1's second page stays reachable by its version.
    const other = await flow.upload(boss.token, await makePdf('Template v2', 1), '劳动合同2.pdf')
    const v2 = await flow.call('PUT', `/api/templates/${templateId}`, { ...body, companyId: undefined, documentId: other, fields: [{ ...body.fields[0], page: 0 }] }, boss.token)
    expect(v2.status).toBe(200)

    const latest = await get(`/api/templates/${templateId}/pages/0?width=300`, clerk.token)
    expect([latest.status, latest.type]).toEqual([200, 'image/png'])
    const latestBeyond = await get(`/api/templates/${templateId}/pages/1`, clerk.token)
    expect([latestBeyond.status, latestBeyond.code]).toEqual([400, 'PAGE_OUT_OF_RANGE'])
    const old = await get(`/api/templates/${templateId}/pages/1?width=300&version=1`, clerk.token)
    expect([old.status, old.type]).toEqual([200, 'image/png'])
    expect(old.bytes).not.toEqual(latest.bytes)
    expect((await get(`/api/templates/${templateId}/pages/0?version=9`, clerk.token)).code).toBe('TEMPLATE_NOT_FOUND')
    expect((await get(`/api/templates/${templateId}/pages/0`, outsider.token)).code).toBe('TEMPLATE_NOT_FOUND')
    expect((await get(`/api/templates/nope/pages/0`, boss.token)).code).toBe('TEMPLATE_NOT_FOUND')
  })
})
