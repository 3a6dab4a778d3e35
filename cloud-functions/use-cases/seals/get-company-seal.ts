import type { SealView } from '../../api/seals.types'
import type { SealFont } from '../../core/seals/drawing'
import { generateSeal, type SealSpec } from '../../core/seals/generate-seal'
import { drawingToPdf } from '../../core/seals/seal-pdf'
import { sealKey, sealObjectKey, toSealView } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { requireCompanyRole } from '../identity/require-company-role'

type Deps = { metadata: MetadataStore; objects: ObjectStore }

/** A company seal's record, for members of the company. */
export async function getCompanySeal(deps: Deps, input: { userId: string; companyId: string; sealId: string }): Promise<Result<SealView>> {
  const role = await requireCompanyRole(deps, input)
  if (!role.ok) return role
  const item = await deps.metadata.get(sealKey(input.companyId, input.sealId).pk, sealKey(input.companyId, input.sealId).sk)
  if (!item) return err('SEAL_NOT_FOUND', '印章不存在')
  return ok(toSealView(item))
}

/** The seal's stored PNG (print resolution), for members. */
export async function getCompanySealImage(deps: Deps, input: { userId: string; companyId: string; sealId: string }): Promise<Result<Uint8Array>> {
  const seal = await getCompanySeal(deps, input)
  if (!seal.ok) return seal
  const bytes = await deps.objects.get(sealObjectKey(input.companyId, input.sealId))
  if (!bytes) return err('SEAL_NOT_FOUND', '印章图片不存在')
  return ok(bytes)
}

/** A generated seal's vector form: a one-page PDF at real size. Uploaded seals have none (`NOT_FOUND`). */
export async function getCompanySealVector(deps: Deps & { sealFont: () => SealFont }, input: { userId: string; companyId: string; sealId: string }): Promise<Result<Uint8Array>> {
  const role = await requireCompanyRole(deps, input)
  if (!role.ok) return role
  const item = await deps.metadata.get(sealKey(input.companyId, input.sealId).pk, sealKey(input.companyId, input.sealId).sk)
  if (!item) return err('SEAL_NOT_FOUND', '印章不存在')
  if (!item.spec) return err('NOT_FOUND', '上传的印章没有矢量版本')
  const font = deps.sealFont()
  const drawing = generateSeal(item.spec as SealSpec, font)
  if (!drawing.ok) throw new Error(`stored seal spec no longer draws: ${drawing.error.message}`)
  return ok(drawingToPdf(drawing.value, font))
}
