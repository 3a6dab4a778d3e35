import { createHash } from 'node:crypto'
import type { EvidenceEvent } from '../../../cloud-functions/core/evidence/evidence-event'
import { chainEvent, evidenceRecordHash, type EvidenceRecord } from '../../../cloud-functions/core/evidence/hash-chain'
import { prepareEvidenceReport, type EvidenceReportInput } from '../../../cloud-functions/core/evidence/prepare-evidence-report'
import type { ReportDocument } from '../../../cloud-functions/core/evidence/report-pdf'
import { createCaHierarchy, type CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { Certificate } from '../../../cloud-functions/core/verification/certificate'

/**
 * What the CPU pool checks before it draws a 证据报告 (`prepareEvidenceReport`): the chain's hashes
 * and this contract's records only; each signer's certificate and the TSA's chained to the platform
 * root, listed leaf first and each once; a certificate from elsewhere answers CERTIFICATE_PATH_UNKNOWN
 * (the caller then lists the final PDF's verified paths, which it passes as rows).
 */
const NOW = new Date('2026-06-01T04:00:00Z')
const BASE_URL = 'https://esign.test.invalid'
const hex = (s: string) => createHash('sha256').update(s).digest('hex')

let ca: CaHierarchy
let other: CaHierarchy
let signers: Uint8Array[]
beforeAll(async () => {
  ca = await createCaHierarchy({ now: NOW, baseUrl: BASE_URL })
  other = await createCaHierarchy({ now: NOW, baseUrl: BASE_URL })
  signers = await Promise.all(['张三', '李四'].map(async (name) => (await issueEventCertificate({ name, contractId: 'C-1', issuer: ca.issuing, baseUrl: BASE_URL, now: NOW })).certificateDer))
})

const serialOf = (der: Uint8Array) => Certificate.tryParse(der)!.describe().serialNumber
const chainFor = (contractId = 'C-1'): EvidenceRecord[] => {
  const events: EvidenceEvent[] = [
    { type: 'contract.sent', data: { contractId, documentHash: hex('prepared') } },
    { type: 'party.signed', data: { contractId, partyId: 'A', documentHash: hex('a'), certificateSerial: serialOf(signers[0]!) } },
    { type: 'party.signed', data: { contractId, partyId: 'B', documentHash: hex('b'), certificateSerial: serialOf(signers[1]!) } },
  ]
  const records: EvidenceRecord[] = []
  for (const [i, e] of events.entries()) records.push(chainEvent(records.at(-1), e, new Date(NOW.getTime() + i * 1000)))
  return records
}
const input = (over: Partial<EvidenceReportInput> = {}): EvidenceReportInput => ({
  contractId: 'C-1',
  records: chainFor(),
  data: {
    reportId: 'ER1',
    generatedAt: NOW,
    platformName: '签约平台',
    verifyUrl: `${BASE_URL}/verify/C-1`,
    contract: { contractId: 'C-1', title: '租赁合同', status: 'completed', senderName: '张三', createdAt: NOW.toISOString(), deadline: NOW.toISOString() },
    revisions: [{ label: '上传的原始文件', sha256: hex('original') }],
    parties: [],
    checkpoints: [],
    finalSha256: hex('final'),
  },
  certificates: { signers, issuing: ca.issuing.certificateDer, root: ca.root.certificateDer, tsa: ca.tsa.certificateDer },
  ...over,
})
const tableRows = (doc: ReportDocument, title: string): string[][] => {
  const i = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text.includes(title))
  const table = doc.blocks.slice(i + 1).find((b) => b.kind === 'table') as Extract<ReportDocument['blocks'][number], { kind: 'table' }>
  return table.rows
}

it('a verified chain and certificates that chain to the root: the document lists each path once, leaf first, and every event', () => {
  const prepared = prepareEvidenceReport(input())
  if (!prepared.ok) throw new Error(prepared.error.message)
  const rows = tableRows(prepared.value, '数字证书')
  // Two signers' leaves, their issuing CA and root once, then the TSA (its CA and root already listed).
  expect(rows.map((r) => r[0])).toEqual(['签署（事件证书）', 'CA 证书', '根证书', '签署（事件证书）', '时间戳（TSA）'])
  expect(rows[0]!.join(' ')).toContain(serialOf(signers[0]!))
  expect(rows[3]!.join(' ')).toContain(serialOf(signers[1]!))
  expect(JSON.stringify(prepared.value)).toContain(chainFor()[2]!.hash)
})

it('a record changed after the fact, or one of another contract, is EVIDENCE_CHAIN_BROKEN with the place and the reason', () => {
  const records = chainFor()
  const edited = records.map((r, i) => (i === 1 ? { ...r, at: new Date(NOW.getTime() + 999).toISOString() } : r))
  expect(prepareEvidenceReport(input({ records: edited }))).toMatchObject({ ok: false, error: { code: 'EVIDENCE_CHAIN_BROKEN', details: { seq: 2, reason: 'hash-mismatch' } } })
  // Re-hashed to hide the edit: the next record's link breaks.
  const rehashed = edited.map((r, i) => (i === 1 ? { ...r, hash: evidenceRecordHash(r) } : r))
  expect(prepareEvidenceReport(input({ records: rehashed }))).toMatchObject({ ok: false, error: { details: { seq: 3, reason: 'prev-hash-mismatch' } } })
  expect(prepareEvidenceReport(input({ records: chainFor('C-2') }))).toMatchObject({ ok: false, error: { details: { seq: 1, reason: 'wrong-contract' } } })
})

it('a signer certificate from another CA, or a TSA certificate that does not chain, is CERTIFICATE_PATH_UNKNOWN; rows given by the caller are listed as given', async () => {
  const foreign = (await issueEventCertificate({ name: '王五', contractId: 'C-1', issuer: other.issuing, baseUrl: BASE_URL, now: NOW })).certificateDer
  expect(prepareEvidenceReport(input({ certificates: { signers: [signers[0]!, foreign], issuing: ca.issuing.certificateDer, root: ca.root.certificateDer, tsa: ca.tsa.certificateDer } }))).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_PATH_UNKNOWN' } })
  expect(prepareEvidenceReport(input({ certificates: { signers, issuing: ca.issuing.certificateDer, root: ca.root.certificateDer, tsa: other.tsa.certificateDer } }))).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_PATH_UNKNOWN' } })
  // A root that is not the platform's: nothing chains.
  expect(prepareEvidenceReport(input({ certificates: { signers, issuing: ca.issuing.certificateDer, root: other.root.certificateDer, tsa: ca.tsa.certificateDer } }))).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_PATH_UNKNOWN' } })
  const row = { role: '签署（事件证书）', subject: 'CN=王五', serialNumber: '01', notBefore: NOW.toISOString(), notAfter: NOW.toISOString(), issuer: '其他 CA' }
  const given = prepareEvidenceReport(input({ certificates: { rows: [row] } }))
  if (!given.ok) throw new Error(given.error.message)
  expect(tableRows(given.value, '数字证书').map((r) => r[0])).toEqual(['签署（事件证书）'])
})
