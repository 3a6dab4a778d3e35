import { approvalApplies } from '../../core/approvals/approval-policy'
import { applyCommand } from '../../core/contracts/apply-command'
import { approversInTurn, type ApprovalOrder } from '../../core/contracts/approval-round'
import type { Contract } from '../../core/contracts/contract'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { commitTransition } from '../contracts/commit-transition'
import type { ContractItem } from '../contracts/records'
import type { ApprovalDeps } from './deps'
import { loadApprovers } from './load-approvers'
import { approvalRequestNotice, notifyAccounts } from './notify-approvers'
import { loadPolicy, roundEntryOperations } from './records'

export type ApprovalGate = { order: ApprovalOrder; approvers: { userId: string; name: string }[] }

/**
 * Whether sending `contract` needs approval first: its sending company's policy applies to it
 * (all contracts, or its template is listed). `undefined`: send directly. `APPROVER_NOT_MEMBER`
 * when a named approver has left the company (an admin updates the policy first).
 */
export async function approvalGate(deps: { metadata: MetadataStore }, contract: Contract): Promise<Result<ApprovalGate | undefined>> {
  if (!contract.senderCompanyId) return ok(undefined)
  const policy = await loadPolicy(deps.metadata, contract.senderCompanyId)
  if (!approvalApplies(policy, contract)) return ok(undefined)
  const { approvers, missing } = await loadApprovers(deps.metadata, contract.senderCompanyId, policy.approvers)
  if (missing.length) return err('APPROVER_NOT_MEMBER', '审批设置中有审批人已不是企业成员，请联系企业管理员更新审批设置', { userIds: missing })
  return ok({ order: policy.order, approvers })
}

/**
 * Start an approval round instead of sending (审批中): the round, its timeline item, the
 * `approval.requested` evidence and every approver's list entry in one transaction; then the
 * approvers who may decide now are told.
 */
export async function requestApproval(deps: ApprovalDeps, item: ContractItem, gate: ApprovalGate, input: { userId: string; now: Date; context: EvidenceContext }): Promise<Result<ContractItem>> {
  const t = applyCommand(item.contract, { type: 'request-approval', by: input.userId, order: gate.order, approvers: gate.approvers }, input.now)
  if (!t.ok) return t
  const round = t.value.contract.approval!
  const committed = await commitTransition(deps, item, { contract: t.value.contract }, t.value.events, input.now, roundEntryOperations(round, item.contract, item.senderName), { context: input.context })
  if (!committed.ok) return committed
  deps.logger.info({ userId: input.userId, contractId: item.contract.contractId, round: round.round, approvers: round.approvers.length }, 'contract approval requested')
  await notifyAccounts(deps, committed.value, approversInTurn(round), approvalRequestNotice(committed.value))
  return ok(committed.value)
}
