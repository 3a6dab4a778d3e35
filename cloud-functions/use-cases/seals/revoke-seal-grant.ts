import { grantKey } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'

/** Withdraw a member's authorisation for a seal (admins). `NOT_FOUND` when there was none. */
export async function revokeSealGrant(
  deps: { metadata: MetadataStore },
  input: { userId: string; companyId: string; sealId: string; memberId: string },
): Promise<Result<true>> {
  const role = await requireCompanyRole(deps, { ...input, admin: true })
  if (!role.ok) return role
  const { pk, sk } = grantKey(input.companyId, input.sealId, input.memberId)
  if (!(await deps.metadata.get(pk, sk))) return err('NOT_FOUND', '该成员没有此印章的授权')
  await deps.metadata.delete(pk, sk)
  return ok(true)
}
