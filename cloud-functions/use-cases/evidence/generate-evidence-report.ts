import { createHash } from 'node:crypto'
import type { Contract, Party } from '../../core/contracts/contract'
import { partyName, signerParties } from '../../core/contracts/contract'
import type { EvidenceReportData } from '../../core/evidence/evidence-report'
import { certificateRows, type EvidenceReportInput, type ReportCertificates } from '../../core/evidence/prepare-evidence-report'
import type { EvidenceRecord } from '../../core/evidence/hash-chain'
import { maskPhone } from '../../core/shared/mask'
import { maxCmsSize } from '../../core/signing/build-cms-signed-data'
import type { ContractDeps } from '../contracts/deps'
import { revisionObjectKey, type ContractItem } from '../contracts/records'
import { contractVerifyUrl } from '../contracts/send-contract'
import { PLATFORM_NAME } from '../identity/create-authorization-letter'
import { loadCompany, loadUser } from '../identity/records'
import { getCertificateRecord } from '../pki/records'
import { proofsFor, type ProofsSource } from './proofs-source'
import { evidenceReportKey, evidenceReportObjectKey, type EvidenceReportRecord } from './records'
import { readEvidenceChain } from './read-evidence-chain'

/** What the report needs: the contracts services, and optionally where checkpoints come from. */
export type EvidenceReportDeps = ContractDeps & { proofs?: ProofsSource }

/** The stored report of a contract: its record and its bytes. */
export type StoredEvidenceReport = EvidenceReportRecord & { bytes: Uint8Array }

/**
 * The 证据报告 of a completed contract (one that has its final revision): the stored one, or — the
 * first time — generated from the contract, its parties' verified identities (masked), the
 * certificates of its signatures, its whole evidence chain (verified on the CPU pool before anything
 * is drawn) and its checkpoints,
 * signed by the platform (its certificate of the day from the platform CA, issued to {@link PLATFORM_NAME},
 * certification signature with no changes allowed, PAdES B-T on the CPU pool), stored
 * content-addressed and recorded once (`mustNotExist`: of two concurrent generations the first
 * record wins and both callers get it).
 *
 * Throws when the chain is broken, or the final revision is missing when its signatures have to be
 * verified (a signer's certificate not in the registry): those are faults of the platform, not of
 * the caller. The final revision is recorded only once stored, so the usual report does not read it.
 */
export async function ensureEvidenceReport(deps: EvidenceReportDeps, item: ContractItem): Promise<StoredEvidenceReport> {
  const c = item.contract
  const key = evidenceReportKey(c.contractId)
  const existing = await deps.metadata.get(key.pk, key.sk)
  if (existing) return withBytes(deps, existing as unknown as EvidenceReportRecord)
  if (!item.finalSha256) throw new Error(`contract ${c.contractId} has no final revision yet`)
  const chain = await readEvidenceChain(deps, { contractId: c.contractId })
  if (!chain.ok) throw new Error(`evidence chain of ${c.contractId} is broken: ${chain.error.message}`)
  const records = chain.value
  // The final revision's bytes are read only when its signatures must be verified for the certificate rows (see reportCertificates).
  const finalKey = revisionObjectKey(c.contractId, item.finalSha256)
  const finalPdf = async (): Promise<Uint8Array> => {
    const bytes = await deps.objects.get(finalKey)
    if (!bytes) throw new Error(`final revision of ${c.contractId} is missing`)
    return bytes
  }

  const now = deps.clock.now()
  const reportId = `ER${deps.ids.newId()}`
  const [certificates, parties, proofs] = await Promise.all([
    reportCertificates(deps, records, finalPdf, now),
    partyRows(deps, c, records),
    proofsFor(deps, c.contractId),
  ])
  const data: EvidenceReportInput['data'] = {
    reportId,
    generatedAt: now,
    platformName: PLATFORM_NAME,
    verifyUrl: contractVerifyUrl(deps.config.publicBaseUrl, c.contractId),
    contract: {
      contractId: c.contractId,
      title: c.title,
      status: c.status,
      senderName: item.senderName,
      ...(item.senderCompanyName ? { senderCompanyName: item.senderCompanyName } : {}),
      createdAt: c.createdAt,
      ...(c.sentAt ? { sentAt: c.sentAt } : {}),
      ...(c.closedAt ? { completedAt: c.closedAt } : {}),
      deadline: c.deadline,
      ...(c.validUntil ? { validUntil: c.validUntil } : {}),
    },
    revisions: revisions(c, item.finalSha256),
    parties,
    checkpoints: proofs.checkpoints,
    finalSha256: item.finalSha256,
  }
  // The chain's hashes and the certificates' paths checked, then the layout, font subset and PDF: on the CPU pool, as the signature is.
  let rendered = await deps.cpu.renderEvidenceReport({ contractId: c.contractId, records, data, certificates })
  if (!rendered.ok && rendered.error.code === 'CERTIFICATE_PATH_UNKNOWN') {
    rendered = await deps.cpu.renderEvidenceReport({ contractId: c.contractId, records, data, certificates: { rows: await verifiedCertificates(deps, await finalPdf(), now) } })
  }
  if (!rendered.ok) throw new Error(`evidence ${rendered.error.code === 'EVIDENCE_CHAIN_BROKEN' ? 'chain' : 'certificates'} of ${c.contractId}: ${rendered.error.message}`)
  const unsigned = rendered.value
  const ca = deps.pki.ca
  // The platform's certificate of the day (one key and registry record a day, not one per report).
  const { signer } = await deps.pki.dailyCertificate({ name: PLATFORM_NAME, organization: PLATFORM_NAME })
  const signed = await deps.cpu.signPdf(
    unsigned,
    {
      contentsSize: maxCmsSize(await signer.certificateChain(), true, ca.tsaCertificateDer.length),
      signingTime: now,
      signerName: PLATFORM_NAME,
      reason: `《${c.title}》证据报告`,
      location: 'CN',
      certify: { permissions: 1 },
      repairBrokenXref: false,
    },
    { signer, tsa: ca.tsa },
  )
  // The report is the platform's own PDF: one that does not parse is a bug.
  if (!signed.ok) throw new Error(`evidence report of ${c.contractId}: ${signed.error.message}`)
  const sha256 = createHash('sha256').update(signed.value).digest('hex')
  const objectKey = evidenceReportObjectKey(c.contractId, sha256)
  await deps.objects.put(objectKey, signed.value, { contentType: 'application/pdf' })
  const record: EvidenceReportRecord = { type: 'evidence-report', reportId, objectKey, sha256, finalSha256: item.finalSha256, createdAt: now.toISOString() }
  const written = await deps.metadata.put({ ...key, ...record }, { mustNotExist: true })
  if (!written.ok) {
    const winner = await deps.metadata.get(key.pk, key.sk)
    if (winner) return withBytes(deps, winner as unknown as EvidenceReportRecord)
    throw new Error(`evidence report of ${c.contractId} could not be recorded`)
  }
  deps.logger.info({ contractId: c.contractId, reportId, sha256, events: records.length }, 'evidence report generated')
  return { ...record, bytes: signed.value }
}

async function withBytes(deps: Pick<ContractDeps, 'objects'>, record: EvidenceReportRecord): Promise<StoredEvidenceReport> {
  const bytes = await deps.objects.get(record.objectKey)
  if (!bytes) throw new Error(`evidence report object ${record.objectKey} is missing`)
  const { type, reportId, objectKey, sha256, finalSha256, createdAt } = record
  return { type, reportId, objectKey, sha256, finalSha256, createdAt, bytes }
}

/** Every revision, oldest first: the upload, the prepared file, each signer's revision, the final one. */
function revisions(c: Contract, finalSha256: string): EvidenceReportData['revisions'] {
  const out: EvidenceReportData['revisions'] = [{ label: '上传的原始文件', sha256: c.document.originalSha256 }]
  if (c.document.preparedSha256) out.push({ label: '发送时准备的文件（签署域、二维码与合同编号）', sha256: c.document.preparedSha256 })
  const signed = signerParties(c)
    .map((p) => ({ p, s: c.signers[p.partyId] }))
    .filter(({ s }) => s?.documentSha256)
    .sort((a, b) => String(a.s!.signedAt).localeCompare(String(b.s!.signedAt)))
  for (const { p, s } of signed) out.push({ label: `${partyName(p)} 签署后`, sha256: s!.documentSha256! })
  out.push({ label: '最终文件（长期验证数据与文档时间戳，PAdES B-LTA）', sha256: finalSha256 })
  return out
}

const INTENT_METHODS: Record<string, string> = { sms: '短信验证码', face: '人脸识别' }

/** One row per signer: verified identity (masked), how it was verified, how intent was confirmed, when they signed. */
async function partyRows(deps: ContractDeps, c: Contract, events: readonly EvidenceRecord[]): Promise<EvidenceReportData['parties']> {
  const rows: EvidenceReportData['parties'] = []
  for (const p of signerParties(c)) {
    const userId = p.kind === 'person' ? p.userId : p.member.userId
    const user = userId ? await loadUser(deps.metadata, userId) : undefined
    const person = user?.person?.status === 'verified' ? user.person : undefined
    const who = p.kind === 'person' ? p.name : p.member.name
    const phone = maskPhone(p.kind === 'person' ? p.phone : p.member.phone)
    const identity = `${who}（${person ? `身份证 ${person.maskedIdNumber}，` : ''}手机 ${phone}）`
    let verification = person ? `姓名、身份证号与手机号核验，人脸识别（${person.verifiedAt ? beijing(person.verifiedAt) : '已认证'}）` : '未记录'
    if (p.kind === 'company') verification = `${verification}；${await companyVerification(deps, p)}`
    const intents = intentsOf(events, p.partyId)
    rows.push({
      label: p.kind === 'person' ? p.name : `${p.companyName}\n经办人 ${p.member.name}`,
      kind: p.kind,
      identity: p.kind === 'company' ? `${p.companyName}；经办人 ${identity}` : identity,
      verification,
      intent: intents.length ? intents.join('\n') : '—',
      ...(c.signers[p.partyId]?.signedAt ? { signedAt: c.signers[p.partyId]!.signedAt } : {}),
    })
  }
  return rows
}

/** How and when `partyId` confirmed intent, one line per confirmation (a loop, not per-call closures: see docs/ARCHITECTURE.md, "No closures made per call on hot paths"). */
function intentsOf(events: readonly EvidenceRecord[], partyId: string): string[] {
  const out: string[] = []
  for (const e of events) {
    const d = e.data as Record<string, unknown>
    if ((d.signerId !== partyId && d.partyId !== partyId) || typeof d.method !== 'string') continue
    out.push(`${INTENT_METHODS[d.method] ?? d.method}（${beijing(e.at)}）`)
  }
  return out
}

async function companyVerification(deps: ContractDeps, p: Extract<Party, { kind: 'company' }>): Promise<string> {
  const company = p.companyId ? await loadCompany(deps.metadata, p.companyId) : undefined
  const method = company?.method === 'legal-rep-authorization' ? '法定代表人授权书' : company?.method === 'micro-deposit' ? '对公账户打款验证' : '已认证'
  return `企业认证：${method}`
}

const beijing = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')

/**
 * The certificates of every signature and time-stamp of the final PDF, for the report: each signer's
 * certificate as the evidence chain names it (`party.signed`, by serial, from the certificate
 * registry) with the platform CA's, put into paths and checked on the CPU pool
 * (`core/evidence/prepare-evidence-report.ts`) — without parsing and re-verifying the whole PDF
 * (≈ 20 ms of CPU per contract). When a serial is missing or unknown, the final PDF is verified and
 * its signatures' paths are listed instead (as when a certificate does not chain to the root).
 */
async function reportCertificates(deps: ContractDeps, events: readonly EvidenceRecord[], pdf: () => Promise<Uint8Array>, now: Date): Promise<ReportCertificates> {
  const serials = events.filter((e) => e.type === 'party.signed').map((e) => String((e.data as Record<string, unknown>).certificateSerial ?? ''))
  const records = serials.length && !serials.some((s) => !s) ? await Promise.all(serials.map(async (s) => (await getCertificateRecord(deps.metadata, s)) ?? getCertificateRecord(deps.metadata, `00${s}`))) : []
  if (!records.length || records.some((r) => !r)) return { rows: await verifiedCertificates(deps, await pdf(), now) }
  const ca = deps.pki.ca
  return { signers: records.map((r) => r!.certificateDer), issuing: ca.issuingCertificateDer, root: ca.rootCertificateDer, tsa: ca.tsaCertificateDer }
}

async function verifiedCertificates(deps: ContractDeps, pdf: Uint8Array, now: Date): Promise<EvidenceReportData['certificates']> {
  const report = await deps.cpu.verifyPdf(pdf, { trustRoots: await deps.verification.trustRoots(), now, revocation: deps.verification.revocation })
  if (!report.ok) throw new Error(`final revision cannot be read: ${report.error.message}`)
  return certificateRows(report.value.signatures.map((s) => ({ kind: s.kind, chain: s.chain.length ? s.chain : s.certificate ? [s.certificate] : [] })))
}
