/**
 * The report's two font subsets: the characters of its own wording (REPORT_COMMON_TEXT) come from a
 * subset built once per font and shared by every report, names and titles from a small subset of the
 * report's own. Judged by poppler: pdffonts (both embedded), pdftotext (the text reads as written
 * where the runs switch font), qpdf --check.
 */
import fs from 'node:fs'
import path from 'node:path'
import { loadNotoSansSc } from '../../../cloud-functions/adapters/local/noto-sans-sc-font'
import { EVIDENCE_EVENT_TYPES } from '../../../cloud-functions/core/evidence/evidence-event'
import { evidenceReportDocument, REPORT_COMMON_TEXT, type EvidenceReportData } from '../../../cloud-functions/core/evidence/evidence-report'
import type { EvidenceRecord } from '../../../cloud-functions/core/evidence/hash-chain'
import { renderReportPdf, type ReportDocument } from '../../../cloud-functions/core/evidence/report-pdf'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { PdfName, PdfStream } from '../../../cloud-functions/core/pdf/pdf-objects'
import { pdftotext, qpdfCheck, requireTools, run, tempDir } from '../../support/pdf-tools'

const font = loadNotoSansSc()
const tmp = tempDir('report-pdf-')
beforeAll(() => requireTools('pdffonts', 'pdftotext', 'qpdf'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const hash = (c: string): string => c.repeat(64)
function reportData(o: { title: string; sender: string; signer: string }): EvidenceReportData {
  const at = '2026-12-06T05:14:06.000Z'
  return {
    reportId: 'ER06H4KHGHHN2GZ90C2JBH97JRXR',
    generatedAt: new Date('2026-12-06T05:14:07.000Z'),
    platformName: '签约电子签约平台',
    verifyUrl: 'https://qianyue.example/#/packages/verification/pages/index?contract=06H4KHGE840ZW84EZCT4HNFC70',
    contract: { contractId: '06H4KHGE840ZW84EZCT4HNFC70', title: o.title, status: 'completed', senderName: o.sender, createdAt: at, sentAt: at, completedAt: at, deadline: at },
    revisions: [
      { label: '上传的原始文件', sha256: hash('a') },
      { label: `${o.signer} 签署后`, sha256: hash('b') },
    ],
    parties: [{ label: o.signer, kind: 'person', identity: `${o.signer}（身份证 1101**********0082，手机 139****0008）`, verification: '姓名、身份证号与手机号核验，人脸识别（2026-12-06 13:14）', intent: '短信验证码（2026-12-06 13:14）', signedAt: at }],
    certificates: [{ role: '签署（事件证书）', subject: `CN=${o.signer}, C=CN`, serialNumber: '6eaa23b2d3e6f011cc711ee87621e496', notBefore: at, notAfter: at, issuer: 'Qianyue Signing CA 1' }],
    // One record of every event type (their data as the report prints it: key=value lines).
    events: [...EVIDENCE_EVENT_TYPES].map((type, i) => ({ seq: i + 1, prevHash: hash('0'), at, type, data: { contractId: '06H4KHGE840ZW84EZCT4HNFC70', partyId: 'A' }, hash: hash('c') }) as unknown as EvidenceRecord),
    checkpoints: [],
    finalSha256: hash('d'),
  }
}

/** The FontFile2 stream bytes of every font in the file, in object-number order (the shared subset is written first). */
function fontPrograms(bytes: Uint8Array): Buffer[] {
  const reader = PdfReader.open(bytes)
  const out: Buffer[] = []
  for (const num of [...reader.objectNumbers()].sort((x, y) => x - y)) {
    const d = reader.dictAt(reader.getObject(num))
    const type = d?.get('Type')
    if (!(type instanceof PdfName) || type.name !== 'FontDescriptor') continue
    const file = reader.resolve(d!.get('FontFile2'))
    if (file instanceof PdfStream) out.push(Buffer.from(file.raw()))
  }
  return out
}

it('every character of the wording (every event type\'s name too) is in REPORT_COMMON_TEXT: only names and titles go into the report\'s own subset', () => {
  const doc = evidenceReportDocument(reportData({ title: 'Purchase', sender: 'Zhang', signer: 'Li' }))
  const texts = [doc.title, doc.subtitle ?? '', doc.statement ?? '', doc.footer, doc.qr?.caption ?? '', ...doc.cover.flat()]
  for (const b of doc.blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') texts.push(b.text)
    else if (b.kind === 'pairs') texts.push(...b.rows.flat())
    else texts.push(...b.columns.map((c) => c.title), ...b.rows.flat(), b.empty ?? '')
  }
  texts.push('第 1 页 / 共 2 页')
  const missing = [...new Set(texts.join('').replace(/\n/g, ''))].filter((ch) => !REPORT_COMMON_TEXT.includes(ch))
  expect(missing).toEqual([])
})

it('draws the wording from the shared subset and names from the report\'s own; poppler reads the text as written', async () => {
  const docs = [
    evidenceReportDocument(reportData({ title: '设备采购合同', sender: '郑报告', signer: '钱证据' })),
    evidenceReportDocument(reportData({ title: '房屋租赁合同', sender: '冯甲子', signer: '陈乙丑' })),
  ]
  const files = await Promise.all(docs.map((d) => renderReportPdf(d, font)))
  const programs = files.map(fontPrograms)
  for (const [i, bytes] of files.entries()) {
    const file = path.join(tmp, `report-${i}.pdf`)
    fs.writeFileSync(file, bytes)
    expect(qpdfCheck(file).ok).toBe(true)
    const fonts = run('pdffonts', [file]).split('\n').slice(2).filter((l) => l.trim())
    expect(fonts).toHaveLength(2)
    for (const line of fonts) expect(line).toMatch(/NotoSansSC\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
    const flat = pdftotext(file).replace(/\s+/g, '')
    const [title, sender, signer] = i === 0 ? ['设备采购合同', '郑报告', '钱证据'] : ['房屋租赁合同', '冯甲子', '陈乙丑']
    // Names next to wording switch subsets within one line (钱证据（身份证…): the text still reads whole.
    for (const t of ['电子合同证据报告', title, `发起方${sender}`, `${signer}（身份证1101**********0082`, `CN=${signer},C=CN`, '创建合同', '催办提醒', '扫码验证本合同', '第1页/共4页']) expect(flat).toContain(t)
  }
  // The shared subset is the same program in both files; each file's own subset differs (its names).
  const [common0, own0] = programs[0]!
  const [common1, own1] = programs[1]!
  expect(common0!.equals(common1!)).toBe(true)
  expect(own0!.equals(own1!)).toBe(false)
  expect(own0!.length).toBeLessThan(common0!.length / 4)
  // Deterministic: the same document gives the same bytes (the shared subset's kept parts change nothing).
  expect(Buffer.from(await renderReportPdf(docs[0]!, font)).equals(Buffer.from(files[0]!))).toBe(true)
})

it('without a common text, one subset of the document\'s own draws everything', async () => {
  const doc: ReportDocument = { ...evidenceReportDocument(reportData({ title: '设备采购合同', sender: '郑报告', signer: '钱证据' })), commonText: undefined }
  const file = path.join(tmp, 'report-one-font.pdf')
  fs.writeFileSync(file, await renderReportPdf(doc, font))
  expect(run('pdffonts', [file]).split('\n').slice(2).filter((l) => l.trim())).toHaveLength(1)
  const flat = pdftotext(file).replace(/\s+/g, '')
  for (const t of ['电子合同证据报告', '设备采购合同', '郑报告', '钱证据']) expect(flat).toContain(t)
})

it('a text whose characters are all common, or all its own, or none', async () => {
  const doc: ReportDocument = {
    title: '报告',
    cover: [['合同编号', '']],
    blocks: [{ kind: 'paragraph', text: '璇' }, { kind: 'paragraph', text: '合同璇玑合同' }],
    footer: 'F',
    info: {},
    createdAt: new Date('2026-12-06T00:00:00Z'),
    commonText: '报告合同编号F第页共 0123456789/',
  }
  const file = path.join(tmp, 'report-runs.pdf')
  fs.writeFileSync(file, await renderReportPdf(doc, font))
  expect(qpdfCheck(file).ok).toBe(true)
  const flat = pdftotext(file).replace(/\s+/g, '')
  expect(flat).toContain('璇')
  expect(flat).toContain('合同璇玑合同')
})
