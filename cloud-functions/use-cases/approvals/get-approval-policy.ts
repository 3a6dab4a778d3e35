import type { ApprovalPolicyView } from '../../api/approvals.types'
import { ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { loadApprovers } from './load-approvers'
import { loadPolicy, type PolicyRecord } from './records'

/** A company's approval policy (审批设置), for its admins (`FORBIDDEN` for anyone else). */
export async function getApprovalPolicy(deps: { metadata: MetadataStore }, input: { userId: string; companyId: string }): Promise<Result<ApprovalPolicyView>> {
  const role = await requireCompanyRole(deps, { userId: input.userId, companyId: input.companyId, admin: true })
  if (!role.ok) return role
  return ok(await policyView(deps.metadata, input.companyId, await loadPolicy(deps.metadata, input.companyId)))
}

export async function policyView(metadata: MetadataStore, companyId: string, policy: PolicyRecord): Promise<ApprovalPolicyView> {
  const { approvers, missing } = await loadApprovers(metadata, companyId, policy.approvers)
  return {
    companyId,
    scope: policy.scope,
    templateIds: policy.templateIds,
    order: policy.order,
    // A member who left stays listed (the gate refuses to send until the admin replaces them).
    approvers: [...approvers, ...missing.map((userId) => ({ userId, name: '已离开的成员' }))],
    ...(policy.updatedAt ? { updatedAt: policy.updatedAt } : {}),
  }
}
