import type { CreateSealRequest, SealView } from '../../api/seals.types'
import { storeCompanySeal } from './records'
import type { Result } from '../../core/shared/result'
import { requireCompanyRole } from '../identity/require-company-role'
import { type SealDeps } from './deps'
import type { CpuWork } from '../../ports/cpu-work'

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
  // Drawn and rasterised on the CPU pool (off the event loop).
  const image = await deps.cpu.sealPng(input.spec, SEAL_PIXELS_PER_MM)
  if (!image.ok) return image
  const png = image.value.png
  const spec = input.spec
  const name = input.name ?? ('sealType' in spec ? spec.sealType : DEFAULT_NAMES[spec.kind])
  const size = { width: image.value.width, height: image.value.height }
  const details = { spec, widthMm: image.value.widthMm, heightMm: image.value.heightMm }
  return storeCompanySeal(deps, input, { png, ...size, name, kind: spec.kind, sealType: 'sealType' in spec ? spec.sealType : undefined, details })
}
