import type { CreateSealRequest, SealView } from '../../api/seals.types'
import { storeCompanySeal } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import { companyKey } from '../identity/records'
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
  const named = await checkSealName(deps, input.companyId, input.spec)
  if (!named.ok) return named
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

/**
 * A company seal reads the company's verified name (a legal representative's seal, the verified
 * legal representative's name): a seal carrying another company's name is refused with
 * `SEAL_NAME_MISMATCH`.
 */
async function checkSealName(deps: SealDeps, companyId: string, spec: CreateSealRequest['spec']): Promise<Result<void>> {
  const { pk, sk } = companyKey(companyId)
  const profile = await deps.metadata.get(pk, sk)
  const same = (a: unknown, b: string) => typeof a !== 'string' || a.trim() === b.trim()
  if ((spec.kind === 'company-round' || spec.kind === 'company-oval') && !same(profile?.name, spec.companyName)) {
    return err('SEAL_NAME_MISMATCH', `企业印章上的单位名称必须是认证的企业名称“${String(profile?.name)}”`)
  }
  if (spec.kind === 'legal-representative' && !same(profile?.legalRepName, spec.name)) {
    return err('SEAL_NAME_MISMATCH', `法定代表人章上的姓名必须是认证的法定代表人“${String(profile?.legalRepName)}”`)
  }
  return ok(undefined)
}
