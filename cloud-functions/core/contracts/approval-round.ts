/**
 * 审批 (internal approval before sending): one round of approvals of a contract by named members
 * of the sending company. A round starts when a send meets the company's approval policy; it ends
 * when every approver approved (the contract goes out) or one rejected (back to draft). Pure data.
 */

export const APPROVAL_ORDERS = ['sequential', 'parallel'] as const
/** `sequential`: one after another in the listed order; `parallel`: all at once, in any order. */
export type ApprovalOrder = (typeof APPROVAL_ORDERS)[number]

export type ApproverStatus = 'pending' | 'approved' | 'rejected'

export type ApproverProgress = {
  userId: string
  /** The member's name when the round started (what the sender sees). */
  name: string
  status: ApproverStatus
  comment?: string
  decidedAt?: string
}

export type ApprovalRound = {
  /** 1 for the first round; each send after a rejection starts the next. */
  round: number
  order: ApprovalOrder
  approvers: ApproverProgress[]
  requestedAt: string
  requestedBy: string
  /** `pending` while it waits; `approved` when every approver approved; `rejected` on the first rejection; `cancelled` when the contract was revoked meanwhile. */
  status: 'pending' | 'approved' | 'rejected' | 'cancelled'
  endedAt?: string
}

/** The approvers who may decide now: the first pending one in a sequential round, every pending one in a parallel round. */
export function approversInTurn(round: ApprovalRound): string[] {
  if (round.status !== 'pending') return []
  const pending = round.approvers.filter((a) => a.status === 'pending')
  if (round.order === 'sequential') return pending.length ? [pending[0]!.userId] : []
  return pending.map((a) => a.userId)
}

export function allApproved(round: ApprovalRound): boolean {
  return round.approvers.every((a) => a.status === 'approved')
}
