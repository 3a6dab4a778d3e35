import type { ApprovalPolicyView } from '../../api/approvals.types'
import { APPROVAL_LIMITS, type ApprovalPolicy } from '../../core/approvals/approval-policy'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { policyView } from './get-approval-policy'
import { loadApprovers } from './load-approvers'
import { savePolicy } from './records'

/**
 * A company admin sets the approval policy: off, all contracts, or contracts from the listed
 * templates; 1–10 distinct approvers who are members of the company (`APPROVER_NOT_MEMBER`), in
 * order or in any order. Contracts already waiting keep the round they started with.
 */
export async function setApprovalPolicy(deps: { metadata: MetadataStore; clock: Clock }, input: { userId: string; companyId: string; policy: ApprovalPolicy }): Promise<Result<ApprovalPolicyView>> {
  const role = await requireCompanyRole(deps, { userId: input.userId, companyId: input.companyId, admin: true })
  if (!role.ok) return role
  const p = input.policy
  const approvers = [...p.approvers]
  const templateIds = [...new Set(p.templateIds)]
  if (new Set(approvers).size !== approvers.length) return err('VALIDATION_FAILED', '审批人不能重复', { reason: 'APPROVERS_DUPLICATE' })
  if (approvers.length > APPROVAL_LIMITS.approvers) return err('VALIDATION_FAILED', `审批人最多 ${APPROVAL_LIMITS.approvers} 位`, { reason: 'TOO_MANY_APPROVERS' })
  if (p.scope !== 'off' && approvers.length === 0) return err('VALIDATION_FAILED', '请至少选择一位审批人', { reason: 'APPROVERS_REQUIRED' })
  if (p.scope === 'templates' && templateIds.length === 0) return err('VALIDATION_FAILED', '请至少选择一个需要审批的模板', { reason: 'TEMPLATES_REQUIRED' })
  const { missing } = await loadApprovers(deps.metadata, input.companyId, approvers)
  if (missing.length) return err('APPROVER_NOT_MEMBER', '审批人必须是本企业的成员', { userIds: missing })
  const record = { scope: p.scope, templateIds: p.scope === 'templates' ? templateIds : [], approvers: p.scope === 'off' ? [] : approvers, order: p.order, updatedAt: deps.clock.now().toISOString(), updatedBy: input.userId }
  await savePolicy(deps.metadata, input.companyId, record)
  return ok(await policyView(deps.metadata, input.companyId, record))
}
