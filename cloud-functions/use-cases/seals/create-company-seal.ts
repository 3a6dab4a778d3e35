import { createHash } from 'node:crypto'
import type { CreateSealRequest, SealView } from '../../api/seals.types'
import { sealKey, sealObjectKey, toSealView } from '../../core/seals/seal-records'
import { ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'
import { requireCompanyRole, type SealDeps } from '../identity/require-company-role'
import { storeImageRecord } from './store-image-record'

/** Pixels per millimetre of stored seal images: 20 ≈ 508 dpi, print resolution. */
export const SEAL_PIXELS_PER_MM = 20

const DEFAULT_NAMES = { 'company-round': undefined, 'company-oval': undefined, 'legal-representative': '法定代表人章' } as const

/**
 * Generate a company seal (round 公章/合同专用章/财务专用章, oval, or the legal representative's
 * seal) for a verified company; admins only. Stores the print-resolution PNG, then the record with
 * the spec (so the vector form can be drawn again). Bad input stores nothing.
 */
export async function createCompanySeal(deps: SealDeps & { cpu: CpuWork }, input: { userId: string; companyId: string } & CreateSealRequest): Promise<Result<SealView>> {
  const role = await requireCompanyRole(deps, { ...input, admin: true, verified: true })
  if (!role.ok) return role
  const image = await deps.cpu.sealPng(input.spec, SEAL_PIXELS_PER_MM)
  if (!image.ok) return image
  const png = image.value.png
  const sealId = deps.ids.newId()
  const spec = input.spec
  const name = input.name ?? ('sealType' in spec ? spec.sealType : DEFAULT_NAMES[spec.kind])
  const objectKey = sealObjectKey(input.companyId, sealId)
  const item = {
    ...sealKey(input.companyId, sealId),
    type: 'seal',
    sealId,
    companyId: input.companyId,
    name,
    kind: spec.kind,
    sealType: 'sealType' in spec ? spec.sealType : undefined,
    spec,
    status: 'active',
    width: image.value.width,
    height: image.value.height,
    widthMm: image.value.widthMm,
    heightMm: image.value.heightMm,
    sha256: createHash('sha256').update(png).digest('hex'),
    createdBy: input.userId,
    createdAt: deps.clock.now().toISOString(),
  }
  const stored = await storeImageRecord(deps, objectKey, png, item)
  return stored.ok ? ok(toSealView(stored.value)) : stored
}
