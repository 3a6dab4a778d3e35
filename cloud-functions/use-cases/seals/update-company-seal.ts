import type { SealView, UpdateSealRequest } from '../../api/seals.types'
import { sealKey, toSealView } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'

/** Rename, disable or re-enable a seal (admins), under optimistic concurrency. */
export async function updateCompanySeal(
  deps: { metadata: MetadataStore },
  input: { userId: string; companyId: string; sealId: string } & UpdateSealRequest,
): Promise<Result<SealView>> {
  const role = await requireCompanyRole(deps, { ...input, admin: true })
  if (!role.ok) return role
  const { pk, sk } = sealKey(input.companyId, input.sealId)
  const current = await deps.metadata.get(pk, sk)
  if (!current) return err('SEAL_NOT_FOUND', '印章不存在')
  const expected = input.expectedVersion ?? current.version
  if (expected !== current.version) return err('CONFLICT', `印章已被修改（当前版本 ${current.version}），请刷新后重试`)
  const { version: _v, ...rest } = current
  const next = { ...rest, ...(input.status ? { status: input.status } : {}), ...(input.name ? { name: input.name } : {}) }
  const written = await deps.metadata.put(next, { expectedVersion: expected })
  if (!written.ok) return err('CONFLICT', '印章已被其他请求修改，请刷新后重试')
  return ok(toSealView({ ...next, version: expected + 1 }))
}
