import type { ApprovalRound } from './approval-round'

/**
 * The contract model (issue 14): what a sender writes, what is sent, and where each signer is.
 * Plain JSON-safe data (times are ISO-8601 strings) so a record can persist it as it is. The state
 * changes only through `applyCommand` (commands → events) and `applyEvent` (events → state).
 *
 * States: draft → sent → completed | declined | revoked | expired (the last four are terminal);
 * with the company's approval policy, draft → pending_approval (审批中) → sent, or back to draft on
 * a rejection (see `approval-round.ts`).
 * Per signer: pending → notified → viewed → signed | declined (`viewed` may be skipped).
 */

export const CONTRACT_STATUSES = ['draft', 'pending_approval', 'sent', 'completed', 'declined', 'revoked', 'expired'] as const
export type ContractStatus = (typeof CONTRACT_STATUSES)[number]
/** The states nothing leaves. */
export const TERMINAL_STATUSES: readonly ContractStatus[] = ['completed', 'declined', 'revoked', 'expired']

export const SIGNER_STATUSES = ['pending', 'notified', 'viewed', 'signed', 'declined'] as const
export type SignerStatus = (typeof SIGNER_STATUSES)[number]

/** `signer` must sign for the contract to complete; `cc` (抄送) only receives copies and notices. */
export type PartyRole = 'signer' | 'cc'

/** The person who acts for a company party (经办人). */
export type ActingMember = { name: string; phone: string; userId?: string }

/**
 * A party: a person (name + phone) or a company (company name + the member who acts).
 * `userId` is bound once known (the sender knows it for colleagues; otherwise when the party logs in).
 */
export type Party =
  | { partyId: string; role: PartyRole; kind: 'person'; name: string; phone: string; userId?: string }
  | { partyId: string; role: PartyRole; kind: 'company'; companyName: string; companyId?: string; member: ActingMember }

/** `[x, y, width, height]` in PDF points in display space: the page as displayed (rotation and crop box applied), origin bottom-left, y up (see core/signing/page-geometry.ts). */
export type DisplayRect = [number, number, number, number]

/** Date fields are filled at signing with the signing day in Asia/Shanghai. */
export type DateFormat = 'YYYY-MM-DD' | 'YYYY年MM月DD日'

type Placed = { fieldId: string; partyId: string; /** 0-based page index. */ page: number; rect: DisplayRect }

/**
 * A field one signer fills. Signature and seal fields are where their mark goes; a cross-page seal
 * (骑缝章) is split over the right edge of every page: `size` points square, its bottom at `y`
 * (display space), vertically centred on each page when `y` is absent — where
 * `prepareDocument`'s `crossPageSeal` puts the strips (it goes with the signer's seal field).
 */
export type Field =
  | (Placed & { kind: 'signature' })
  | (Placed & { kind: 'seal' })
  | (Placed & { kind: 'date'; format?: DateFormat })
  | (Placed & { kind: 'text'; required: boolean; maxLength: number; label?: string })
  | (Placed & { kind: 'checkbox'; required: boolean; label?: string })
  | { kind: 'cross-page-seal'; fieldId: string; partyId: string; size: number; y?: number }

export type FieldKind = Field['kind']

/** A page's displayed size in points (`pageGeometry(...).width/height`). */
export type PageSize = { width: number; height: number }

/** A rectangle already signed in the document (a signature widget of an earlier revision). */
export type SignedArea = { page: number; rect: DisplayRect }

/** What the signer chose to sign with: handwriting / personal seal, or their company's seal. */
export type SigningMarks = { signatureId?: string; sealId?: string }

export type FieldValue = string | boolean

export type SignerProgress = {
  status: SignerStatus
  notifiedAt?: string
  viewedAt?: string
  signedAt?: string
  declinedAt?: string
  declineReason?: string
  /** Text, checkbox and (filled at signing) date values by field id. */
  values?: Record<string, FieldValue>
  marks?: SigningMarks
  /** SHA-256 (hex) of the revision this signer's signature produced. */
  documentSha256?: string
}

export type ContractDocument = {
  /** SHA-256 (hex) of the uploaded PDF. */
  originalSha256: string
  /** SHA-256 of the PDF prepared at send time (all fields created); intent proofs bind to it. */
  preparedSha256?: string
  /** SHA-256 of the newest stored revision. */
  latestSha256?: string
  /** Displayed page sizes, fixed at send. */
  pages?: PageSize[]
}

/** Which template, at which version, a contract was made from. */
export type ContractTemplateRef = { templateId: string; version: number }

export type Contract = {
  contractId: string
  title: string
  note?: string
  senderUserId: string
  senderCompanyId?: string
  parties: Party[]
  /** Signing order: groups of signer party ids; groups run in sequence, signers in a group in parallel. */
  order: string[][]
  fields: Field[]
  /** Signing deadline (ISO instant): a sent contract expires when it passes. */
  deadline: string
  /** The contract's validity end date (YYYY-MM-DD, Beijing time). */
  validUntil?: string
  /** Whether every party (not only the sender) is told 30, 7 and 1 days before `validUntil` (chosen when sending). */
  validityNoticeToParties?: boolean
  /**
   * 自动催办, chosen at send time: days after a party was notified, and hours before the deadline;
   * `{ afterDays: [] }` switches it off. Absent: the defaults (`DEFAULT_REMINDERS`: 1, 3, 7 days, 24 h).
   */
  reminders?: ReminderRules
  /** The template (and its version) this contract was made from (use-cases/templates). */
  template?: ContractTemplateRef
  createdAt: string
  status: ContractStatus
  document: ContractDocument
  /** One entry per signer party. */
  signers: Record<string, SignerProgress>
  sentAt?: string
  /** When it reached a terminal state. */
  closedAt?: string
  /** Why it was declined or revoked, and by whom (a party id, or the sender's user id for a revocation). */
  closedReason?: string
  closedBy?: string
  /** The current (or, after it ended, the last) approval round (审批). */
  approval?: ApprovalRound
}

export function isTerminal(status: ContractStatus): boolean {
  return TERMINAL_STATUSES.includes(status)
}

export function signerParties(c: Pick<Contract, 'parties'>): Party[] {
  return c.parties.filter((p) => p.role === 'signer')
}

/** A party's display name: the person's name, or the company's name. */
export function partyName(p: Party): string {
  return p.kind === 'person' ? p.name : p.companyName
}

/** Automatic reminders of a contract (`Contract.reminders`). */
export type ReminderRules = { afterDays: number[]; beforeDeadlineHours?: number }
