import { createHash } from 'node:crypto'
import type { SealView } from '../../api/seals.types'
import { checkImageUpload } from '../../core/seals/clean-image'
import { COMPANY_SEAL_TYPES, type CompanySealType } from '../../core/seals/generate-seal'
import { sealKey, sealObjectKey, toSealView } from '../../core/seals/seal-records'
import { err, ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'
import { requireCompanyRole, type SealDeps } from '../identity/require-company-role'
import { storeImageRecord } from './store-image-record'

/**
 * Store an uploaded seal image (PNG or JPEG by content, ≤ 2 MB, ≤ 4096 px a side) for a verified
 * company; admins only. The image is cleaned — white to transparent, red normalised, cropped —
 * and kept as PNG. Limits are checked before decoding; the decoding and cleaning run on `deps.cpu`
 * (off the event loop); bad input stores nothing.
 */
export async function uploadCompanySeal(
  deps: Omit<SealDeps, 'sealFont'> & { cpu: CpuWork },
  input: { userId: string; companyId: string; bytes: Uint8Array; name?: string; sealType?: string },
): Promise<Result<SealView>> {
  const role = await requireCompanyRole(deps, { ...input, admin: true, verified: true })
  if (!role.ok) return role
  const sealType = input.sealType ? input.sealType.trim() : undefined
  if (sealType && !COMPANY_SEAL_TYPES.includes(sealType as CompanySealType)) {
    return err('VALIDATION_FAILED', `印章类型应为 ${COMPANY_SEAL_TYPES.join('、')} 之一`, { field: 'sealType' })
  }
  const name = (input.name ?? '').trim() || sealType || '上传的印章'
  if ([...name].length > 30) return err('VALIDATION_FAILED', '印章名称最多 30 个字', { field: 'name' })
  const info = checkImageUpload(input.bytes)
  if (!info.ok) return info
  const cleaned = await deps.cpu.cleanImagePng(input.bytes, 'seal')
  if (!cleaned.ok) return cleaned
  const png = cleaned.value.png
  const sealId = deps.ids.newId()
  const objectKey = sealObjectKey(input.companyId, sealId)
  const item = {
    ...sealKey(input.companyId, sealId),
    type: 'seal',
    sealId,
    companyId: input.companyId,
    name,
    kind: 'uploaded',
    sealType,
    status: 'active',
    width: cleaned.value.width,
    height: cleaned.value.height,
    sha256: createHash('sha256').update(png).digest('hex'),
    originalSha256: createHash('sha256').update(input.bytes).digest('hex'),
    createdBy: input.userId,
    createdAt: deps.clock.now().toISOString(),
  }
  const stored = await storeImageRecord(deps, objectKey, png, item)
  return stored.ok ? ok(toSealView(stored.value)) : stored
}
