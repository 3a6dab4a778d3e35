import { createHash } from 'node:crypto'
import type { SealView } from '../../api/seals.types'
import { checkImageUpload } from '../../core/seals/clean-image'
import { COMPANY_SEAL_TYPES, type CompanySealType } from '../../core/seals/generate-seal'
import { storeCompanySeal } from './records'
import { err, type Result } from '../../core/shared/result'
import { requireCompanyRole } from '../identity/require-company-role'
import { type SealDeps } from './deps'
import type { CpuWork } from '../../ports/cpu-work'

/**
 * Store an uploaded seal image (PNG or JPEG by content, ≤ 2 MB, ≤ 4096 px a side) for a verified
 * company; admins only. The image is cleaned — white to transparent, red normalised, cropped —
 * and kept as PNG. Limits are checked before decoding; decoding and cleaning run on `deps.cpu`
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
  const details = { originalSha256: createHash('sha256').update(input.bytes).digest('hex') }
  return storeCompanySeal(deps, input, { png, width: cleaned.value.width, height: cleaned.value.height, name, kind: 'uploaded', sealType, details })
}
