import type { EvidenceEventType } from './evidence-event'
import type { EvidenceCheckpoint } from './evidence-proofs'
import type { EvidenceRecord } from './hash-chain'
import type { ReportBlock, ReportDocument } from './report-pdf'

/**
 * What the 证据报告 says about one completed contract. Personal data arrives masked (the use case
 * masks it): ID numbers and phones never reach this module in clear.
 */
export type EvidenceReportData = {
  reportId: string
  generatedAt: Date
  platformName: string
  verifyUrl: string
  contract: {
    contractId: string
    title: string
    status: string
    senderName: string
    senderCompanyName?: string
    createdAt: string
    sentAt?: string
    completedAt?: string
    deadline: string
    validUntil?: string
  }
  /** Every revision of the document, oldest first: what it is and its SHA-256. */
  revisions: Array<{ label: string; sha256: string }>
  parties: Array<{
    label: string
    kind: 'person' | 'company'
    /** Verified identity, masked: `张三（身份证 1101**********1234，手机 139****0001）`. */
    identity: string
    verification: string
    intent: string
    signedAt?: string
  }>
  certificates: Array<{ role: string; subject: string; serialNumber: string; notBefore: string; notAfter: string; issuer: string }>
  /** The contract's evidence chain, in `seq` order. */
  events: readonly EvidenceRecord[]
  checkpoints: readonly EvidenceCheckpoint[]
  /** The final revision the report vouches for (the completed, signed PDF). */
  finalSha256: string
}

/**
 * The machine-readable summary the report carries in its information dictionary (key
 * {@link REPORT_SUMMARY_KEY}, JSON): covered by the report's signature, so a verifier of the
 * evidence package can tie the report to one contract, its final PDF and its chain up to `chainLength`.
 */
export type EvidenceReportSummary = {
  format: 'qianyue-evidence-report'
  version: 1
  reportId: string
  contractId: string
  finalSha256: string
  chainLength: number
  chainHead: string
  checkpointRoots: string[]
  generatedAt: string
}

/** The information-dictionary key of {@link EvidenceReportSummary}. */
export const REPORT_SUMMARY_KEY = 'QianyueEvidence'

/** Chinese names of the evidence chain's event types (every type: a new one needs its name here). */
const EVENT_LABELS: Record<EvidenceEventType, string> = {
  'contract.created': '创建合同',
  'document.uploaded': '上传文件',
  'contract.sent': '发送合同',
  'party.notified': '通知签署方',
  'link.opened': '打开签署链接',
  'party.viewed': '签署方查看',
  'identity.verified': '实名认证',
  'intent.confirmed': '意愿认证',
  'party.signed': '签署方签署',
  'seal.used': '使用印章',
  'reminder.sent': '催办提醒',
  'contract.declined': '签署方拒签',
  'contract.revoked': '撤销合同',
  'contract.expired': '合同过期',
  'contract.deadline-extended': '延长截止时间',
  'contract.completed': '合同完成',
  'document.finalised': '最终文件（长期验证与时间戳）',
  'document.downloaded': '下载文件',
  'approval.requested': '提交内部审批',
  'approval.approved': '审批同意',
  'approval.rejected': '审批驳回',
  INTENT_CONFIRMED: '意愿认证',
  CONTRACT_TRANSITION: '合同状态变更',
}

/** Chinese names of the domain events inside the old `CONTRACT_TRANSITION` records (their `events[].type`). */
const TRANSITION_EVENT_LABELS: Record<string, string> = {
  ContractSent: '发送合同',
  SignerNotified: '通知签署方',
  SignerViewed: '签署方查看',
  SignerSigned: '签署方签署',
  SignerDeclined: '签署方拒签',
  ContractCompleted: '合同完成',
  ContractDeclined: '合同被拒签',
  ContractRevoked: '合同撤销',
  ContractExpired: '合同过期',
  DeadlineExtended: '延长截止时间',
}

/** The Chinese name of an event type; a type this build does not know is shown as it is spelled. */
function eventLabel(type: string): string {
  if (Object.hasOwn(EVENT_LABELS, type)) return EVENT_LABELS[type as EvidenceEventType]
  return Object.hasOwn(TRANSITION_EVENT_LABELS, type) ? TRANSITION_EVENT_LABELS[type]! : type
}

/**
 * Every character of the report's own wording: printable ASCII (ids, hashes, times, event types),
 * then the Chinese text and punctuation of the labels, headings and statements of this module, of
 * the use case that fills it in (identity and intent methods, certificate roles, revision names)
 * and of the platform's name. The report draws them from one font subset made once
 * (`ReportDocument.commonText`); names and titles go into a small subset of their own. A character
 * missing here still prints, from that small subset (test/unit/evidence/report-pdf.test.ts checks
 * that the wording is all here).
 */
export const REPORT_COMMON_TEXT =
  String.fromCharCode(...Array.from({ length: 95 }, (_, i) => 32 + i)) +
  '·—“”…、。《》」』一七三上下不与业个为主书事二五交京人仅代以件任份企会传体何使信修催先克入全公六共其具内准出列创删别刷前办加动包化北印即原及发变可台号各合同名后否含告哈四回在域备失始姓子字存完定实审容对尔尚尾已希平并序应延建开式录态息意愿成或截戳户手打扫批报拒换据授接描提插撤改效敏数整文新方无时明是更最有期未本机权条查核根档检概款止每法点版状生用由申电的盖看知短码离称章第签约线终经维编网署者联脱脸自至致范行表被要规认记访证识试该请调账起身载过运进送途通部都醒重链销长问间除需页顺颁首驳验默（），：；'

/** `2026-12-04 16:32:05 (北京时间)` for an ISO time; other strings unchanged. */
export function beijingTime(iso: string | Date | undefined): string {
  if (iso === undefined) return '—'
  const d = typeof iso === 'string' ? new Date(iso) : iso
  if (Number.isNaN(d.getTime())) return String(iso)
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString()
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`
}

/** The summary embedded in the report (see {@link EvidenceReportSummary}). */
export function reportSummary(data: EvidenceReportData): EvidenceReportSummary {
  const last = data.events[data.events.length - 1]
  return {
    format: 'qianyue-evidence-report',
    version: 1,
    reportId: data.reportId,
    contractId: data.contract.contractId,
    finalSha256: data.finalSha256,
    chainLength: data.events.length,
    chainHead: last?.hash ?? '0'.repeat(64),
    checkpointRoots: data.checkpoints.map((c) => c.root),
    generatedAt: data.generatedAt.toISOString(),
  }
}

/**
 * One event's content as lines `key：value`, whatever its type (new event types show without
 * changes here): the contract id is left out (the whole report is about one contract); a list of
 * objects gives one line per object; nested values are compact JSON.
 */
export function eventFields(data: unknown): string {
  if (data === null || typeof data !== 'object') return String(data ?? '')
  const lines: string[] = []
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key === 'contractId') continue
    if (Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      for (const v of value as Record<string, unknown>[]) {
        const entries = Object.entries(v).map(([k, x]) => `${k}=${k === 'type' ? `${String(x)}（${eventLabel(String(x))}）` : typeof x === 'object' ? JSON.stringify(x) : String(x)}`)
        lines.push(`${key}：${entries.join('，')}`)
      }
    } else lines.push(`${key}：${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
  }
  return lines.join('\n')
}

/**
 * The 证据报告 as a {@link ReportDocument}: a title page (contract, report number, generation time,
 * QR code to the verify page), then 合同概要, 文件版本与哈希, 签署方身份与认证, 数字证书,
 * 证据链时间线 (every event with its time, content and hash), 存证检查点 (尚无检查点 until there are
 * any) and 验证方法. Pure.
 */
export function evidenceReportDocument(data: EvidenceReportData): ReportDocument {
  const c = data.contract
  const summary = reportSummary(data)
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: '一、合同概要' },
    {
      kind: 'pairs',
      rows: [
        ['合同编号', c.contractId],
        ['合同名称', c.title],
        ['发起方', c.senderCompanyName ? `${c.senderCompanyName}（经办人：${c.senderName}）` : c.senderName],
        ['合同状态', c.status === 'completed' ? '已完成（全部签署方已签署）' : c.status],
        ['创建时间', beijingTime(c.createdAt)],
        ['发送时间', beijingTime(c.sentAt)],
        ['完成时间', beijingTime(c.completedAt)],
        ['签署截止时间', beijingTime(c.deadline)],
        ['合同有效期至', c.validUntil ? beijingTime(c.validUntil) : '—'],
        ['最终文件 SHA-256', data.finalSha256],
        ['证据链', `共 ${summary.chainLength} 条记录，链尾哈希 ${summary.chainHead}`],
      ],
    },
    { kind: 'heading', text: '二、文件版本与哈希（SHA-256）' },
    { kind: 'table', columns: [{ title: '序号', width: 0.08 }, { title: '版本', width: 0.32 }, { title: 'SHA-256', width: 0.6 }], rows: data.revisions.map((r, i) => [String(i + 1), r.label, r.sha256]) },
    { kind: 'heading', text: '三、签署方身份与认证' },
    {
      kind: 'table',
      columns: [{ title: '签署方', width: 0.14 }, { title: '实名身份（已脱敏）', width: 0.3 }, { title: '实名认证方式', width: 0.2 }, { title: '意愿认证方式', width: 0.18 }, { title: '签署时间', width: 0.18 }],
      rows: data.parties.map((p) => [p.label, p.identity, p.verification, p.intent, beijingTime(p.signedAt)]),
    },
    { kind: 'heading', text: '四、数字证书' },
    {
      kind: 'table',
      columns: [{ title: '用途', width: 0.13 }, { title: '证书主体', width: 0.3 }, { title: '序列号', width: 0.22 }, { title: '有效期', width: 0.2 }, { title: '颁发者', width: 0.15 }],
      rows: data.certificates.map((x) => [x.role, x.subject, x.serialNumber, `${beijingTime(x.notBefore)}\n至 ${beijingTime(x.notAfter)}`, x.issuer]),
      empty: '（无）',
    },
    { kind: 'heading', text: '五、证据链时间线' },
    {
      kind: 'paragraph',
      text: '每条记录的哈希为其 RFC 8785 规范化 JSON（seq、prevHash、at、type、data）的 SHA-256，并包含前一条记录的哈希，任何记录被修改、删除、插入或调换顺序都会使其后的哈希无法对应。',
    },
    {
      kind: 'table',
      columns: [{ title: '序号', width: 0.05 }, { title: '时间（北京时间）', width: 0.13 }, { title: '事件', width: 0.15 }, { title: '内容', width: 0.43 }, { title: '哈希（SHA-256）', width: 0.24 }],
      rows: data.events.map((e) => [String(e.seq), beijingTime(e.at).replace(' ', '\n'), `${eventLabel(e.type)}\n${e.type}`, eventFields(e.data), e.hash]),
      empty: '（无记录）',
    },
    { kind: 'heading', text: '六、存证检查点' },
    {
      kind: 'table',
      columns: [{ title: '检查点', width: 0.2 }, { title: '时间（可信时间戳）', width: 0.18 }, { title: '事件数', width: 0.1 }, { title: '默克尔根（SHA-256）', width: 0.52 }],
      rows: data.checkpoints.map((k) => [k.id, beijingTime(k.at), String(k.treeSize), k.root]),
      empty: '尚无检查点',
    },
    { kind: 'heading', text: '七、验证方法' },
    {
      kind: 'paragraph',
      text: `1. 本报告由${data.platformName}以平台证书签名并加盖可信时间戳（PAdES B-T），可用 Adobe Reader、pdfsig 或“esign verify”验证签名；报告生成后的任何修改都会使签名失效。`,
    },
    { kind: 'paragraph', text: `2. 扫描首页二维码或访问 ${data.verifyUrl} ，上传合同文件或证据包即可在线验证。` },
    {
      kind: 'paragraph',
      text: '3. 离线验证：下载证据包（zip），运行“esign evidence verify 证据包.zip”，无需联网即可核对证据链、存证证明、时间戳、合同与本报告的全部签名，以及合同最终版本与证据记录是否一致。',
    },
  ]
  return {
    title: '电子合同证据报告',
    subtitle: c.title,
    cover: [
      ['合同编号', c.contractId],
      ['合同名称', c.title],
      ['报告编号', data.reportId],
      ['出具时间', `${beijingTime(data.generatedAt)}（北京时间）`],
      ['出具方', data.platformName],
      ['最终文件 SHA-256', data.finalSha256],
    ],
    qr: { url: data.verifyUrl, caption: '扫码验证本合同' },
    statement: `本报告由${data.platformName}在合同签署完成时自动生成，记载合同各版本的哈希、签署方经认证的身份（已脱敏）、认证方式、数字证书与完整的证据链，并由平台证书进行电子签名。`,
    blocks,
    footer: `证据报告 ${data.reportId} · 合同编号 ${c.contractId}`,
    info: { Subject: `《${c.title}》证据报告`, Keywords: c.contractId, [REPORT_SUMMARY_KEY]: JSON.stringify(summary) },
    createdAt: data.generatedAt,
    commonText: REPORT_COMMON_TEXT,
  }
}
