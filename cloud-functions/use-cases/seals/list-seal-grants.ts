import type { SealGrantListResponse } from '../../api/seals.types'
import { grantPrefix, sealKey, toGrantView } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { companyPartition } from '../identity/records'

/** Who may use a seal, until when and for which templates (admins). */
export async function listSealGrants(deps: { metadata: MetadataStore }, input: { userId: string; companyId: string; sealId: string }): Promise<Result<SealGrantListResponse>> {
  const role = await requireCompanyRole(deps, { ...input, admin: true })
  if (!role.ok) return role
  const seal = sealKey(input.companyId, input.sealId)
  if (!(await deps.metadata.get(seal.pk, seal.sk))) return err('SEAL_NOT_FOUND', '印章不存在')
  const page = await deps.metadata.query(companyPartition(input.companyId), { skPrefix: grantPrefix(input.sealId) })
  return ok({ grants: page.items.map(toGrantView) })
}
