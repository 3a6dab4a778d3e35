import * as z from 'zod'
import { MAX_BATCH_CONTRACTS } from './batch-limits'
import type { LoginResponse } from './identity.types'

/**
 * Contracts (issue 14): create, send, sign in order, decline, revoke; the lists, the detail, the
 * timeline, downloads, page images and the certificates on a page. Bearer token required (the
 * signing-link routes excepted). State-changing calls take an `Idempotency-Key` header: a retry
 * with the same key returns the first answer and does nothing twice.
 *
 * - `POST /api/contracts` {@link CreateContractRequest} → 201 {@link ContractView} (a draft)
 * - `GET /api/contracts?box=&status=&q=&party=&createdFrom=&createdTo=&deadlineFrom=&deadlineTo=&validity=expiring|ended&archived=&cursor=&limit=` → {@link ContractList}
 * - `GET /api/contracts/counts` → {@link ContractCounts} (home page)
 * - `GET /api/contracts/{contractId}` → {@link ContractView}
 * - `POST /api/contracts/{contractId}/renew` {@link RenewContractRequest} → 201 {@link ContractView} (续签: the new draft, linked both ways)
 * - `GET /api/contracts/{contractId}/timeline` → {@link ContractTimeline}
 * - `POST /api/contracts/{contractId}/send` → {@link ContractView}
 * - `POST /api/contracts/{contractId}/view` → {@link ContractView} (a signer opened it)
 * - `POST /api/contracts/{contractId}/sign` {@link SignContractRequest} → {@link SignContractResponse}
 * - `POST /api/contracts/{contractId}/decline` {@link ReasonRequest} → {@link ContractView}
 * - `POST /api/contracts/{contractId}/revoke` {@link ReasonRequest} → {@link ContractView}
 * - `POST /api/contracts/{contractId}/archive` {@link ArchiveRequest} → {@link ContractView}
 * - `GET /api/contracts/{contractId}/pdf?version=current|original` → `application/pdf`
 * - `GET /api/contracts/{contractId}/pages/{page}?width=` → `image/png` (page 0-based, of the current revision; width rounded up to whole hundreds)
 * - `GET /api/contracts/{contractId}/signatures` → {@link ContractSignatures} (certificates and where they are on the pages)
 * - `GET /api/signing-links/{token}` → {@link SigningLinkView}
 * - `POST /api/signing-links/{token}/sms-codes` → 202 (code to the party's phone)
 * - `POST /api/signing-links/{token}/login` {@link SigningLinkLoginRequest} → {@link SigningLinkLoginResponse}
 */

export const CONTRACT_ID = /^[A-Za-z0-9_-]{1,64}$/
/** Party and field ids chosen by the client: a letter or digit first, then up to 63 URL-safe characters. */
const localId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, '编号格式不正确')
const phone = z.string().regex(/^1[3-9]\d{9}$/, '请填写正确的 11 位手机号')
const name = z.string().trim().min(1, '请填写名称').max(60, '名称不能超过 60 个字')
const coordinate = z.number().finite().min(-100000).max(100000)
const size = z.number().finite().positive().max(100000)
const rect = z.tuple([coordinate, coordinate, size, size])
const page = z.number().int().min(0).max(9999)
const role = z.enum(['signer', 'cc'])

export const ZPartyInput = z.discriminatedUnion('kind', [
  z.object({ partyId: localId, role, kind: z.literal('person'), name, phone }).strict(),
  z
    .object({
      partyId: localId,
      role,
      kind: z.literal('company'),
      companyName: z.string().trim().min(1, '请填写企业名称').max(100, '企业名称不能超过 100 个字'),
      member: z.object({ name, phone }).strict(),
    })
    .strict(),
])

const placed = { fieldId: localId, partyId: localId, page, rect }
export const ZFieldInput = z.discriminatedUnion('kind', [
  z.object({ ...placed, kind: z.literal('signature') }).strict(),
  z.object({ ...placed, kind: z.literal('seal') }).strict(),
  z.object({ ...placed, kind: z.literal('date'), format: z.enum(['YYYY-MM-DD', 'YYYY年MM月DD日']).optional() }).strict(),
  z.object({ ...placed, kind: z.literal('text'), required: z.boolean(), maxLength: z.number().int().min(1).max(2000), label: z.string().max(40).optional() }).strict(),
  z.object({ ...placed, kind: z.literal('checkbox'), required: z.boolean(), label: z.string().max(40).optional() }).strict(),
  z.object({ kind: z.literal('cross-page-seal'), fieldId: localId, partyId: localId, size: z.number().finite().min(40).max(300), y: coordinate.optional() }).strict(),
])

/**
 * 自动催办 of a contract: days after a party was notified (each 1–30, at most 5, none = no such
 * reminders) and hours before the deadline (1–168, null = none). Both empty switches it off.
 */
export const ZReminderSettings = z
  .object({
    afterDays: z
      .array(z.number().int().min(1, '催办天数为 1–30 天').max(30, '催办天数为 1–30 天'))
      .max(5, '最多设置 5 个催办时间')
      .refine((d) => new Set(d).size === d.length, '催办天数不能重复'),
    beforeDeadlineHours: z.number().int().min(1, '截止前提醒为 1–168 小时').max(168, '截止前提醒为 1–168 小时').nullable(),
  })
  .strict()
export type ReminderSettings = z.infer<typeof ZReminderSettings>

export const ZCreateContractRequest = z
  .object({
    title: z.string().max(200),
    note: z.string().max(1000).optional(),
    /** An uploaded document of the caller (`POST /api/documents`). */
    documentId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, '文档编号格式不正确'),
    /** Send as this company (the caller must be a member of it). */
    senderCompanyId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional(),
    parties: z.array(ZPartyInput).min(1, '请至少添加一位签署方').max(50, '签署方不能超过 50 个'),
    /** Groups of signer party ids: groups in sequence, signers within a group in parallel. */
    order: z.array(z.array(localId).max(50)).max(50),
    fields: z.array(ZFieldInput).max(500, '签署位置不能超过 500 个'),
    /** ISO 8601 instant. */
    deadline: z.string().datetime({ offset: true, message: '截止时间格式不正确' }),
    /** YYYY-MM-DD (Beijing). */
    validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '有效期格式应为 YYYY-MM-DD').optional(),
    /** 到期提醒: also tell every party (not only the sender) 30, 7 and 1 days before `validUntil`. */
    validityNoticeToParties: z.boolean().optional(),
    /** 自动催办: absent = the defaults (1, 3 and 7 days after a party is notified, 24 h before the deadline). */
    reminders: ZReminderSettings.optional(),
  })
  .strict()

/** 续签: a new draft from a contract (same parties, document, fields and order) with new dates. */
export const ZRenewContractRequest = z
  .object({
    /** The new draft's title (default: the original's). */
    title: z.string().trim().min(1, '请填写合同名称').max(200).optional(),
    /** ISO 8601 instant: the new signing deadline. */
    deadline: z.string().datetime({ offset: true, message: '截止时间格式不正确' }),
    /** YYYY-MM-DD (Beijing): the new validity end date. */
    validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '有效期格式应为 YYYY-MM-DD').optional(),
  })
  .strict()
export type RenewContractRequest = z.infer<typeof ZRenewContractRequest>

export const ZSignContractRequest = z
  .object({
    /** The intent proof (`POST /api/signing/intent/confirm`) for this contract, this party and the prepared document's hash. */
    intentProofId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '意愿认证编号格式不正确'),
    /** Text, checkbox values by field id (date fields are filled by the server). */
    values: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/), z.union([z.string().max(2000), z.boolean()])).default({}),
    /** A personal signature (handwriting or personal seal) of the caller (`GET /api/seals/mine`). */
    signatureId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional(),
    /** A company seal of the company party (`GET /api/seals/companies/{companyId}/seals`). */
    sealId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional(),
  })
  .strict()

export const ZReasonRequest = z.object({ reason: z.string().trim().min(1, '请填写原因').max(500, '原因不能超过 500 个字') }).strict()
/** 延期: the new deadline (later than the current one). */
export const ZExtendDeadlineRequest = z.object({ deadline: z.string().datetime({ offset: true, message: '截止时间格式不正确' }) }).strict()
/** 催办: one party (`partyId`) or, without it, every party whose turn it is. */
export const ZChaseRequest = z.object({ partyId: z.string().trim().min(1).max(40).optional() }).strict()
export type ChaseRequest = z.infer<typeof ZChaseRequest>
/**
 * `POST /api/contracts/{contractId}/chase` answer: who was sent a reminder with a fresh link, and
 * who was not and why (`CHASE_TOO_SOON` / `SMS_CARRIER_LIMIT` with `retryAfter`, `NOTICE_NOT_SENT`).
 */
export type ChaseResponse = {
  chased: Array<{ partyId: string; name: string }>
  skipped: Array<{ partyId: string; name: string; code: 'CHASE_TOO_SOON' | 'SMS_CARRIER_LIMIT' | 'NOTICE_NOT_SENT'; retryAfter?: string }>
}
export const ZArchiveRequest = z.object({ archived: z.boolean() }).strict()

export const CONTRACT_BOXES = ['todo', 'waiting', 'completed', 'all'] as const
export const ZContractListQuery = z
  .object({
    /** 待我签署 / 待他人签署 / 已完成 / 全部. */
    box: z.enum(CONTRACT_BOXES).default('all'),
    status: z.enum(['draft', 'pending_approval', 'sent', 'completed', 'declined', 'revoked', 'expired']).optional(),
    /** Search in the title and the parties' names. */
    q: z.string().trim().max(100).optional(),
    /** A party's name (or company name) contains this. */
    party: z.string().trim().max(100).optional(),
    createdFrom: z.string().datetime({ offset: true }).optional(),
    createdTo: z.string().datetime({ offset: true }).optional(),
    deadlineFrom: z.string().datetime({ offset: true }).optional(),
    deadlineTo: z.string().datetime({ offset: true }).optional(),
    /** 即将到期 (completed, validity ends within 30 days) or 已到期 (completed, validity end date passed). */
    validity: z.enum(['expiring', 'ended']).optional(),
    /** Archived contracts only (`true`), or only those not archived (default). */
    archived: z.enum(['true', 'false']).default('false'),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict()

export const ZPdfQuery = z.object({ version: z.enum(['current', 'original']).default('current') }).strict()
export const ZPageImageQuery = z.object({ width: z.coerce.number().int().min(100).max(2000).default(750) }).strict()
export const ZSigningLinkLoginRequest = z.object({ code: z.string().regex(/^\d{6}$/, '验证码应为 6 位数字') }).strict()

export type PartyInput = z.infer<typeof ZPartyInput>
export type FieldInput = z.infer<typeof ZFieldInput>
export type CreateContractRequest = z.infer<typeof ZCreateContractRequest>
export type SignContractRequest = z.input<typeof ZSignContractRequest>
export type ReasonRequest = z.infer<typeof ZReasonRequest>
export type ArchiveRequest = z.infer<typeof ZArchiveRequest>
export type ContractListQuery = z.input<typeof ZContractListQuery>
export type ContractBox = (typeof CONTRACT_BOXES)[number]
export type SigningLinkLoginRequest = z.infer<typeof ZSigningLinkLoginRequest>

export type ContractStatusName = 'draft' | 'pending_approval' | 'sent' | 'completed' | 'declined' | 'revoked' | 'expired'

/** The approval round (审批) of a contract: each approver's state (待审批 / 已同意 / 已驳回), comment and time. */
export type ApprovalProgressView = {
  round: number
  order: 'sequential' | 'parallel'
  status: 'pending' | 'approved' | 'rejected' | 'cancelled'
  requestedAt: string
  endedAt?: string
  approvers: { userId: string; name: string; status: 'pending' | 'approved' | 'rejected'; comment?: string; decidedAt?: string; /** Whether they may decide now. */ inTurn: boolean }[]
}
export type SignerStatusName = 'pending' | 'notified' | 'viewed' | 'signed' | 'declined'

/** A party as the API shows it: phones masked. */
export type PartyView = {
  partyId: string
  role: 'signer' | 'cc'
  kind: 'person' | 'company'
  /** The person's name, or the company's name. */
  name: string
  /** For a company: the member who acts (经办人). */
  memberName?: string
  /**
   * For a company party, once the company is known: the sending company, or the verified company of
   * the acting member (recorded when they open or sign the contract). Its seals are under
   * `GET /api/seals/companies/{companyId}/seals`.
   */
  companyId?: string
  maskedPhone: string
  /** For a company party whose sign answered `awaiting-seal-approval`: its latest 用印申请. */
  sealRequest?: PartySealRequest
  /** Signers only. */
  status?: SignerStatusName
  notifiedAt?: string
  viewedAt?: string
  signedAt?: string
  declinedAt?: string
  declineReason?: string
  /** 0-based index of the party's group in `order`. */
  group?: number
}

/** A 用印申请 raised when a company party's member signed without the right to use the seal alone. */
export type PartySealRequest = {
  requestId: string
  /** 审批中 / 已通过 (sign again) / 已驳回. */
  status: 'pending' | 'approved' | 'rejected'
  /** Who asked (the acting member), masked: 王*. */
  requesterName: string
  /** ISO instant of the request. */
  requestedAt: string
  /** ISO instant of the approval or rejection. */
  decidedAt?: string
}

/** What the caller may do now, and as which party. */
export type ContractActions = {
  /** The caller's party, if they are one. */
  partyId?: string
  isSender: boolean
  canSend: boolean
  canSign: boolean
  canDecline: boolean
  canRevoke: boolean
  /** 续签: the sender, on a completed contract not renewed yet. */
  canRenew: boolean
  /** The caller is an approver of the pending approval round whose turn it is (审批). */
  canApprove?: boolean
}

/** One contract of a renewal chain (续签链), oldest first. */
export type RenewalLink = { contractId: string; title: string; status: ContractStatusName; validUntil?: string; createdAt: string; /** The contract being shown. */ current: boolean }

export type ContractView = {
  contractId: string
  title: string
  note?: string
  status: ContractStatusName
  senderName: string
  senderCompanyName?: string
  deadline: string
  validUntil?: string
  /** Where it stands against `validUntil` (completed contracts only): 有效 / 即将到期 / 已到期. */
  validity?: 'in-force' | 'expiring' | 'ended'
  /** Every party is told before the validity ends (not only the sender). */
  validityNoticeToParties?: boolean
  /** 自动催办 in force (the defaults unless the sender chose otherwise); both empty: off. */
  reminders: { afterDays: number[]; beforeDeadlineHours: number | null }
  /** The contract this one renews (续签自), and the one that renews it (已续签为). */
  renewedFrom?: string
  renewedBy?: string
  /** The template (and its version) the contract was made from (`POST /api/templates/{id}/contracts`). */
  template?: { templateId: string; version: number }
  /** The renewal chain this contract is in, oldest first (only the contracts the caller may see), when it has more than itself. */
  renewalChain?: RenewalLink[]
  createdAt: string
  sentAt?: string
  closedAt?: string
  closedReason?: string
  parties: PartyView[]
  order: string[][]
  fields: FieldInput[]
  /** Displayed page sizes in points (known once sent; before, those of the uploaded PDF). */
  pages: { width: number; height: number }[]
  document: { originalSha256: string; preparedSha256?: string; latestSha256?: string; fileName?: string }
  /** Values filled by signers so far (text, checkbox, date), by field id. */
  values: Record<string, string | boolean>
  archived: boolean
  me: ContractActions
  /** The current or last approval round (审批), when the contract has had one. */
  approval?: ApprovalProgressView
}

export type ContractSummary = {
  contractId: string
  title: string
  status: ContractStatusName
  senderName: string
  createdAt: string
  deadline: string
  validUntil?: string
  validity?: 'in-force' | 'expiring' | 'ended'
  renewedBy?: string
  closedAt?: string
  parties: { name: string; role: 'signer' | 'cc'; status?: SignerStatusName }[]
  /** It is the caller's turn to sign. */
  myTurn: boolean
  isSender: boolean
  signedCount: number
  signerCount: number
}

export type ContractList = { items: ContractSummary[]; next?: string }

export type ContractCounts = {
  /** 待我签署 */
  toSign: number
  /** 待他人签署 (sent by me or signed by me, others still to sign) */
  waitingForOthers: number
  /** 即将截止: live contracts I am in whose deadline is within 3 days */
  expiringSoon: number
  completed: number
}

export type TimelineEntry = {
  type:
    | 'ContractCreated'
    | 'ContractSent'
    | 'SignerNotified'
    | 'SignerViewed'
    | 'SignerSigned'
    | 'SignerDeclined'
    | 'ContractCompleted'
    | 'ContractDeclined'
    | 'ContractRevoked'
    | 'ContractExpired'
    | 'DeadlineExtended'
    | 'ApprovalRequested'
    | 'ApprovalApproved'
    | 'ApprovalRejected'
  at: string
  /** The party's display name, when the entry is about a party. */
  partyName?: string
  reason?: string
  documentSha256?: string
  /** Chinese one-line description, e.g. "张三 已签署". */
  text: string
}
export type ContractTimeline = { items: TimelineEntry[] }

export type SignContractResponse =
  | { status: 'signed'; contract: ContractView; documentSha256: string }
  /** The member may use the seal only with an approved 用印申请: one was raised (or is pending); sign again once approved. */
  | { status: 'awaiting-seal-approval'; requestId: string; contract: ContractView }

/** One signature of the current PDF: where it is drawn, its certificate and its verification result. */
export type SignatureOnPage = {
  fieldName: string
  signerName?: string
  /** valid / indeterminate / invalid (as `esign verify`). */
  verdict: 'valid' | 'indeterminate' | 'invalid'
  /** Chinese summary of the result. */
  summary: string
  signingTime?: string
  certificate?: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string }
  /** Widgets (main + 骑缝章 strips): page 0-based and rectangle in display space. */
  widgets: { page: number; rect: [number, number, number, number] }[]
}
export type ContractSignatures = { documentSha256: string; signatures: SignatureOnPage[] }

export type SigningLinkView = { contractTitle: string; partyName: string; maskedPhone: string; senderName: string; deadline: string }
export type SigningLinkLoginResponse = LoginResponse & { contractId: string; partyId: string }

/**
 * 批量签署 (batch signing), for an account session:
 * - `POST /api/contracts/batch-sign/preview` {@link BatchPreviewRequest} → {@link BatchPreview}: opens
 *   each chosen contract (as `view` does) and says whether it can go into a batch, with the party
 *   and document hash the batch intent names (`POST /api/signing/intent/batches`).
 * - `POST /api/contracts/batch-sign` {@link BatchSignRequest} → {@link BatchSignResponse}: each
 *   contract signed on its own (its own signature, revision and evidence), one after another; one
 *   failure does not undo the others. At most 50 contracts (400 `VALIDATION_FAILED` beyond).
 */
const batchContractIds = z
  .array(z.string().regex(CONTRACT_ID, '合同编号格式不正确'))
  .min(1, '请至少选择一份合同')
  .max(MAX_BATCH_CONTRACTS, `一次最多批量签署 ${MAX_BATCH_CONTRACTS} 份合同`)
  .refine((ids) => new Set(ids).size === ids.length, '同一份合同不能重复选择')
export const ZBatchPreviewRequest = z.object({ contractIds: batchContractIds }).strict()
export const ZBatchSignRequest = z
  .object({
    /** The batch intent proof (`POST /api/signing/intent/batches`). */
    batchId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '批量意愿认证编号格式不正确'),
    contractIds: batchContractIds,
    /** For the contracts where the caller signs as a person: a personal signature (handwriting or personal seal). */
    signatureId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional(),
    /** For the contracts where the caller signs for a company: a seal of that company. */
    sealId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional(),
  })
  .strict()
export type BatchPreviewRequest = z.infer<typeof ZBatchPreviewRequest>
export type BatchSignRequest = z.infer<typeof ZBatchSignRequest>

/** Why a contract cannot be in a batch, or why its signature failed: an error code and its Chinese message. */
export type BatchItemError = { code: string; message: string; /** The HTTP status the code maps to (404, 403, 409…). */ status?: number }

export type BatchPreviewItem = {
  contractId: string
  title?: string
  senderName?: string
  deadline?: string
  /** The caller's party and how it signs: a person (signature) or a company (seal of `companyId`). */
  signerId?: string
  partyKind?: 'person' | 'company'
  companyId?: string
  /** SHA-256 of the prepared document: what the batch intent names for this contract. */
  documentHash?: string
  /** It can be signed in this batch; else `error` says why (not your turn, fields to fill, …). */
  ready: boolean
  error?: BatchItemError
}
export type BatchPreview = { items: BatchPreviewItem[] }

export type BatchSignItem =
  | { contractId: string; status: 'signed'; documentSha256: string }
  | { contractId: string; status: 'awaiting-seal-approval'; requestId: string }
  | { contractId: string; status: 'failed'; error: BatchItemError }
export type BatchSignResponse = { batchId: string; items: BatchSignItem[]; signed: number; failed: number }
