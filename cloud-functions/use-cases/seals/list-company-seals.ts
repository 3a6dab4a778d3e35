import type { SealListResponse } from '../../api/seals.types'
import { toSealView, SEAL_PREFIX } from './records'
import { ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { companyPartition } from '../identity/records'

/** Every seal of the company (ids are time-sortable: newest first), for members. */
export async function listCompanySeals(deps: { metadata: MetadataStore }, input: { userId: string; companyId: string }): Promise<Result<SealListResponse>> {
  const role = await requireCompanyRole(deps, input)
  if (!role.ok) return role
  const page = await deps.metadata.query(companyPartition(input.companyId), { skPrefix: SEAL_PREFIX, reverse: true })
  return ok({ seals: page.items.map(toSealView) })
}
