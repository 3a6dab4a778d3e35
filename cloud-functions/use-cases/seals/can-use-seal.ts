import type { SealView } from '../../api/seals.types'
import { decideSealUse, type ContractRef } from '../../core/seals/seal-use-rules'
import { grantKey, latestRequestKey, requestKey, sealKey, toGrant, toRequest, toSealRef, toSealView } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { findMembership } from '../identity/records'

/**
 * `canUseSeal(member, seal, contract)` for the signing step: whether `member.userId` may put seal
 * `seal.sealId` of `seal.companyId` on `contract` now — a member of that company, the seal active,
 * and either an admin, or authorised (grant valid, template allowed) with an approved 用印申请 for
 * this seal and contract. `SEAL_NOT_FOUND`, or `SEAL_NOT_AUTHORISED` (403) with `details.reason`
 * (see `SealDenial`). Reads only; {@link useSeal} also records the use.
 *
 * @example
 * const allowed = await canUseSeal(deps, { userId }, { companyId, sealId }, { contractId, templateId, companyId })
 * if (!allowed.ok) return allowed
 */
export async function canUseSeal(
  deps: { metadata: MetadataStore; clock: Clock },
  member: { userId: string },
  seal: { companyId: string; sealId: string },
  contract: ContractRef,
): Promise<Result<{ seal: SealView; via: 'admin' | 'grant'; requestId?: string }>> {
  const sk = sealKey(seal.companyId, seal.sealId)
  const g = grantKey(seal.companyId, seal.sealId, member.userId)
  const l = latestRequestKey(seal.companyId, seal.sealId, contract.contractId, member.userId)
  const [membership, sealItem, grantItem, pointer] = await Promise.all([
    findMembership(deps, { userId: member.userId, companyId: seal.companyId }),
    deps.metadata.get(sk.pk, sk.sk),
    deps.metadata.get(g.pk, g.sk),
    deps.metadata.get(l.pk, l.sk),
  ])
  if (!sealItem) return err('SEAL_NOT_FOUND', '印章不存在')
  const requestItem = pointer ? await deps.metadata.get(requestKey(seal.companyId, String(pointer.requestId)).pk, requestKey(seal.companyId, String(pointer.requestId)).sk) : undefined
  const decision = decideSealUse({
    member: membership ? { userId: member.userId, role: membership.role } : undefined,
    seal: toSealRef(sealItem),
    contract,
    grant: grantItem ? toGrant(grantItem) : undefined,
    request: requestItem ? toRequest(requestItem) : undefined,
    now: deps.clock.now(),
  })
  if (!decision.ok) return decision
  return ok({ seal: toSealView(sealItem), ...decision.value })
}
