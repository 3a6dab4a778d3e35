/**
 * The 证据报告 of a completed contract (issue 17): generated at completion, served by
 * `GET /api/contracts/{id}/evidence/report` to the contract's people only once it is completed, and
 * judged by poppler — `pdfsig` (the platform's signature valid, covering the whole file),
 * `pdftotext` (the Chinese text: sections, the contract, masked identities, every event hash,
 * 尚无检查点), `pdffonts` (every font embedded) — and by `esign verify` (valid, trusted); the QR code
 * on its title page decodes to the contract's verify page.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import jsQR from 'jsqr'
import { createHash, X509Certificate } from 'node:crypto'
import { getPkiServices } from '../../cloud-functions/runtime/services'
import { contractKey, revisionObjectKey } from '../../cloud-functions/use-cases/contracts/records'
import { evidencePartition, evidenceReportKey, SEQ_PREFIX } from '../../cloud-functions/use-cases/evidence/records'
import { DAILY_CERTIFICATE_VALIDITY_MS, dailyCertificates } from '../../cloud-functions/use-cases/pki/issue-recorded-event-certificate'
import { certificateKey, getCertificateRecord } from '../../cloud-functions/use-cases/pki/records'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { pdfsig, pdftotext, renderPage, requireTools, tempDir } from '../support/pdf-tools'

jest.setTimeout(600_000)

let app: TestApp
const tmp = tempDir('evidence-report-')

beforeAll(async () => {
  requireTools('pdfsig', 'pdftotext', 'pdffonts', 'pdftoppm')
  app = await startTestApp()
})
afterAll(async () => {
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function sentContract(flow: ReturnType<typeof contractFlow>, s: Person, other: Person, title: string): Promise<string> {
  const documentId = await flow.upload(s.token, await makePdf('Equipment purchase', 2))
  const created = await flow.call('POST', '/api/contracts', {
    title,
    documentId,
    parties: [
      { partyId: 'A', role: 'signer', kind: 'person', name: s.name, phone: s.phone },
      { partyId: 'B', role: 'signer', kind: 'person', name: other.name, phone: other.phone },
    ],
    order: [['A'], ['B']],
    fields: [
      { fieldId: 'sa', partyId: 'A', kind: 'signature', page: 1, rect: slot(0) },
      { fieldId: 'sb', partyId: 'B', kind: 'signature', page: 1, rect: slot(1) },
    ],
    deadline: new Date(Date.now() + 3 * 86400_000).toISOString(),
  }, s.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  const id = created.body.contractId as string
  expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, s.token)).status).toBe(200)
  return id
}

it('a completed contract has a signed report in Chinese: valid for pdfsig and esign verify, text and embedded fonts, QR to the verify page', async () => {
  const flow = contractFlow(app)
  const s = await flow.verifiedPerson('郑报告', '13900008101', 81)
  const b = await flow.verifiedPerson('钱证据', '13900008102', 82)
  const outsider = await flow.verifiedPerson('孙旁人', '13900008103', 83)
  const id = await sentContract(flow, s, b, '设备采购合同')

  // Not completed yet: its people are told so; outsiders see no contract.
  const early = await flow.call('GET', `/api/contracts/${id}/evidence/report`, undefined, s.token)
  expect([early.status, early.body.error?.code]).toEqual([409, 'CONTRACT_NOT_COMPLETED'])
  expect((await flow.call('GET', `/api/contracts/${id}/evidence/report`, undefined, outsider.token)).status).toBe(404)

  expect((await flow.sign(s, id, 'A')).body.status).toBe('signed')
  const last = await flow.sign(b, id, 'B')
  expect(last.body.contract.status).toBe('completed')

  // Generated at completion, right after the completing sign call answered: the record appears before anyone asks.
  let stored = await app.deps.metadata.get(evidencePartition(id), 'REPORT')
  for (let i = 0; i < 300 && !stored; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    stored = await app.deps.metadata.get(evidencePartition(id), 'REPORT')
  }
  expect(stored?.type).toBe('evidence-report')

  const res = await fetch(`${app.url}/api/contracts/${id}/evidence/report`, { headers: { authorization: `Bearer ${b.token}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/pdf')
  expect(res.headers.get('etag')).toBe(`"${stored?.sha256}"`)
  const report = Buffer.from(await res.arrayBuffer())
  const again = await fetch(`${app.url}/api/contracts/${id}/evidence/report`, { headers: { authorization: `Bearer ${s.token}` } })
  expect(Buffer.from(await again.arrayBuffer()).equals(report)).toBe(true)
  expect((await flow.call('GET', `/api/contracts/${id}/evidence/report`, undefined, outsider.token)).status).toBe(404)

  const file = path.join(tmp, 'report.pdf')
  fs.writeFileSync(file, report)
  // pdfsig: one signature, valid, over the whole file.
  const sig = pdfsig(file).signatures
  expect(sig.map((x) => [x.valid, x.totalDocumentSigned, x.commonName])).toEqual([[true, true, '签约电子签约平台']])
  // esign verify: valid and trusted (the platform root of the app's data folder).
  const verified = spawnSync('node', [path.resolve('bin/esign.js'), 'verify', file, '--json'], { env: { ...process.env, ESIGN_DATA_DIR: app.dataDir }, encoding: 'utf8', timeout: 120_000 })
  expect([verified.status, JSON.parse(verified.stdout).verdict]).toEqual([0, 'valid'])
  // pdffonts: every font embedded (yes in the emb column).
  const fonts = spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout.split('\n').slice(2).filter((l) => l.trim())
  expect(fonts.length).toBeGreaterThan(0)
  for (const line of fonts) expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)

  // pdftotext: the Chinese text is there — title page, sections, the parties masked, every event's hash.
  // pdftotext breaks table cells into lines and drops the spaces between CJK and Latin text: compare without white space.
  const text = pdftotext(file)
  const flat = text.replace(/\s+/g, '')
  for (const t of ['电子合同证据报告', '设备采购合同', id, '合同概要', '文件版本与哈希', '签署方身份与认证', '数字证书', '证据链时间线', '存证检查点', '尚无检查点', '郑报告', '钱证据', '短信验证码', '人脸识别', '139****8101', '扫码验证本合同']) {
    expect(flat).toContain(t)
  }
  expect(flat).not.toContain('13900008101')
  expect(flat).not.toContain(s.idNumber)
  expect(flat).toContain(`${s.idNumber.slice(0, 4)}**********${s.idNumber.slice(-4)}`)
  const chain = await app.deps.metadata.query(evidencePartition(id), { skPrefix: SEQ_PREFIX })
  expect(chain.items.length).toBeGreaterThan(2)
  // Each event's hash wraps in its narrow cell, whose lines pdftotext interleaves with the next cells': its first line is whole.
  const hashes = chain.items.map((item) => (item.record as { hash: string }).hash)
  for (const h of hashes) expect(flat).toContain(h.slice(0, 20))
  expect(flat).toContain(`共${hashes.length}条记录，链尾哈希${hashes[hashes.length - 1]}`)
  // 数字证书: exactly the certificates on the paths of the contract's signatures and time-stamp as
  // `esign verify` finds them in the final PDF (two signers' event certificates, the issuing CA, the root, the TSA; a serial wraps in its narrow cell: its first 16 characters are whole).
  const contractFile = path.join(tmp, 'contract.pdf')
  fs.writeFileSync(contractFile, await flow.download(s.token, id))
  const contractReport = spawnSync('node', [path.resolve('bin/esign.js'), 'verify', contractFile, '--json'], { env: { ...process.env, ESIGN_DATA_DIR: app.dataDir }, encoding: 'utf8', timeout: 120_000 })
  const contractVerdict = JSON.parse(contractReport.stdout) as { verdict: string; signatures: Array<{ kind: string; chain: Array<{ serialNumber: string; sha256: string }> }> }
  expect(contractVerdict.verdict).toBe('valid')
  expect(contractVerdict.signatures.map((x) => x.kind)).toEqual(['approval', 'approval', 'document-timestamp'])
  const onPaths = new Map(contractVerdict.signatures.flatMap((x) => x.chain.map((c) => [c.sha256, c.serialNumber] as const)))
  expect(onPaths.size).toBe(5)
  for (const serial of onPaths.values()) expect(flat).toContain(serial.replace(/\s+/g, '').slice(0, 16))
  const total = /共(\d+)页/.exec(flat)?.[1]
  expect(Number(total)).toBeGreaterThan(1)
  for (let n = 1; n <= Number(total); n++) expect(flat).toContain(`第${n}页/共${total}页`)

  // The QR code on the title page decodes to this contract's verify page.
  const png = renderPage(file, 1, 150, tmp)
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)
  expect(code?.data).toBe(`${app.deps.config.publicBaseUrl.replace(/\/+$/, '')}/#/packages/verification/pages/index?contract=${encodeURIComponent(id)}`)
})

it("a signer's certificate missing from the registry: the report lists the final PDF's verified paths instead, and needs that PDF", async () => {
  const flow = contractFlow(app)
  const s = await flow.verifiedPerson('冯登记', '13900008104', 84)
  const b = await flow.verifiedPerson('褚缺失', '13900008105', 85)
  const id = await sentContract(flow, s, b, '仓储服务合同')
  expect((await flow.sign(s, id, 'A')).body.status).toBe('signed')
  expect((await flow.sign(b, id, 'B')).body.contract.status).toBe('completed')
  const reportKey = evidenceReportKey(id)
  for (let i = 0; i < 300 && !(await app.deps.metadata.get(reportKey.pk, reportKey.sk)); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  expect((await app.deps.metadata.get(reportKey.pk, reportKey.sk))?.type).toBe('evidence-report')

  // The registry loses the signers' certificates (as the chain names them), and the report is made again on request.
  const chain = await app.deps.metadata.query(evidencePartition(id), { skPrefix: SEQ_PREFIX })
  const serials = chain.items.map((item) => item.record as { type: string; data: { certificateSerial?: string } }).filter((r) => r.type === 'party.signed').map((r) => r.data.certificateSerial!)
  expect(serials).toHaveLength(2)
  for (const serial of serials) {
    for (const form of [serial, `00${serial}`]) await app.deps.metadata.delete(certificateKey(form.toUpperCase()).pk, certificateKey(form.toUpperCase()).sk)
    expect(await getCertificateRecord(app.deps.metadata, serial)).toBeUndefined()
  }
  await app.deps.metadata.delete(reportKey.pk, reportKey.sk)
  const res = await fetch(`${app.url}/api/contracts/${id}/evidence/report`, { headers: { authorization: `Bearer ${s.token}` } })
  expect(res.status).toBe(200)
  const file = path.join(tmp, 'report-from-pdf.pdf')
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))
  expect(pdfsig(file).signatures.map((x) => x.valid)).toEqual([true])
  // Its certificate rows are the paths esign verify finds in the final PDF: the two signers' certificates, the CA, the root, the TSA.
  const contractFile = path.join(tmp, 'contract-unregistered.pdf')
  fs.writeFileSync(contractFile, await flow.download(s.token, id))
  const verdict = JSON.parse(spawnSync('node', [path.resolve('bin/esign.js'), 'verify', contractFile, '--json'], { env: { ...process.env, ESIGN_DATA_DIR: app.dataDir }, encoding: 'utf8', timeout: 120_000 }).stdout) as { signatures: Array<{ chain: Array<{ serialNumber: string; sha256: string }> }> }
  const onPaths = new Map(verdict.signatures.flatMap((x) => x.chain.map((c) => [c.sha256, c.serialNumber] as const)))
  expect(onPaths.size).toBe(5)
  const flat = pdftotext(file).replace(/\s+/g, '')
  for (const serial of onPaths.values()) expect(flat).toContain(serial.replace(/\s+/g, '').slice(0, 16))

  // Without the final revision's bytes, that report cannot be made: the request fails as the platform's fault, and no report is recorded.
  const item = (await app.deps.metadata.get(contractKey(id).pk, contractKey(id).sk)) as { finalSha256?: string }
  await app.deps.objects.delete(revisionObjectKey(id, item.finalSha256!))
  await app.deps.metadata.delete(reportKey.pk, reportKey.sk)
  const failed = await flow.call('GET', `/api/contracts/${id}/evidence/report`, undefined, s.token)
  expect(failed.status).toBe(500)
  expect(await app.deps.metadata.get(reportKey.pk, reportKey.sk)).toBeUndefined()
})

it('reports are signed with the platform certificate of the day: one recorded certificate and key a day, reused, a new one the next day', async () => {
  const { ca, dailyCertificate } = await getPkiServices(app.deps)
  const request = { name: '签约电子签约平台', organization: '签约电子签约平台' }
  const first = await dailyCertificate(request)
  expect((await dailyCertificate(request)).certificateDer).toEqual(first.certificateDer)
  // The report made in the first test was signed with it (same process, same day).
  const reportCms = spawnSync('pdfsig', ['-dump', path.join(tmp, 'report.pdf')], { cwd: tmp, encoding: 'utf8' })
  expect(reportCms.status).toBe(0)
  const cms = fs.readFileSync(path.join(tmp, 'report.pdf.sig0'))
  expect(cms.includes(Buffer.from(first.certificateDer))).toBe(true)
  // Recorded in the registry (OCSP answers good), valid two days, its key signs more than once.
  const cert = new X509Certificate(first.certificateDer)
  const record = await getCertificateRecord(app.deps.metadata, cert.serialNumber)
  expect(record?.kind).toBe('event')
  expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBeGreaterThanOrEqual(DAILY_CERTIFICATE_VALIDITY_MS - 1000)
  const digest = createHash('sha256').update('two reports').digest()
  await first.signer.sign(digest)
  await first.signer.sign(digest)
  // Another day (or a clock set back before it was issued): a new certificate.
  let now = new Date('2030-05-01T01:00:00Z')
  const daily = dailyCertificates({ metadata: app.deps.metadata, clock: { now: () => now } }, ca)
  const may1 = await daily(request)
  now = new Date('2030-05-01T23:00:00Z')
  expect((await daily(request)).certificateDer).toEqual(may1.certificateDer)
  now = new Date('2030-05-02T00:00:01Z')
  const may2 = await daily(request)
  expect(may2.certificateDer).not.toEqual(may1.certificateDer)
  now = new Date('2030-05-01T22:00:00Z')
  const back = await daily(request)
  expect([may1.certificateDer, may2.certificateDer]).not.toContainEqual(back.certificateDer)
  now = new Date('2030-05-01T00:30:00Z')
  expect(back.certificateDer).not.toEqual((await daily(request)).certificateDer)
})
