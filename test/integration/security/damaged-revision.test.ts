/**
 * Issue 19, regression of the 10,000-case fuzz run (case 6216: two signed files spliced): a file
 * that preparation accepted, whose revision then held an object the signing step could not parse,
 * was a 500 (`PdfSyntaxError` thrown out of the sign task). The same situation made on purpose: a
 * sent contract's stored revision gets an incremental update whose `/AcroForm` object does not
 * parse. Signing answers `NOT_A_PDF` (4xx, Chinese message, no stack trace), nothing is recorded,
 * and the server keeps answering.
 */
import { randomUUID } from 'node:crypto'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { PdfRef } from '../../../cloud-functions/core/pdf/pdf-objects'
import { loadContractItem, revisionObjectKey } from '../../../cloud-functions/use-cases/contracts/records'
import { contractFlow } from '../../support/contract-flow'
import { startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(180_000)

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(() => app.stop())

/** `bytes` plus one classic incremental update that redefines object `num` as `body`. */
function appendObject(bytes: Uint8Array, num: number, body: string): Buffer {
  const reader = PdfReader.open(bytes)
  const head = Buffer.from(bytes)
  const objectAt = head.length + 1
  const object = `\n${num} 0 obj\n${body}\nendobj\n`
  const xrefAt = head.length + Buffer.byteLength(object, 'latin1')
  const root = reader.rootRef
  const tail =
    `xref\n0 1\n0000000000 65535 f \n${num} 1\n${String(objectAt).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${Math.max(reader.size, num + 1)} /Root ${root.num} ${root.gen} R /Prev ${reader.startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`
  return Buffer.concat([head, Buffer.from(object + tail, 'latin1')])
}

it('a revision whose form object does not parse: signing is NOT_A_PDF, nothing recorded, the server still answers', async () => {
  const flow = contractFlow(app)
  const sender = await flow.verifiedPerson('沈损坏', '13900006216', 6216)
  const signer = await flow.verifiedPerson('签损坏', '13900016216', 16216)
  const id = await flow.sendToPersons(sender, [signer], { order: [['A']], title: '损坏的修订版本', deadline: new Date(Date.now() + 7 * 86400_000) })

  // Damage the stored prepared revision in place: its /AcroForm object becomes an unterminated array.
  const before = (await loadContractItem(app.deps.metadata, id))!
  const latest = before.contract.document.latestSha256!
  const key = revisionObjectKey(id, latest)
  const prepared = (await app.deps.objects.get(key))!
  const form = PdfReader.open(prepared).catalog().get('AcroForm')
  expect(form).toBeInstanceOf(PdfRef)
  await app.deps.objects.put(key, appendObject(prepared, (form as PdfRef).num, '<< /Fields [ 1 0 R'), { contentType: 'application/pdf' })

  const proof = await flow.confirmIntent(signer, id, 'A')
  const signatureId = await flow.personalSeal(signer)
  const signed = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: proof, signatureId, values: {} }, signer.token, { 'idempotency-key': randomUUID() })
  expect([signed.status, signed.body.error?.code]).toEqual([400, 'NOT_A_PDF'])
  expect(signed.body.error.message).toMatch(/[\u4e00-\u9fff]/)
  expect(JSON.stringify(signed.body)).not.toMatch(/at .*\.(js|ts):\d+|PdfSyntaxError/)

  const after = (await loadContractItem(app.deps.metadata, id))!
  expect(after.contract.signers.A!.status).not.toBe('signed')
  expect(after.contract.document.latestSha256).toBe(latest)
  expect((await fetch(`${app.url}/api/health`)).status).toBe(200)
})
