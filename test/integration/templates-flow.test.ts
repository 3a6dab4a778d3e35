/**
 * Contract templates end to end over HTTP against the real local server (issue 16): a template
 * with Chinese placeholders → a contract → sent → signed by both parties; the filled values found
 * by pdftotext, the CJK font by pdffonts, every PDF judged by pdfsig and qpdf --check. Versions,
 * disabling, a value too long, who may manage.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(300_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let boss: Person
let clerk: Person
let li: Person
const companyId = '01JTEMPLATESFLOWC0MPANY000'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-flow-'))
const deadline = () => new Date(Date.now() + 7 * 86400_000).toISOString()

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  boss = await flow.verifiedPerson('赵总', '13900002001', 21)
  clerk = await flow.verifiedPerson('王芳', '13900002002', 22)
  li = await flow.verifiedPerson('李华', '13900002003', 23)
  await flow.verifiedCompany(companyId, '签约模板测试有限公司', boss, [clerk])
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: 'pipe' })
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? '')
  }
}

/** qpdf --check (throws on damage) and pdfsig's count of signatures and of valid ones. */
function judge(pdf: Buffer, name: string): { file: string; signatures: number; valid: number } {
  const file = path.join(tmp, `${name}.pdf`)
  fs.writeFileSync(file, pdf)
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' })
  const out = run('pdfsig', [file])
  return { file, signatures: (out.match(/^Signature #\d+:/gm) ?? []).length, valid: (out.match(/Signature Validation: Signature is Valid\./g) ?? []).length }
}

const templateBody = (documentId: string, name = '劳动合同') => ({
  companyId,
  name,
  documentId,
  roles: [
    { roleId: 'jia', label: '甲方', kind: 'person', sender: true },
    { roleId: 'yi', label: '乙方', kind: 'person' },
  ],
  fields: [
    { fieldId: 'sa', roleId: 'jia', kind: 'signature', page: 1, rect: slot(0) },
    { fieldId: 'sb', roleId: 'yi', kind: 'signature', page: 1, rect: slot(1) },
    { fieldId: 'db', roleId: 'yi', kind: 'date', page: 1, rect: slot(1, 160) },
  ],
  placeholders: [
    { key: '乙方姓名', page: 0, rect: [72, 700, 200, 20] },
    { key: '月薪', page: 0, rect: [72, 660, 160, 20], maxLength: 20 },
    { key: '入职日期', page: 0, rect: [72, 620, 120, 18], fontSize: 12 },
  ],
})

describe('a template with Chinese placeholders', () => {
  let templateId = ''
  let firstContract = ''

  it('an admin creates it; members see it; a member who is not an admin cannot create, edit or disable it; an outsider does not see it', async () => {
    const { call } = flow
    const documentId = await flow.upload(boss.token, await makePdf('Labour contract', 2), '劳动合同.pdf')
    const created = await call('POST', '/api/templates', templateBody(documentId), boss.token)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ companyId, name: '劳动合同', version: 1, latestVersion: 1, enabled: true, canManage: true, pages: [{ width: 595, height: 842 }, { width: 595, height: 842 }] })
    templateId = created.body.templateId

    const list = await call('GET', `/api/templates?companyId=${companyId}`, undefined, clerk.token)
    expect(list.status).toBe(200)
    expect(list.body).toMatchObject({ canManage: false, items: [{ templateId, name: '劳动合同', latestVersion: 1, placeholderCount: 3, roleLabels: ['甲方', '乙方'] }] })

    const clerkDoc = await flow.upload(clerk.token, await makePdf('Clerk copy', 2))
    expect((await call('POST', '/api/templates', templateBody(clerkDoc), clerk.token)).body.error.code).toBe('FORBIDDEN')
    const edit = await call('PUT', `/api/templates/${templateId}`, { ...templateBody(clerkDoc), companyId: undefined }, clerk.token)
    expect([edit.status, edit.body.error.code]).toEqual([403, 'FORBIDDEN'])
    expect((await call('POST', `/api/templates/${templateId}/enabled`, { enabled: false }, clerk.token)).status).toBe(403)
    expect((await call('GET', `/api/templates/${templateId}`, undefined, li.token)).status).toBe(404)
    expect((await call('GET', `/api/templates?companyId=${companyId}`, undefined, li.token)).status).toBe(403)
    expect((await call('POST', `/api/templates/${templateId}/contracts`, { deadline: deadline(), values: {}, parties: {} }, li.token)).status).toBe(404)
  })

  it('a bad template is refused with a Chinese message and nothing stored', async () => {
    const { call } = flow
    const documentId = await flow.upload(boss.token, await makePdf('Bad', 1))
    const off = templateBody(documentId)
    const r = await call('POST', '/api/templates', off, boss.token) // fields on page 2 of a 1-page file
    expect([r.status, r.body.error.code]).toEqual([400, 'TEMPLATE_INVALID'])
    expect(r.body.error.message).toMatch(/页/)
    const braces = await call('POST', '/api/templates', { ...templateBody(documentId), placeholders: [{ key: '{{乙方}}', page: 0, rect: [1, 1, 10, 10] }] }, boss.token)
    expect([braces.status, braces.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const list = await call('GET', `/api/templates?companyId=${companyId}&includeDisabled=true`, undefined, boss.token)
    expect(list.body.items).toHaveLength(1)
  })

  it('a value too long for its box: a clear 400 naming the placeholder, and nothing stored', async () => {
    const { call } = flow
    const before = await call('GET', '/api/contracts?box=all', undefined, clerk.token)
    const r = await call('POST', `/api/templates/${templateId}/contracts`, { deadline: deadline(), values: { 月薪: '8000 元/月', 入职日期: '二〇二七年一月一日上午九点整到公司人事部报到' }, parties: { yi: { name: li.name, phone: li.phone } } }, clerk.token)
    expect([r.status, r.body.error.code]).toEqual([400, 'TEMPLATE_VALUE_TOO_LONG'])
    expect(r.body.error.message).toContain('入职日期')
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/)
    const missing = await call('POST', `/api/templates/${templateId}/contracts`, { deadline: deadline(), values: { 月薪: '8000 元/月' }, parties: { yi: { name: li.name, phone: li.phone } } }, clerk.token)
    expect([missing.status, missing.body.error.code]).toEqual([400, 'TEMPLATE_VALUE_INVALID'])
    expect(missing.body.error.message).toContain('入职日期')
    const after = await call('GET', '/api/contracts?box=all', undefined, clerk.token)
    expect(after.body.items).toHaveLength(before.body.items.length)
    // The filled PDF is stored only once the values fit: the clerk has no upload yet besides their own.
    const uploads = await app.deps.metadata.query(`DOCHASH#${clerk.userId}`)
    expect(uploads.items).toHaveLength(1)
  })

  it('a member makes a contract from it → sent → both parties sign; the values are in the PDF in the embedded CJK font; every PDF valid', async () => {
    const { call } = flow
    const created = await call(
      'POST',
      `/api/templates/${templateId}/contracts`,
      { deadline: deadline(), values: { 月薪: '8000 元/月', 入职日期: '2027年1月1日' }, parties: { yi: { name: li.name, phone: li.phone } } },
      clerk.token,
      { 'idempotency-key': 'tpl-contract-1' },
    )
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ status: 'draft', title: '劳动合同', senderCompanyName: '签约模板测试有限公司', template: { templateId, version: 1 } })
    expect(created.body.parties.map((p: { partyId: string; name: string }) => [p.partyId, p.name])).toEqual([
      ['jia', clerk.name],
      ['yi', li.name],
    ])
    const id = created.body.contractId
    firstContract = id

    const original = await flow.download(clerk.token, id, 'original')
    const filled = judge(original, 'filled')
    const text = run('pdftotext', ['-layout', filled.file, '-'])
    expect(text).toContain('李华') // 乙方姓名 from the party's name
    expect(text).toContain('8000 元/月')
    expect(text).toContain('2027年1月1日')
    expect(run('pdffonts', [filled.file])).toMatch(/[A-Z]{6}\+NotoSansSC\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)

    const sent = await call('POST', `/api/contracts/${id}/send`, undefined, clerk.token, { 'idempotency-key': 'tpl-send-1' })
    expect(sent.status).toBe(200)
    expect((await flow.sign(clerk, id, 'jia')).status).toBe(200)
    expect((await flow.sign(li, id, 'yi')).status).toBe(200)
    const done = await call('GET', `/api/contracts/${id}`, undefined, clerk.token)
    expect(done.body.status).toBe('completed')

    const signed = judge(await flow.download(clerk.token, id), 'signed')
    expect(signed.signatures).toBeGreaterThanOrEqual(2)
    expect(signed.valid).toBeGreaterThanOrEqual(2)
    const signedText = run('pdftotext', ['-layout', signed.file, '-'])
    expect(signedText).toContain('8000 元/月')
  })

  it('an edit makes version 2; the earlier contract stays on version 1; new contracts use version 2', async () => {
    const { call } = flow
    const documentId = await flow.upload(boss.token, await makePdf('Labour contract v2', 2), '劳动合同v2.pdf')
    const body = templateBody(documentId, '劳动合同（2027 版）')
    const edited = await call('PUT', `/api/templates/${templateId}`, { name: body.name, documentId, roles: body.roles, fields: body.fields, placeholders: [...body.placeholders, { key: '岗位', page: 0, rect: [72, 580, 200, 20] }] }, boss.token)
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ version: 2, latestVersion: 2, name: '劳动合同（2027 版）' })
    expect(edited.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2])
    const v1 = await call('GET', `/api/templates/${templateId}?version=1`, undefined, clerk.token)
    expect(v1.body).toMatchObject({ version: 1, latestVersion: 2, name: '劳动合同' })
    expect(v1.body.placeholders).toHaveLength(3)

    expect((await call('GET', `/api/contracts/${firstContract}`, undefined, clerk.token)).body.template).toEqual({ templateId, version: 1 })
    const second = await call('POST', `/api/templates/${templateId}/contracts`, { deadline: deadline(), values: { 月薪: '9000 元/月', 入职日期: '2027年2月1日', 岗位: '销售经理 Sales' }, parties: { yi: { name: li.name, phone: li.phone } } }, clerk.token)
    expect(second.status).toBe(201)
    expect(second.body).toMatchObject({ title: '劳动合同（2027 版）', template: { templateId, version: 2 } })
    const file = judge(await flow.download(clerk.token, second.body.contractId, 'original'), 'v2')
    expect(run('pdftotext', ['-layout', file.file, '-'])).toContain('销售经理 Sales')
  })

  it('a disabled template cannot be used, and is listed only on request; enabling it again allows it', async () => {
    const { call } = flow
    const off = await call('POST', `/api/templates/${templateId}/enabled`, { enabled: false }, boss.token)
    expect(off.body).toMatchObject({ enabled: false })
    const r = await call('POST', `/api/templates/${templateId}/contracts`, { deadline: deadline(), values: { 月薪: '1', 入职日期: '2', 岗位: '3' }, parties: { yi: { name: li.name, phone: li.phone } } }, clerk.token)
    expect([r.status, r.body.error.code]).toEqual([409, 'TEMPLATE_DISABLED'])
    expect(r.body.error.message).toContain('停用')
    expect((await call('GET', `/api/templates?companyId=${companyId}`, undefined, clerk.token)).body.items).toHaveLength(0)
    expect((await call('GET', `/api/templates?companyId=${companyId}&includeDisabled=true`, undefined, clerk.token)).body.items).toHaveLength(1)
    // The contracts made before are unaffected.
    expect((await call('GET', `/api/contracts/${firstContract}`, undefined, clerk.token)).body.status).toBe('completed')
    await call('POST', `/api/templates/${templateId}/enabled`, { enabled: true }, boss.token)
    expect((await call('GET', `/api/templates?companyId=${companyId}`, undefined, clerk.token)).body.items).toHaveLength(1)
  })
})
