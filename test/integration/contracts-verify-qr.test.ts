/**
 * The QR code and contract number the server puts on every page when a contract is sent (issue 17):
 * read back from the completed contract the API serves — jsQR on each page as pdftoppm renders it
 * gives the configured public verify page of this contract, pdftotext finds 合同编号 — and the
 * contract, signed after the stamp, is judged valid by pdfsig, qpdf and esign verify.
 */
import fs from 'node:fs'
import path from 'node:path'
import jsQR from 'jsqr'
import { contractFlow, slot } from '../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { pdftotext, renderPage, requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(600_000)

let app: TestApp
const tmp = tempDir('contracts-verify-qr-')

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf', 'pdftoppm', 'pdftotext')
  app = await startTestApp()
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

it('every page of a sent contract carries a QR code to its verify page and its number; the signed contract verifies', async () => {
  const flow = contractFlow(app)
  const s = await flow.verifiedPerson('秦验证', '13900007001', 71)
  const documentId = await flow.upload(s.token, await makePdf('QR on every page', 2))
  const created = await flow.call('POST', '/api/contracts', {
    title: '服务协议',
    documentId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: s.name, phone: s.phone }],
    order: [['A']],
    fields: [{ fieldId: 'sa', partyId: 'A', kind: 'signature', page: 1, rect: slot(0) }],
    deadline: new Date(Date.now() + 3 * 86400_000).toISOString(),
  }, s.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  const id = created.body.contractId as string
  expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, s.token)).status).toBe(200)
  const signed = await flow.sign(s, id, 'A')
  expect(signed.body.contract.status).toBe('completed')

  const pdf = await flow.download(s.token, id)
  const file = path.join(tmp, 'completed.pdf')
  fs.writeFileSync(file, pdf)
  const expected = `${app.deps.config.publicBaseUrl.replace(/\/+$/, '')}/#/packages/verification/pages/index?contract=${encodeURIComponent(id)}`
  for (const page of [1, 2]) {
    const png = renderPage(file, page, 150, tmp)
    const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)
    expect(code?.data).toBe(expected)
    expect(pdftotext(file, page)).toContain(`合同编号 ${id}`)
  }
  expectJudgedValid(judgeContractPdf(pdf, { dir: tmp, name: 'qr-completed', dataDir: app.dataDir }), { signed: 1, completed: true })
})
