import type { ApprovalOrder } from './approval-round'
import type { FieldValue, PageSize, SigningMarks } from './contract'

/**
 * The facts a transition produces. Each carries its time; `applyEvent` folds them into the state,
 * so the events are the contract's timeline and its audit trail (the evidence chain appends them).
 */
export type ContractEvent =
  | { type: 'ContractSent'; at: string; preparedSha256: string; pages: PageSize[] }
  | { type: 'SignerNotified'; at: string; partyId: string }
  | { type: 'SignerViewed'; at: string; partyId: string }
  | { type: 'SignerSigned'; at: string; partyId: string; values: Record<string, FieldValue>; marks: SigningMarks; documentSha256: string }
  | { type: 'SignerDeclined'; at: string; partyId: string; reason: string }
  | { type: 'ContractCompleted'; at: string }
  | { type: 'ContractDeclined'; at: string; partyId: string; reason: string }
  | { type: 'ContractRevoked'; at: string; by: string; reason: string }
  | { type: 'ContractExpired'; at: string }
  /** The sender moved the deadline later before it passed. */
  | { type: 'DeadlineExtended'; at: string; by: string; deadline: string }
  /** A send met the company's approval policy: a new round with these approvers (审批中). */
  | { type: 'ApprovalRequested'; at: string; by: string; round: number; order: ApprovalOrder; approvers: { userId: string; name: string }[] }
  | { type: 'ApprovalApproved'; at: string; round: number; userId: string; comment?: string }
  /** One approver rejected: the round ends and the contract is a draft again. */
  | { type: 'ApprovalRejected'; at: string; round: number; userId: string; comment: string }

export type ContractEventType = ContractEvent['type']
