import type { ApprovalItem, ApprovalList } from '../../api/approvals.types'
import { approversInTurn } from '../../core/contracts/approval-round'
import { ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { approvalView } from '../contracts/contract-view'
import { loadContractItem } from '../contracts/records'
import { listApproverEntries } from './records'

/**
 * The caller's approvals (`GET /api/approvals`), newest first: `waiting` — rounds still pending
 * that they have not decided (`inTurn` when they may decide now) — and `done`: their decisions,
 * and rounds that ended without them (rejected by another approver, or the contract revoked).
 */
export async function listApprovals(deps: { metadata: MetadataStore }, input: { userId: string }): Promise<Result<ApprovalList>> {
  const entries = await listApproverEntries(deps.metadata, input.userId, 200)
  const waiting: ApprovalItem[] = []
  const done: ApprovalItem[] = []
  for (const e of entries) {
    const item = await loadContractItem(deps.metadata, e.contractId)
    if (!item) continue
    const c = item.contract
    const current = c.approval?.round === e.round ? c.approval : undefined
    const mine = current?.approvers.find((a) => a.userId === input.userId)
    const row: ApprovalItem = {
      contractId: e.contractId,
      title: c.title,
      senderName: e.senderName || item.senderName,
      round: e.round,
      requestedAt: e.requestedAt,
      contractStatus: c.status,
      inTurn: !!current && c.status === 'pending_approval' && approversInTurn(current).includes(input.userId),
      ...(e.decision ? { myDecision: e.decision } : mine && mine.status !== 'pending' ? { myDecision: mine.status } : {}),
      ...(e.comment ? { comment: e.comment } : mine?.comment ? { comment: mine.comment } : {}),
      ...(e.decidedAt ? { decidedAt: e.decidedAt } : mine?.decidedAt ? { decidedAt: mine.decidedAt } : {}),
      ...(current ? { progress: approvalView(c) } : {}),
    }
    if (!row.myDecision && current?.status === 'pending' && c.status === 'pending_approval') waiting.push(row)
    else done.push(row)
  }
  return ok({ waiting, done })
}
