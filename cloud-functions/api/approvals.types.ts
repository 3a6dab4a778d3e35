import * as z from 'zod'
import type { ApprovalProgressView, ContractStatusName } from './contracts.types'

/**
 * 审批: internal approval of a company's contracts before they go out.
 * - `GET /api/companies/{companyId}/approval-policy` → {@link ApprovalPolicyView} (company admins)
 * - `PUT /api/companies/{companyId}/approval-policy` {@link ApprovalPolicyRequest} → {@link ApprovalPolicyView}
 * - `GET /api/approvals` → {@link ApprovalList} (the caller's: waiting for them, and done)
 * - `POST /api/approvals/decide` {@link DecideApprovalsRequest} → {@link DecideApprovalsResponse} (one outcome per item)
 *
 * A send that meets the sending company's policy puts the contract in `pending_approval` (审批中);
 * it goes out when every approver approved, and is a draft again on a rejection.
 */
const userId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '成员编号格式不正确')
const templateId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '模板编号格式不正确')

export const ZApprovalPolicyRequest = z
  .object({
    /** `off`: no approval; `all`: every contract; `templates`: only contracts from `templateIds`. */
    scope: z.enum(['off', 'all', 'templates']),
    templateIds: z.array(templateId).max(100, '最多 100 个模板').default([]),
    /** Member user ids, in approval order; 1–10 unless `scope` is `off`. */
    approvers: z.array(userId).max(10, '审批人最多 10 位').default([]),
    order: z.enum(['sequential', 'parallel']).default('sequential'),
  })
  .strict()
export type ApprovalPolicyRequest = z.input<typeof ZApprovalPolicyRequest>

export type ApprovalPolicyView = {
  companyId: string
  scope: 'off' | 'all' | 'templates'
  templateIds: string[]
  order: 'sequential' | 'parallel'
  approvers: { userId: string; name: string }[]
  updatedAt?: string
}
export const ZApprovalPolicyView = z.object({
  companyId: z.string(),
  scope: z.enum(['off', 'all', 'templates']),
  templateIds: z.array(z.string()),
  order: z.enum(['sequential', 'parallel']),
  approvers: z.array(z.object({ userId: z.string(), name: z.string() })),
  updatedAt: z.string().optional(),
})

export const ZDecideApprovalsRequest = z
  .object({
    items: z
      .array(
        z
          .object({
            contractId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '合同编号格式不正确'),
            decision: z.enum(['approve', 'reject']),
            /** Required for a rejection (驳回意见). */
            comment: z.string().max(500, '审批意见不能超过 500 个字').optional(),
          })
          .strict(),
      )
      .min(1, '请选择要审批的合同')
      .max(50, '一次最多审批 50 份合同'),
  })
  .strict()
export type DecideApprovalsRequest = z.infer<typeof ZDecideApprovalsRequest>

/** One item's outcome: the contract's state after it, or the error (the other items are not affected). */
export type DecideOutcome =
  | { contractId: string; ok: true; status: ContractStatusName; approval?: ApprovalProgressView }
  | { contractId: string; ok: false; error: { code: string; message: string } }
export type DecideApprovalsResponse = { results: DecideOutcome[] }
export const ZDecideApprovalsResponse = z.object({
  results: z.array(
    z.union([
      z.object({ contractId: z.string(), ok: z.literal(true), status: z.string(), approval: z.unknown().optional() }),
      z.object({ contractId: z.string(), ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
    ]),
  ),
})

/** One contract in an approver's list. */
export type ApprovalItem = {
  contractId: string
  title: string
  senderName: string
  round: number
  requestedAt: string
  /** The contract's state now. */
  contractStatus: ContractStatusName
  /** The caller may decide now (their turn in the pending round). */
  inTurn: boolean
  /** The caller's decision in this round, if any. */
  myDecision?: 'approved' | 'rejected'
  comment?: string
  decidedAt?: string
  /** The round's progress, while it is the contract's current round. */
  progress?: ApprovalProgressView
}
/** `waiting`: rounds still pending that the caller has not decided (in turn or not yet); `done`: the rest. */
export type ApprovalList = { waiting: ApprovalItem[]; done: ApprovalItem[] }
export const ZApprovalList = z.object({ waiting: z.array(z.unknown()), done: z.array(z.unknown()) })
