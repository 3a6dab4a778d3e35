import type { ApprovalOrder } from '../contracts/approval-round'

/**
 * A company's approval policy (审批设置): which of its contracts need approval before they go out,
 * by whom, in which order. Pure.
 *
 * - `off`: none; `all`: every contract the company sends; `templates`: only contracts created from
 *   one of `templateIds`.
 */
export type ApprovalPolicy = {
  scope: 'off' | 'all' | 'templates'
  templateIds: string[]
  /** Member user ids, 1–10 (none when `off`), in the order they approve when `order` is sequential. */
  approvers: string[]
  order: ApprovalOrder
}

export const APPROVAL_LIMITS = { approvers: 10, templateIds: 100, commentLength: 500 } as const

export const NO_APPROVAL: ApprovalPolicy = { scope: 'off', templateIds: [], approvers: [], order: 'sequential' }

/** Whether a contract (by the template it came from, if any) needs approval under `policy`. */
export function approvalApplies(policy: ApprovalPolicy, contract: { template?: { templateId: string } }): boolean {
  if (policy.approvers.length === 0) return false
  switch (policy.scope) {
    case 'off':
      return false
    case 'all':
      return true
    case 'templates':
      return !!contract.template && policy.templateIds.includes(contract.template.templateId)
  }
}
