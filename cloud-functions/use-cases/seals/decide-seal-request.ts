import type { SealRequestView } from '../../api/seals.types'
import { checkRequestDecision } from '../../core/seals/seal-use-rules'
import { requestKey, toRequest, toRequestView } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { findMembership } from '../identity/records'

/**
 * Approve or reject a pending 用印申请: an admin of the company who is not the requester
 * (`FORBIDDEN` otherwise); a decided request stays as it is (`SEAL_REQUEST_DECIDED`). Conditional
 * on the version read, so two approvers racing produce one decision.
 */
export async function decideSealRequest(
  deps: { metadata: MetadataStore; clock: Clock },
  input: { userId: string; companyId: string; requestId: string; decision: 'approve' | 'reject'; comment?: string },
): Promise<Result<SealRequestView>> {
  const member = await findMembership(deps, input)
  if (!member) return err('FORBIDDEN', '您不是该企业的成员')
  const { pk, sk } = requestKey(input.companyId, input.requestId)
  const current = await deps.metadata.get(pk, sk)
  if (!current) return err('SEAL_REQUEST_NOT_FOUND', '用印申请不存在')
  const allowed = checkRequestDecision({ approver: { userId: input.userId, role: member.role }, request: toRequest(current) })
  if (!allowed.ok) return allowed
  const { version, ...rest } = current
  const next = {
    ...rest,
    status: input.decision === 'approve' ? 'approved' : 'rejected',
    decidedBy: input.userId,
    decidedAt: deps.clock.now().toISOString(),
    comment: input.comment || undefined,
  }
  const written = await deps.metadata.put(next, { expectedVersion: version })
  if (!written.ok) return err('SEAL_REQUEST_DECIDED', '该用印申请已被其他管理员审批')
  return ok(toRequestView({ ...next, version: version + 1 }))
}
