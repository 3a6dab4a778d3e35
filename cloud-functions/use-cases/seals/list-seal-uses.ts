import type { SealUseListResponse } from '../../api/seals.types'
import { sealKey, toUseView, usePrefix } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { companyPartition } from '../identity/records'

/** The usage log of a seal (who, when, which contract), newest first, for members of the company. */
export async function listSealUses(deps: { metadata: MetadataStore }, input: { userId: string; companyId: string; sealId: string }): Promise<Result<SealUseListResponse>> {
  const role = await requireCompanyRole(deps, input)
  if (!role.ok) return role
  const seal = sealKey(input.companyId, input.sealId)
  if (!(await deps.metadata.get(seal.pk, seal.sk))) return err('SEAL_NOT_FOUND', '印章不存在')
  const page = await deps.metadata.query(companyPartition(input.companyId), { skPrefix: usePrefix(input.sealId), reverse: true })
  return ok({ uses: page.items.map(toUseView) })
}
