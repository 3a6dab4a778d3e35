/**
 * Issue 16, bulk send: over HTTP on the compiled local server (`node build/cloud-functions/runtime/local-server-main.js`,
 * spawned, so that it can be killed with SIGKILL). A template with placeholders 月薪 / 入职日期 and a
 * recipient role 乙方; a 200-row CSV with 3 bad rows → preview lists exactly those 3 (row number + reason);
 * confirm → the server is killed half-way through the job and started again on the same data folder →
 * the job resumes and ends with 197 sent and 3 invalid, one sent contract per phone; the same file
 * again sends nothing; not a spreadsheet → 415, over the limits → 413; a formula cell is read as its
 * cached value; a few of the produced PDFs signed by their recipient and judged by pdfsig, qpdf and esign verify.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { loadConfig } from '../../cloud-functions/runtime/config'
import { createContainer, systemIds } from '../../cloud-functions/runtime/container'
import { createLogger } from '../../cloud-functions/runtime/logger'
import { companyKey, memberKey } from '../../cloud-functions/use-cases/identity/records'
import { SPREADSHEET_LIMITS } from '../../cloud-functions/core/bulk/read-spreadsheet'
import { makeBulkTemplate } from '../support/bulk-template'
import { contractFlow, type Person } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { makePdf } from '../support/local-app'
import { requireTools, tempDir } from '../support/pdf-tools'
import { killServerProcess, startServerProcess, type ServerProcess } from '../support/server-process'

jest.setTimeout(900_000)

const OPERATOR = randomBytes(24).toString('hex')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-bulk-'))
const tmp = tempDir('bulk-send-')

type Server = ServerProcess
const start = (): Promise<Server> => startServerProcess({ dataDir, operatorToken: OPERATOR, stderr: 'inherit' })
const kill = killServerProcess

/** Row i's recipient: a unique name and a phone whose last four digits are unique too (so even masked phones tell them apart). */
const HAN = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰'
const recipient = (i: number) => ({ name: `收件${HAN[Math.floor(i / 15)]}${HAN[i % 15]}`, phone: `1380013${String(i).padStart(4, '0')}` })

/** 200 data rows (spreadsheet rows 2–201); rows 51, 102 and 153 are bad. */
function csv200(): string {
  const lines = ['乙方姓名,乙方手机,月薪,入职日期']
  for (let i = 0; i < 200; i++) {
    const r = recipient(i)
    const rowNumber = i + 2
    if (rowNumber === 51) lines.push(`${r.name},12345678901,8000,2027-01-01`)
    else if (rowNumber === 102) lines.push(`,${r.phone},8000,2027-01-01`)
    else if (rowNumber === 153) lines.push(`${r.name},${r.phone},${'9'.repeat(30)},2027-01-01`)
    else lines.push(`${r.name},${r.phone},${8000 + i},2027-01-01`)
  }
  return lines.join('\r\n') + '\r\n'
}

let server: Server
let flow: ReturnType<typeof contractFlow>
let sender: Person
let templateId: string

/** CPU time (user + system, in clock ticks) of a process or thread so far, from its /proc stat line. */
function cpuTicks(statFile: string): number {
  const fields = fs.readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/** multipart/form-data with the spreadsheet as `file` and the text fields. */
function form(bytes: Uint8Array, fileName: string, fields: Record<string, string>): FormData {
  const f = new FormData()
  for (const [k, v] of Object.entries(fields)) f.append(k, v)
  f.append('file', new Blob([bytes]), fileName)
  return f
}

async function upload(p: string, bytes: Uint8Array, fileName: string, fields: Record<string, string>) {
  const res = await fetch(`${server.app.url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${sender.token}` }, body: form(bytes, fileName, fields) })
  return { status: res.status, body: (await res.json()) as any }
}

const deadline = () => new Date(Date.now() + 7 * 86400_000).toISOString()

async function job(jobId: string, query = '') {
  const r = await flow.call('GET', `/api/bulk-sends/${jobId}${query}`, undefined, sender.token)
  expect(r.status).toBe(200)
  return r.body
}

/** Every contract the sender sent (not drafts), from the contracts list. */
async function sentContracts(): Promise<Array<{ contractId: string; status: string; parties: Array<{ name: string }> }>> {
  const all: any[] = []
  let cursor: string | undefined
  do {
    const r = await flow.call('GET', `/api/contracts?box=all&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, sender.token)
    expect(r.status).toBe(200)
    all.push(...r.body.items)
    cursor = r.body.next
  } while (cursor)
  return all.filter((c) => c.status !== 'draft')
}

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  server = await start()
  flow = contractFlow(server.app)
  sender = await flow.verifiedPerson('白批量', '13900001616', 161)
  // The company is seeded (its verification flow has its own tests) through the data folder the server runs on (SQLite WAL).
  const companyId = systemIds.newId()
  const store = await createContainer(loadConfig({ ESIGN_DATA_DIR: dataDir, ESIGN_OPERATOR_TOKEN: OPERATOR }, process.cwd()), createLogger({ level: 'silent' }), 'test')
  try {
    await store.metadata.put({ ...companyKey(companyId), type: 'company', companyId, name: '批量测试有限公司', verificationStatus: 'verified', status: 'verified' })
    await store.metadata.put({ ...memberKey(companyId, sender.userId), type: 'member', companyId, userId: sender.userId, role: 'admin' })
  } finally {
    await store.metadata.close()
  }
  templateId = await makeBulkTemplate(flow, sender, companyId)
})
afterAll(async () => {
  if (server) await kill(server)
  fs.rmSync(dataDir, { recursive: true, force: true })
  fs.rmSync(tmp, { recursive: true, force: true })
})


describe('bulk send from a spreadsheet', () => {
  it('refuses a file that is not CSV/XLSX (415) or is over the limits (413), before parsing', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
    const notSheet = await upload('/api/bulk-sends/preview', png, 'people.csv', { templateId })
    expect([notSheet.status, notSheet.body.error.code]).toEqual([415, 'NOT_A_SPREADSHEET'])
    const pdf = await upload('/api/bulk-sends/preview', await makePdf('not a sheet'), 'people.xlsx', { templateId })
    expect([pdf.status, pdf.body.error.code]).toEqual([415, 'NOT_A_SPREADSHEET'])
    const big = await upload('/api/bulk-sends/preview', new Uint8Array(5 * 1024 * 1024 + 1).fill(0x61), 'big.csv', { templateId })
    expect([big.status, big.body.error.code]).toEqual([413, 'SPREADSHEET_TOO_LARGE'])
    const rows = new TextEncoder().encode('乙方姓名,乙方手机,月薪,入职日期\n' + '张三,13800138000,1,2027-01-01\n'.repeat(5001))
    const many = await upload('/api/bulk-sends/preview', rows, 'many.csv', { templateId })
    expect([many.status, many.body.error.code]).toEqual([413, 'SPREADSHEET_TOO_LARGE'])
    expect(/[A-Za-z]{4,}/.test(many.body.error.message)).toBe(false)
    const jobs = await flow.call('GET', '/api/bulk-sends', undefined, sender.token)
    expect(jobs.body.items).toEqual([])
  })

  it('reads a formula cell of an XLSX as its cached value, never evaluating it', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('名单')
    ws.addRow(['乙方姓名', '乙方手机', '月薪', '入职日期'])
    const row = ws.addRow(['公式人', '13800139999', null, '2027-01-01'])
    // Evaluated, B2*2 would be 27600279998; the file's cached result is 12345.
    row.getCell(3).value = { formula: 'B2*2', result: 12345 } as ExcelJS.CellFormulaValue
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer())
    const r = await upload('/api/bulk-sends/preview', bytes, 'formula.xlsx', { templateId })
    expect(r.status).toBe(200)
    expect(r.body.kind).toBe('xlsx')
    expect(r.body.firstRows[0].cells).toEqual({ 月薪: '12345', 入职日期: '2027-01-01', 乙方姓名: '公式人', 乙方手机: '138****9999' })
  })

  it('parses a 5,000-row XLSX on the CPU pool, not on the event loop that serves requests', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('名单')
    const notes = 50
    ws.addRow(['乙方姓名', '乙方手机', '月薪', '入职日期', ...Array.from({ length: notes }, (_, i) => `备注${i}`)])
    for (let r = 0; r < SPREADSHEET_LIMITS.maxRows; r++) {
      const note = (i: number) => `第${r}行说明${i}`.repeat(6).slice(0, 60)
      ws.addRow([`员工${r}`, `138${String(r).padStart(8, '0')}`, 8000 + r, '2027-01-01', ...Array.from({ length: notes }, (_, i) => note(i))])
    }
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer())
    expect(bytes.length).toBeLessThan(SPREADSHEET_LIMITS.maxBytes)
    // exceljs yields between chunks, so /api/health would still answer with the parse on the event
    // loop: what tells is which thread spends the CPU (Linux: /proc/<pid>/task/<pid> is the main thread).
    const pid = server.child.pid!
    const before = { process: cpuTicks(`/proc/${pid}/stat`), main: cpuTicks(`/proc/${pid}/task/${pid}/stat`) }
    const r = await upload('/api/bulk-sends/preview', bytes, '大名单.xlsx', { templateId })
    const spent = { process: cpuTicks(`/proc/${pid}/stat`) - before.process, main: cpuTicks(`/proc/${pid}/task/${pid}/stat`) - before.main }
    expect(r.status).toBe(200)
    expect([r.body.kind, r.body.totalRows]).toEqual(['xlsx', SPREADSHEET_LIMITS.maxRows])
    expect(spent.main / spent.process).toBeLessThan(0.25)
  })

  it('200 rows with 3 bad ones: preview lists them; the job, killed half-way and restarted, sends 197 once each; the same file again sends nothing', async () => {
    const bytes = new TextEncoder().encode(csv200())
    const preview = await upload('/api/bulk-sends/preview', bytes, '名单.csv', { templateId })
    expect(preview.status).toBe(200)
    expect([preview.body.totalRows, preview.body.validRows, preview.body.invalidRows]).toEqual([200, 197, 3])
    expect(preview.body.problems.map((p: any) => [p.rowNumber, p.problems.map((x: any) => `${x.column}:${x.reason}`)])).toEqual([
      [51, ['乙方手机:PHONE_INVALID']],
      [102, ['乙方姓名:EMPTY_REQUIRED']],
      [153, ['月薪:TOO_LONG']],
    ])
    expect(preview.body.firstRows).toHaveLength(10)
    expect(JSON.stringify(preview.body)).not.toContain(recipient(0).phone)
    expect(await sentContracts()).toHaveLength(0)

    const started = await upload('/api/bulk-sends', bytes, '名单.csv', { templateId, deadline: deadline() })
    expect(started.status).toBe(201)
    const jobId: string = started.body.jobId

    // Half-way: kill -9 once some rows are sent and most are not.
    for (let i = 0; ; i++) {
      const d = await job(jobId)
      if (d.job.counts.sent >= 40) break
      if (d.job.counts.failed > 0 || i > 3000) throw new Error(`the job did not progress: ${JSON.stringify(d.job.counts)} ${JSON.stringify((await job(jobId, '?state=failed&limit=2')).rows)}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    await kill(server)
    server = await start()
    flow = contractFlow(server.app)
    const atRestart = (await job(jobId)).job
    expect(atRestart.counts.sent).toBeLessThan(197)

    let detail: any
    for (let i = 0; ; i++) {
      detail = await job(jobId)
      if (detail.job.status === 'done') break
      if (i > 6000) throw new Error('the job did not finish after the restart')
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(detail.job.counts).toEqual({ total: 200, pending: 0, sent: 197, failed: 0, invalid: 3 })
    const invalid = await job(jobId, '?state=invalid')
    expect(invalid.rows.map((r: any) => [r.rowNumber, r.problems.map((p: any) => p.reason)])).toEqual([
      [51, ['PHONE_INVALID']],
      [102, ['EMPTY_REQUIRED']],
      [153, ['TOO_LONG']],
    ])

    // One sent contract per recipient phone, no duplicates across the kill.
    const sent = await sentContracts()
    expect(sent).toHaveLength(197)
    const perPhone = new Map<string, number>()
    for (const c of sent) {
      const view = await flow.call('GET', `/api/contracts/${c.contractId}`, undefined, sender.token)
      for (const p of view.body.parties as Array<{ name: string; maskedPhone: string }>) if (p.name.startsWith('收件')) perPhone.set(p.maskedPhone, (perPhone.get(p.maskedPhone) ?? 0) + 1)
    }
    expect(perPhone.size).toBe(197)
    expect([...perPhone.values()].every((n) => n === 1)).toBe(true)
    // Every row's contract id is one of them, each once.
    const rowContracts: string[] = []
    let cursor: string | undefined
    do {
      const page = await job(jobId, `?limit=200&state=sent${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      rowContracts.push(...page.rows.map((r: any) => r.contractId))
      cursor = page.next
    } while (cursor)
    expect(new Set(rowContracts).size).toBe(197)
    expect(new Set(sent.map((c) => c.contractId))).toEqual(new Set(rowContracts))

    // The same bytes again: the existing job, nothing sent.
    const again = await upload('/api/bulk-sends', bytes, '名单-副本.csv', { templateId, deadline: deadline() })
    expect([again.status, again.body.jobId]).toEqual([200, jobId])
    const previewAgain = await upload('/api/bulk-sends/preview', bytes, '名单.csv', { templateId })
    expect(previewAgain.body.existingJobId).toBe(jobId)
    await new Promise((r) => setTimeout(r, 1000))
    expect(await sentContracts()).toHaveLength(197)
    const mine = await flow.call('GET', '/api/bulk-sends', undefined, sender.token)
    expect(mine.body.items.map((j: any) => j.jobId)).toEqual([jobId])

    // A few of the produced contracts, signed by their recipient (乙方 signs first; 甲方's field stays empty): pdfsig, qpdf and esign verify judge the PDFs.
    for (const i of [0, 99, 198]) {
      const r = recipient(i)
      const person = await flow.verifiedPerson(r.name, r.phone, 300 + i)
      const contract = sent.find((c) => c.parties.some((p) => p.name === r.name))!
      const view = await flow.call('POST', `/api/contracts/${contract.contractId}/view`, undefined, person.token)
      const partyId = view.body.parties.find((p: any) => p.name === r.name).partyId
      const signed = await flow.sign(person, contract.contractId, partyId)
      expect(signed.status).toBe(200)
      const pdf = await flow.download(sender.token, contract.contractId)
      expectJudgedValid(judgeContractPdf(pdf, { dir: tmp, name: `bulk-${i}`, dataDir }), { signed: 1, fields: 2, completed: false })
    }
  })
})
