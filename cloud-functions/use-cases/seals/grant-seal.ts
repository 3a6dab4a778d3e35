import type { GrantSealRequest, SealGrantView } from '../../api/seals.types'
import { grantEndsAt } from '../../core/seals/seal-use-rules'
import { grantKey, sealKey, toGrantView } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { findMembership } from '../identity/records'
import { requireCompanyRole } from '../identity/require-company-role'

/**
 * Authorise a member to use a seal through `validUntil` (Beijing time), optionally for some
 * templates only; admins only. Replaces an earlier grant to the same member for the same seal.
 */
export async function grantSeal(
  deps: { metadata: MetadataStore; clock: Clock },
  input: { userId: string; companyId: string; sealId: string; memberId: string } & GrantSealRequest,
): Promise<Result<SealGrantView>> {
  const role = await requireCompanyRole(deps, { ...input, admin: true })
  if (!role.ok) return role
  const seal = await deps.metadata.get(sealKey(input.companyId, input.sealId).pk, sealKey(input.companyId, input.sealId).sk)
  if (!seal) return err('SEAL_NOT_FOUND', '印章不存在')
  if (!(await findMembership(deps, { userId: input.memberId, companyId: input.companyId }))) {
    return err('VALIDATION_FAILED', '被授权人不是该企业的成员', { field: 'userId' })
  }
  const now = deps.clock.now()
  if (grantEndsAt(input.validUntil).getTime() < now.getTime()) return err('VALIDATION_FAILED', '授权截止日期不能早于今天', { field: 'validUntil' })
  const templateIds = input.templateIds?.length ? [...new Set(input.templateIds)] : undefined
  const item = {
    ...grantKey(input.companyId, input.sealId, input.memberId),
    type: 'seal-grant',
    companyId: input.companyId,
    sealId: input.sealId,
    userId: input.memberId,
    validUntil: input.validUntil,
    templateIds,
    grantedBy: input.userId,
    grantedAt: now.toISOString(),
  }
  await deps.metadata.put(item)
  return ok(toGrantView({ ...item, version: 1 }))
}
