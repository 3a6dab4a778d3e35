import type { DecideApprovalsRequest, DecideApprovalsResponse, DecideOutcome } from '../../api/approvals.types'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { ok, type Result } from '../../core/shared/result'
import { decideApproval } from './decide-approval'
import type { ApprovalDeps } from './deps'

/**
 * 批量审批: each item decided on its own ({@link decideApproval}), in the order given; one failure
 * does not undo the others, and the answer lists each contract's outcome.
 */
export async function decideApprovals(deps: ApprovalDeps, input: { userId: string; items: DecideApprovalsRequest['items']; request?: EvidenceContext }): Promise<Result<DecideApprovalsResponse>> {
  const results: DecideOutcome[] = []
  for (const it of input.items) {
    let outcome: DecideOutcome
    try {
      const r = await decideApproval(deps, { userId: input.userId, contractId: it.contractId, decision: it.decision, comment: it.comment, request: input.request })
      outcome = r.ok
        ? { contractId: it.contractId, ok: true, status: r.value.status, ...(r.value.approval ? { approval: r.value.approval } : {}) }
        : { contractId: it.contractId, ok: false, error: { code: r.error.code, message: r.error.message } }
    } catch (e) {
      deps.logger.error({ contractId: it.contractId, err: (e as Error).message }, 'approval decision failed')
      outcome = { contractId: it.contractId, ok: false, error: { code: 'INTERNAL', message: '审批失败，请稍后重试' } }
    }
    results.push(outcome)
  }
  return ok({ results })
}
