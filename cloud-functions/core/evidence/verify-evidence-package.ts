import { createHash } from 'node:crypto'
import { fromPem } from '../pki/pem'
import { digestWith } from '../verification/algorithms'
import { Certificate } from '../verification/certificate'
import { ValidationContext } from '../verification/chain'
import { parseSignedData } from '../verification/cms'
import type { VerificationReport } from '../verification/report'
import { verifyTimestampToken } from '../verification/timestamp'
import { verifyPdf } from '../verification/verify-pdf'
import type { EvidenceReportSummary } from './evidence-report'
import { verifyEvidenceProofs, type EvidenceProofs } from './evidence-proofs'
import { PACKAGE_FILES, PACKAGE_FORMAT, pdfTimestampTokens, readReportSummary, signatureContents, type PackageEvents, type PackageManifest, type TimestampEntry } from './evidence-package'
import { verifyChain, type EvidenceRecord } from './hash-chain'

/** The files of an unpacked evidence package, by path. */
export type PackageFiles = ReadonlyMap<string, Uint8Array>

/** The outcome of one named section of the check. */
export type SectionOutcome = {
  /** Stable name: `manifest`, `certificates`, `events`, `report`, `contract`, `timestamps`, `proofs`. */
  section: string
  /** 中文标题. */
  title: string
  status: 'ok' | 'failed' | 'skipped' | 'not-run'
  /** What was checked (ok, skipped) or what broke (failed), in Chinese. */
  message: string
  /** Technical detail of a failure: what was compared, where. */
  detail?: string
}

export type PackageVerification = {
  valid: boolean
  contractId?: string
  /** Where the trust anchor came from: the caller's roots, or (none given) the package's own root. */
  anchor: 'given' | 'package'
  /** SHA-256 of the root certificate the package carries. */
  rootSha256?: string
  sections: SectionOutcome[]
  /** The first section that failed: the first broken link. */
  firstFailure?: SectionOutcome
}

/** State the sections build up in order. */
type State = {
  files: PackageFiles
  now: Date
  trustRoots: Uint8Array[]
  anchor: 'given' | 'package'
  rootSha256?: string
  manifest?: PackageManifest
  records?: EvidenceRecord[]
  summary?: EvidenceReportSummary
  reports: Map<string, VerificationReport>
  proofs?: EvidenceProofs
}

class Broken extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message)
  }
}

type Section = { name: string; title: string; check: (s: State) => Promise<string | { skipped: string }> }

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const HEX64 = /^[0-9a-f]{64}$/

function need(s: State, path: string): Uint8Array {
  const f = s.files.get(path)
  if (!f) throw new Broken(`证据包缺少 ${path}`, `file ${path} is not in the package`)
  return f
}

function parseJson<T>(s: State, path: string): T {
  try {
    return JSON.parse(Buffer.from(need(s, path)).toString('utf8')) as T
  } catch (e) {
    if (e instanceof Broken) throw e
    throw new Broken(`${path} 不是有效的 JSON`, (e as Error).message)
  }
}

function pemCertificates(s: State, path: string): Uint8Array[] {
  const text = Buffer.from(need(s, path)).toString('latin1')
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g)].map((m) => fromPem(m[0]))
  if (!blocks.length) throw new Broken(`${path} 中没有证书`, 'no PEM CERTIFICATE block')
  return blocks
}

/** All 64-hex-digit strings anywhere in an event's data: the hashes it names. */
function namedHashes(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string' && HEX64.test(value)) out.add(value)
  else if (Array.isArray(value)) for (const v of value) namedHashes(v, out)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) namedHashes(v, out)
  return out
}

async function checkPdf(s: State, path: string, what: string): Promise<VerificationReport> {
  const bytes = need(s, path)
  const r = await verifyPdf(bytes, { trustRoots: s.trustRoots, now: s.now })
  if (!r.ok) throw new Broken(`${what}无法作为 PDF 读取`, r.error.message)
  const report = r.value
  if (report.verdict !== 'valid') {
    const bad = report.signatures.find((x) => !x.intact || !x.valid || !x.trusted || x.modification === 'disallowed' || x.timestamp?.valid === false) ?? report.signatures[0]
    const problems = [...(bad?.problems ?? []), ...report.problems].map((p) => `${p.code}: ${p.message}`).join('; ')
    throw new Broken(`${what}的签名验证未通过（${report.verdict === 'indeterminate' ? '签署人证书不受信任' : '签名无效或文件在签名后被修改'}）`, `verdict ${report.verdict}; signature ${bad?.field ?? '-'}: intact=${bad?.intact} valid=${bad?.valid} trusted=${bad?.trusted} modification=${bad?.modification}; ${problems || 'no signatures'}`)
  }
  s.reports.set(path, report)
  return report
}

/** The sections, in the order a link depends on the previous ones. */
const SECTIONS: Section[] = [
  {
    name: 'manifest',
    title: '证据包清单',
    check: async (s) => {
      const m = parseJson<PackageManifest>(s, PACKAGE_FILES.manifest)
      if (m.format !== PACKAGE_FORMAT || m.version !== 1 || typeof m.contractId !== 'string') {
        throw new Broken('manifest.json 不是本平台的证据包清单', `format ${String(m.format)} version ${String(m.version)}`)
      }
      for (const f of [PACKAGE_FILES.contract, PACKAGE_FILES.report, PACKAGE_FILES.events, PACKAGE_FILES.timestamps, PACKAGE_FILES.root]) need(s, f)
      s.manifest = m
      return `合同编号 ${m.contractId}，《${m.title}》，生成于 ${m.generatedAt}`
    },
  },
  {
    name: 'certificates',
    title: '证书链',
    check: async (s) => {
      const [root] = pemCertificates(s, PACKAGE_FILES.root)
      const rootCert = Certificate.tryParse(root)
      if (!rootCert) throw new Broken('根证书无法解析', `${PACKAGE_FILES.root} is not an X.509 certificate`)
      s.rootSha256 = rootCert.sha256
      // The issuing CA and the TSA are certified by the root; the OCSP responder by the issuing CA.
      const ctx = new ValidationContext([root], s.now)
      const issuers = [rootCert]
      for (const f of [PACKAGE_FILES.issuing, PACKAGE_FILES.tsa, PACKAGE_FILES.ocsp]) {
        if (!s.files.has(f)) continue
        const [der] = pemCertificates(s, f)
        const cert = Certificate.tryParse(der)
        if (!cert || !issuers.some((i) => ctx.issuedBy(cert, i))) throw new Broken(`${f} 不是由证据包中的平台 CA 签发的`, `signature of ${cert?.subject ?? f} does not verify with ${issuers.map((i) => i.subject).join(' or ')}`)
        if (f === PACKAGE_FILES.issuing) issuers.push(cert)
      }
      if (s.anchor === 'package') {
        s.trustRoots = [root]
        return `未指定信任锚，以证据包中的根证书为准（SHA-256 ${rootCert.sha256}，请与平台公布的指纹核对）`
      }
      if (!s.trustRoots.some((t) => sha256(t) === rootCert.sha256)) {
        throw new Broken('证据包中的根证书不是受信任的平台根证书', `package root ${rootCert.subject} sha256 ${rootCert.sha256} is not among ${s.trustRoots.length} trusted roots`)
      }
      return `根证书 ${rootCert.subject} 受信任，签发 CA、TSA、OCSP 证书均由其签发`
    },
  },
  {
    name: 'events',
    title: '证据链',
    check: async (s) => {
      const events = parseJson<PackageEvents>(s, PACKAGE_FILES.events)
      if (events.contractId !== s.manifest!.contractId || !Array.isArray(events.records)) {
        throw new Broken('events.json 不属于本合同', `contractId ${String(events.contractId)} ≠ manifest ${s.manifest!.contractId}`)
      }
      const records = events.records as EvidenceRecord[]
      const checked = verifyChain(records, { contractId: s.manifest!.contractId })
      if (!checked.ok) {
        const { seq, reason } = checked.error.details
        const what = { 'seq-mismatch': '序号不连续（记录被删除、插入或调换了顺序）', 'prev-hash-mismatch': '与前一条记录的哈希不衔接', 'hash-mismatch': '内容与其哈希不符（记录被修改）', 'unknown-type': '事件类型未知', 'wrong-contract': '属于其他合同' }[reason]
        const record = records[seq - 1] as Partial<EvidenceRecord> | undefined
        throw new Broken(`证据链在第 ${seq} 条记录处断开：${what}`, `record #${seq} (seq ${String(record?.seq)}, type ${String(record?.type)}): ${reason}`)
      }
      s.records = records
      return `共 ${checked.value.length} 条记录，链尾哈希 ${checked.value.head}`
    },
  },
  {
    name: 'report',
    title: '证据报告',
    check: async (s) => {
      const report = await checkPdf(s, PACKAGE_FILES.report, '证据报告')
      if (!report.signatures.some((x) => x.coversWholeDocument && x.kind !== 'document-timestamp')) throw new Broken('证据报告的签名没有覆盖整个文件', 'no signature of the report ends at the end of the file')
      const summary = readReportSummary(need(s, PACKAGE_FILES.report))
      if (!summary) throw new Broken('证据报告中没有本平台的证据摘要', 'no QianyueEvidence entry in the information dictionary')
      if (summary.contractId !== s.manifest!.contractId) throw new Broken('证据报告属于其他合同', `report contractId ${summary.contractId} ≠ ${s.manifest!.contractId}`)
      const records = s.records!
      const atHead = records[summary.chainLength - 1]
      if (summary.chainLength > records.length || (summary.chainLength > 0 && atHead?.hash !== summary.chainHead)) {
        throw new Broken(`证据记录与证据报告不一致：报告记载的第 ${summary.chainLength} 条记录的哈希与 events.json 不符`, `report chain head #${summary.chainLength} ${summary.chainHead} ≠ events.json ${atHead?.hash ?? `(only ${records.length} records)`}`)
      }
      s.summary = summary
      return `平台签名有效，报告 ${summary.reportId} 记载的 ${summary.chainLength} 条证据记录与 events.json 一致`
    },
  },
  {
    name: 'contract',
    title: '合同文件',
    check: async (s) => {
      const pdf = need(s, PACKAGE_FILES.contract)
      const hash = sha256(pdf)
      if (hash !== s.summary!.finalSha256) {
        throw new Broken('合同文件不是证据报告记载的最终版本（可能来自其他合同或被替换）', `sha256(contract.pdf) ${hash} ≠ report finalSha256 ${s.summary!.finalSha256}`)
      }
      const report = await checkPdf(s, PACKAGE_FILES.contract, '合同文件')
      const named = new Set<string>()
      for (const r of s.records!) namedHashes(r.data, named)
      const lastSigned = [...report.signatures].reverse().find((x) => x.kind !== 'document-timestamp' && x.byteRange)
      const signedRevision = lastSigned?.byteRange ? sha256(pdf.subarray(0, lastSigned.byteRange[2] + lastSigned.byteRange[3])) : undefined
      if (!named.has(hash) && !(signedRevision && named.has(signedRevision))) {
        throw new Broken('合同文件的最终签署版本不是证据记录中记载的版本', `neither sha256 ${hash} nor the last signed revision ${signedRevision ?? '(none)'} is named by any evidence record`)
      }
      return `${report.signatures.length} 个签名全部有效，最终签署版本 ${signedRevision ?? hash} 与证据记录一致`
    },
  },
  {
    name: 'timestamps',
    title: '时间戳',
    check: async (s) => {
      const entries = parseJson<TimestampEntry[]>(s, PACKAGE_FILES.timestamps)
      if (!Array.isArray(entries)) throw new Broken('timestamps/index.json 格式错误', 'not an array')
      for (const doc of [PACKAGE_FILES.contract, PACKAGE_FILES.report]) {
        const embedded = pdfTimestampTokens(need(s, doc), s.reports.get(doc)!, doc, 'x').length
        const listed = entries.filter((e) => e.covers.kind !== 'checkpoint' && e.covers.document === doc).length
        if (listed < embedded) throw new Broken(`${doc} 中的时间戳令牌在证据包中不全`, `${listed} listed of ${embedded} embedded`)
      }
      const ctx = new ValidationContext(s.trustRoots, s.now)
      for (const e of entries) {
        const token = need(s, e.file)
        const imprintOf = imprintSource(s, e)
        const check = await verifyTimestampToken(token, imprintOf, ctx)
        if (!check.imprintMatches || !check.signatureValid || !check.trusted) {
          const covers = e.covers.kind === 'checkpoint' ? `检查点 ${e.covers.checkpointId} 的默克尔根` : `${e.covers.document} 中签名 ${e.covers.field}`
          throw new Broken(
            `时间戳令牌 ${e.file} 无效：${!check.imprintMatches ? `它不是对${covers}的时间戳` : !check.signatureValid ? '令牌签名无效' : '时间戳机构不受信任'}`,
            `${e.file}: imprintMatches=${check.imprintMatches} signatureValid=${check.signatureValid} trusted=${check.trusted}; ${check.problems.map((p) => `${p.code}: ${p.message}`).join('; ')}`,
          )
        }
      }
      return `${entries.length} 个时间戳令牌均有效且与所覆盖的数据一致`
    },
  },
  {
    name: 'proofs',
    title: '存证证明',
    check: async (s) => {
      const roots = s.summary!.checkpointRoots ?? []
      if (!s.files.has(PACKAGE_FILES.proofs)) {
        if (roots.length) throw new Broken('证据报告记载了存证检查点，但证据包中没有 proofs.json', `${roots.length} checkpoint roots in the report, no ${PACKAGE_FILES.proofs}`)
        return { skipped: '尚无检查点（证据包中没有 proofs.json）' }
      }
      const proofs = parseJson<EvidenceProofs>(s, PACKAGE_FILES.proofs)
      if (!Array.isArray(proofs.checkpoints) || !Array.isArray(proofs.proofs)) throw new Broken('proofs.json 格式错误', 'checkpoints and proofs must be arrays')
      const checked = verifyEvidenceProofs(proofs, s.records!.map((r) => r.hash))
      if (!checked.ok) throw new Broken(checked.error.message, checked.error.detail)
      const missing = roots.find((r) => !proofs.checkpoints.some((k) => k.root === r))
      if (missing) throw new Broken('证据报告记载的存证检查点不在 proofs.json 中', `root ${missing} not among the checkpoints`)
      const ctx = new ValidationContext(s.trustRoots, s.now)
      for (const k of proofs.checkpoints) {
        const check = await verifyTimestampToken(new Uint8Array(Buffer.from(k.timestampToken, 'base64')), (oid) => digestWith(oid, Buffer.from(k.root, 'hex')), ctx)
        if (!check.imprintMatches || !check.signatureValid || !check.trusted) {
          throw new Broken(`检查点 ${k.id} 的时间戳不是对其默克尔根的有效时间戳`, `imprintMatches=${check.imprintMatches} signatureValid=${check.signatureValid} trusted=${check.trusted}; ${check.problems.map((p) => p.message).join('; ')}`)
        }
      }
      return `${checked.value.proven} 条记录的默克尔证明有效，${proofs.checkpoints.length} 个检查点的时间戳有效`
    },
  },
]

/** What a time-stamp entry should cover, as a digest function of the token's hash algorithm. */
function imprintSource(s: State, e: TimestampEntry): (hashOid: string) => Uint8Array | undefined {
  if (e.covers.kind === 'checkpoint') {
    const id = e.covers.checkpointId
    const k = s.proofs?.checkpoints.find((c) => c.id === id) ?? readProofs(s)?.checkpoints.find((c) => c.id === id)
    if (!k) throw new Broken(`时间戳令牌 ${e.file} 所属的检查点 ${id} 不在 proofs.json 中`, `checkpoint ${id} unknown`)
    return (oid) => digestWith(oid, Buffer.from(k.root, 'hex'))
  }
  const { document, field } = e.covers
  const pdf = need(s, document)
  const sig = s.reports.get(document)?.signatures.find((x) => x.field === field)
  if (!sig?.byteRange) throw new Broken(`时间戳令牌 ${e.file} 对应的签名 ${field} 不在 ${document} 中`, `no signature field ${field} in ${document}`)
  const br = sig.byteRange
  if (e.covers.kind === 'document-timestamp') return (oid) => digestWith(oid, pdf.subarray(br[0], br[0] + br[1]), pdf.subarray(br[2], br[2] + br[3]))
  const value = parseSignedData(signatureContents(pdf, br)).signerInfos[0]?.signature
  return (oid) => (value ? digestWith(oid, value) : undefined)
}

function readProofs(s: State): EvidenceProofs | undefined {
  if (!s.files.has(PACKAGE_FILES.proofs)) return undefined
  return (s.proofs = parseJson<EvidenceProofs>(s, PACKAGE_FILES.proofs))
}

/**
 * Check an evidence package with no server, section by section (清单 → 证书链 → 证据链 → 证据报告 →
 * 合同文件 → 时间戳 → 存证证明), stopping at the first broken link: the chain of `events.json`
 * (`verifyChain`), the report's platform signature and that the chain it records is the package's,
 * the contract PDF's signatures and that it is the final revision the report names and the events
 * record, every time-stamp token against the data it covers, and — when `proofs.json` is there — the
 * inclusion proofs (`verifyEvidenceProofs`) and each checkpoint's time-stamp. `trustRoots`: the
 * platform roots to trust; none → the package's own root (reported as such). Pure.
 *
 * @example
 * const result = await verifyEvidencePackage(files, { trustRoots: [rootDer], now: new Date() })
 * if (!result.valid) console.log(result.firstFailure?.message, result.firstFailure?.detail)
 */
export async function verifyEvidencePackage(files: PackageFiles, options: { trustRoots: Uint8Array[]; now: Date }): Promise<PackageVerification> {
  const state: State = { files, now: options.now, trustRoots: [...options.trustRoots], anchor: options.trustRoots.length ? 'given' : 'package', reports: new Map() }
  const sections: SectionOutcome[] = []
  let failure: SectionOutcome | undefined
  for (const section of SECTIONS) {
    if (failure) {
      sections.push({ section: section.name, title: section.title, status: 'not-run', message: '未检查（前一项未通过）' })
      continue
    }
    try {
      const result = await section.check(state)
      sections.push(typeof result === 'string' ? { section: section.name, title: section.title, status: 'ok', message: result } : { section: section.name, title: section.title, status: 'skipped', message: result.skipped })
    } catch (e) {
      failure = e instanceof Broken ? { section: section.name, title: section.title, status: 'failed', message: e.message, detail: e.detail } : { section: section.name, title: section.title, status: 'failed', message: `${section.title}无法检查（数据格式错误）`, detail: (e as Error).message }
      sections.push(failure)
    }
  }
  return { valid: !failure, ...(state.manifest ? { contractId: state.manifest.contractId } : {}), anchor: state.anchor, ...(state.rootSha256 ? { rootSha256: state.rootSha256 } : {}), sections, ...(failure ? { firstFailure: failure } : {}) }
}
