import type { ContractView } from '../../api/contracts.types'
import { applyCommand } from '../../core/contracts/apply-command'
import { approversInTurn } from '../../core/contracts/approval-round'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { err, ok, type Result } from '../../core/shared/result'
import { commitTransition } from '../contracts/commit-transition'
import { toContractView } from '../contracts/contract-view'
import { findContract, loadCaller } from '../contracts/find-contract'
import { dispatchContract } from '../contracts/send-contract'
import type { ApprovalDeps } from './deps'
import { notifyAccounts, approvalRequestNotice } from './notify-approvers'
import { decisionEntryOperation } from './records'

/**
 * A named approver of the contract's pending round approves or rejects it (with a comment, required
 * for a rejection). The decision, its timeline item, its `approval.*` evidence and the approver's
 * list entry are one transaction. The last approval sends the contract in the same transaction
 * (prepared, links, notices: `dispatchContract`); a rejection makes it a draft again and tells the
 * sender; in a sequential round the next approver is told.
 *
 * Errors: `CONTRACT_NOT_FOUND` (404) for a contract the caller cannot see; `NOT_AN_APPROVER` (403)
 * for one they see but are not named in; `APPROVAL_ALREADY_DECIDED`, `APPROVAL_NOT_YOUR_TURN`,
 * `APPROVAL_NOT_PENDING` (409).
 */
export async function decideApproval(
  deps: ApprovalDeps,
  input: { userId: string; contractId: string; decision: 'approve' | 'reject'; comment?: string; request?: EvidenceContext },
): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const context = input.request ?? { actor: `user:${input.userId}` }
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await findContract(deps.metadata, input.contractId, caller)
    if (!found.ok) return found
    const item = found.value
    const now = deps.clock.now()
    const t = applyCommand(item.contract, input.decision === 'approve' ? { type: 'approve', userId: input.userId, comment: input.comment } : { type: 'reject', userId: input.userId, comment: input.comment ?? '' }, now)
    if (!t.ok) return t
    const round = t.value.contract.approval!
    const mine = round.approvers.find((a) => a.userId === input.userId)!
    const entry = decisionEntryOperation(input.userId, round, item.contract, item.senderName, {
      decision: input.decision === 'approve' ? 'approved' : 'rejected',
      decidedAt: now.toISOString(),
      ...(mine.comment ? { comment: mine.comment } : {}),
    })
    if (round.status === 'approved') {
      const sent = await dispatchContract(deps, item, { now, context, before: t.value, extra: [entry] })
      if (!sent.ok) {
        if (sent.error.code === 'CONFLICT') continue
        return sent
      }
      deps.logger.info({ userId: input.userId, contractId: input.contractId, round: round.round }, 'contract approved and sent')
      return ok(toContractView(sent.value, caller, now))
    }
    const committed = await commitTransition(deps, item, { contract: t.value.contract }, t.value.events, now, [entry], { context })
    if (!committed.ok) continue
    deps.logger.info({ userId: input.userId, contractId: input.contractId, round: round.round, decision: input.decision }, 'contract approval decided')
    if (round.status === 'rejected') {
      const by = mine.name || '审批人'
      await notifyAccounts(deps, committed.value, [item.contract.senderUserId], { kind: 'approval-rejected', title: item.contract.title, by, reason: mine.comment ?? '' })
    } else if (round.order === 'sequential') {
      await notifyAccounts(deps, committed.value, approversInTurn(round), approvalRequestNotice(committed.value))
    }
    return ok(toContractView(committed.value, caller, now))
  }
  return err('CONFLICT', '合同正在被修改，请稍后重试')
}
