/**
 * Contracts end to end over HTTP against the real local server with the sandbox providers
 * (issue 14): every output PDF judged by pdfsig, qpdf --check and esign verify.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(300_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let zhang: Person
let li: Person
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-flow-'))

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  zhang = await flow.verifiedPerson('张明', '13900001001', 1)
  li = await flow.verifiedPerson('李华', '13900001002', 2)
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** `esign verify --json` on the same platform CA (the app's data folder): its report. */
function esignVerify(file: string): { verdict: string; signatures: Array<{ verdict?: string }> } {
  const r = spawnSync('node', [path.resolve('bin/esign.js'), 'verify', file, '--json'], { env: { ...process.env, ESIGN_DATA_DIR: app.dataDir }, encoding: 'utf8', timeout: 60_000 })
  return JSON.parse(r.stdout)
}

/** pdfsig's verdict per signature (poppler cannot validate a document time-stamp: it is not counted valid), qpdf's structural check, and esign verify's verdict. */
function judge(pdf: Buffer, name: string): { signatures: number; valid: number; esign: string } {
  const file = path.join(tmp, `${name}.pdf`)
  fs.writeFileSync(file, pdf)
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' })
  let out = ''
  try {
    out = execFileSync('pdfsig', [file], { encoding: 'utf8' })
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '')
  }
  return { signatures: (out.match(/^Signature #\d+:/gm) ?? []).length, valid: (out.match(/Signature Validation: Signature is Valid\./g) ?? []).length, esign: esignVerify(file).verdict }
}

describe('two persons in sequence', () => {
  it('create → send → A signs → B signs → completed; every revision judged valid', async () => {
    const { call } = flow
    const documentId = await flow.upload(zhang.token, await makePdf('Two-party contract', 2))
    const created = await call('POST', '/api/contracts', {
      title: '房屋租赁合同',
      documentId,
      parties: [
        { partyId: 'A', role: 'signer', kind: 'person', name: zhang.name, phone: zhang.phone },
        { partyId: 'B', role: 'signer', kind: 'person', name: li.name, phone: li.phone },
      ],
      order: [['A'], ['B']],
      fields: [
        { fieldId: 'sa', partyId: 'A', kind: 'signature', page: 1, rect: slot(0) },
        { fieldId: 'sb', partyId: 'B', kind: 'signature', page: 1, rect: slot(1) },
        { fieldId: 'db', partyId: 'B', kind: 'date', page: 1, rect: slot(1, 160) },
        { fieldId: 'tb', partyId: 'B', kind: 'text', required: true, maxLength: 20, label: '联系地址', page: 1, rect: slot(2, 160) },
      ],
      deadline: new Date(Date.now() + 7 * 86400_000).toISOString(),
    }, zhang.token)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ status: 'draft', me: { partyId: 'A', isSender: true, canSend: true } })
    // A draft shows the upload's page sizes, so fields can be placed before it is sent.
    expect(created.body.pages).toEqual([
      { width: 595, height: 842 },
      { width: 595, height: 842 },
    ])
    expect(JSON.stringify(created.body)).not.toContain(li.phone)
    const id = created.body.contractId

    const sent = await call('POST', `/api/contracts/${id}/send`, undefined, zhang.token)
    expect(sent.status).toBe(200)
    expect(sent.body).toMatchObject({ status: 'sent', document: { preparedSha256: expect.stringMatching(/^[0-9a-f]{64}$/) } })
    expect(sent.body.parties.map((p: { status: string }) => p.status)).toEqual(['notified', 'pending'])

    // B is not in turn yet.
    const early = await call('POST', `/api/contracts/${id}/sign`, { intentProofId: 'none', signatureId: 'none', values: { tb: '北京市' } }, li.token)
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('NOT_YOUR_TURN')

    const a = await flow.sign(zhang, id, 'A')
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ status: 'signed', contract: { status: 'sent' } })
    // The signed field and B's empty one; esign verify: the signature valid, nothing disallowed changed.
    expect(judge(await flow.download(zhang.token, id), 'after-a')).toEqual({ signatures: 2, valid: 1, esign: 'valid' })

    const b = await flow.sign(li, id, 'B', { values: { tb: '北京市海淀区' } })
    expect(b.status).toBe(200)
    expect(b.body.contract.status).toBe('completed')
    expect(b.body.contract.values).toMatchObject({ tb: '北京市海淀区', db: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    const final = await flow.download(li.token, id)
    // Two signatures and the document time-stamp of the completion revision.
    expect(judge(final, 'completed')).toEqual({ signatures: 3, valid: 2, esign: 'valid' })
  })
})
