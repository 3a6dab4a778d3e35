import type { ApprovalList, ApprovalPolicyRequest, ApprovalPolicyView, DecideApprovalsRequest, DecideApprovalsResponse } from '@api/approvals.types'
import { apiRequest } from './api-client'

const policyPath = (companyId: string) => `/api/companies/${encodeURIComponent(companyId)}/approval-policy`

/** 审批 (see cloud-functions/api/approvals.types.ts): the company's policy (admins), my approvals, decisions. */
export const approvalsApi = {
  policy: (companyId: string) => apiRequest<ApprovalPolicyView>('GET', policyPath(companyId)),
  setPolicy: (companyId: string, policy: ApprovalPolicyRequest) => apiRequest<ApprovalPolicyView>('PUT', policyPath(companyId), { data: policy }),
  list: () => apiRequest<ApprovalList>('GET', '/api/approvals'),
  decide: (items: DecideApprovalsRequest['items']) => apiRequest<DecideApprovalsResponse>('POST', '/api/approvals/decide', { data: { items } }),
}
