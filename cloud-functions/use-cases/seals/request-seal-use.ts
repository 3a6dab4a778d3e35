import type { CreateSealUseRequest, SealRequestView } from '../../api/seals.types'
import { checkSealAuthorisation } from '../../core/seals/seal-use-rules'
import { grantKey, latestRequestKey, requestKey, sealKey, toGrant, toRequestView, toSealRef } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { MetadataStore } from '../../ports/metadata-store'
import { findMembership } from '../identity/records'

/**
 * 用印申请: a member asks to use a seal on a contract. They must already be authorised for it
 * (grant valid, template allowed) — else `SEAL_NOT_AUTHORISED`. A pending or approved request for
 * the same seal, contract and member is returned as it is (`created: false`); after a rejection a
 * new request may be made. The request and the member's latest-request pointer are written in one
 * transaction.
 */
export async function requestSealUse(
  deps: { metadata: MetadataStore; clock: Clock; ids: Ids },
  input: { userId: string; companyId: string } & CreateSealUseRequest,
): Promise<Result<{ request: SealRequestView; created: boolean }>> {
  const member = await findMembership(deps, input)
  if (!member) return err('FORBIDDEN', '您不是该企业的成员')
  const sealItem = await deps.metadata.get(sealKey(input.companyId, input.sealId).pk, sealKey(input.companyId, input.sealId).sk)
  if (!sealItem) return err('SEAL_NOT_FOUND', '印章不存在')
  const grantItem = await deps.metadata.get(grantKey(input.companyId, input.sealId, input.userId).pk, grantKey(input.companyId, input.sealId, input.userId).sk)
  const now = deps.clock.now()
  const auth = checkSealAuthorisation({
    member: { userId: input.userId, role: member.role },
    seal: toSealRef(sealItem),
    contract: { contractId: input.contractId, templateId: input.templateId },
    grant: grantItem ? toGrant(grantItem) : undefined,
    now,
  })
  if (!auth.ok) return auth
  const latest = latestRequestKey(input.companyId, input.sealId, input.contractId, input.userId)
  const pointer = await deps.metadata.get(latest.pk, latest.sk)
  if (pointer) {
    const previous = await deps.metadata.get(requestKey(input.companyId, String(pointer.requestId)).pk, requestKey(input.companyId, String(pointer.requestId)).sk)
    if (previous && previous.status !== 'rejected') return ok({ request: toRequestView(previous), created: false })
  }
  const requestId = deps.ids.newId()
  const item = {
    ...requestKey(input.companyId, requestId),
    type: 'seal-request',
    requestId,
    companyId: input.companyId,
    sealId: input.sealId,
    contractId: input.contractId,
    templateId: input.templateId,
    requesterId: input.userId,
    reason: input.reason || undefined,
    status: 'pending',
    createdAt: now.toISOString(),
  }
  const written = await deps.metadata.transact([
    { put: item, condition: { mustNotExist: true } },
    { put: { ...latest, type: 'seal-request-latest', requestId }, condition: pointer ? { expectedVersion: pointer.version } : { mustNotExist: true } },
  ])
  if (!written.ok) return err('CONFLICT', '同一用印申请正在提交，请刷新后重试')
  return ok({ request: toRequestView({ ...item, version: 1 }), created: true })
}
