import type { SealUseView } from '../../api/seals.types'
import type { ContractRef } from '../../core/seals/seal-use-rules'
import type { SealSpec } from '../../core/seals/generate-seal'
import { sealKey, sealObjectKey, toUseView, useKey } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { canUseSeal } from './can-use-seal'

/**
 * Apply a seal to a contract, for the signing step: checks {@link canUseSeal}, records the use
 * (who, when, which contract, through which approval) and returns what the engine draws — the
 * print-resolution PNG, and for generated seals the spec, so `createSealAppearance` can draw the
 * vector form. Nothing is recorded when the check fails.
 */
export async function useSeal(
  deps: { metadata: MetadataStore; objects: ObjectStore; clock: Clock; ids: Ids },
  member: { userId: string },
  seal: { companyId: string; sealId: string },
  contract: ContractRef,
): Promise<Result<{ use: SealUseView; png: Uint8Array; spec?: SealSpec }>> {
  const allowed = await canUseSeal(deps, member, seal, contract)
  if (!allowed.ok) return allowed
  const png = await deps.objects.get(sealObjectKey(seal.companyId, seal.sealId))
  if (!png) return err('SEAL_NOT_FOUND', '印章图片不存在')
  const record = await deps.metadata.get(sealKey(seal.companyId, seal.sealId).pk, sealKey(seal.companyId, seal.sealId).sk)
  const usedAt = deps.clock.now().toISOString()
  const item = {
    ...useKey(seal.companyId, seal.sealId, usedAt, deps.ids.newId()),
    type: 'seal-use',
    companyId: seal.companyId,
    sealId: seal.sealId,
    userId: member.userId,
    contractId: contract.contractId,
    templateId: contract.templateId,
    requestId: allowed.value.requestId,
    via: allowed.value.via,
    usedAt,
  }
  await deps.metadata.put(item, { mustNotExist: true })
  return ok({ use: toUseView({ ...item, version: 1 }), png, spec: record?.spec as SealSpec | undefined })
}
