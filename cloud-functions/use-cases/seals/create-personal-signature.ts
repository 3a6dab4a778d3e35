import type { CreatePersonalSealRequest, HandwritingRequest, PersonalSignatureView } from '../../api/seals.types'
import { checkImageUpload } from '../../core/seals/clean-image'
import { checkHandwritingSize } from '../../core/seals/handwriting'
import { signatureKey, signatureObjectKey, toSignatureView } from '../../core/seals/seal-records'
import { err, ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'
import type { SealDeps } from '../identity/require-company-role'
import { storeImageRecord } from './store-image-record'

/** Pixels per millimetre of stored personal seals and handwriting (20 ≈ 508 dpi). */
const PIXELS_PER_MM = 20
/** At most this many personal seals and signatures per user. */
export const MAX_PERSONAL_SIGNATURES = 50

export type PersonalSignatureSource =
  | { kind: 'personal-seal'; spec: CreatePersonalSealRequest['spec'] }
  | { kind: 'handwriting'; strokes: HandwritingRequest }
  | { kind: 'handwriting-photo'; bytes: Uint8Array }

/**
 * Make one of the caller's own signatures: a square personal seal (名章), handwriting from canvas
 * strokes (smooth, pressure-like lines), or a cleaned photo of a signature on paper (background
 * removed, ink normalised, cropped, transparent). Stored as PNG; bad input stores nothing.
 */
export async function createPersonalSignature(deps: SealDeps & { cpu: CpuWork }, input: { userId: string; source: PersonalSignatureSource }): Promise<Result<PersonalSignatureView>> {
  if (input.source.kind === 'handwriting') {
    const size = checkHandwritingSize(input.source.strokes)
    if (!size.ok) return size
  }
  const existing = await deps.metadata.query(`USER#${input.userId}`, { skPrefix: 'SIGNATURE#' })
  if (existing.items.length >= MAX_PERSONAL_SIGNATURES) return err('CONFLICT', `最多保存 ${MAX_PERSONAL_SIGNATURES} 个签名或印章，请先删除不用的`)
  const image = await render(deps, input.source)
  if (!image.ok) return image
  const signatureId = deps.ids.newId()
  const objectKey = signatureObjectKey(input.userId, signatureId)
  const item = {
    ...signatureKey(input.userId, signatureId),
    type: 'signature',
    signatureId,
    userId: input.userId,
    kind: input.source.kind,
    spec: input.source.kind === 'personal-seal' ? input.source.spec : undefined,
    width: image.value.width,
    height: image.value.height,
    createdAt: deps.clock.now().toISOString(),
  }
  const stored = await storeImageRecord(deps, objectKey, image.value.png, item)
  return stored.ok ? ok(toSignatureView(stored.value)) : stored
}

/** Handwriting, seals and photos are drawn or cleaned on `deps.cpu` (off the event loop). */
async function render(deps: { cpu: CpuWork }, source: PersonalSignatureSource): Promise<Result<{ png: Uint8Array; width: number; height: number }>> {
  if (source.kind === 'handwriting-photo') {
    const info = checkImageUpload(source.bytes)
    if (!info.ok) return info
    return deps.cpu.cleanImagePng(source.bytes, 'signature')
  }
  if (source.kind === 'handwriting') {
    const image = await deps.cpu.handwritingPng(source.strokes, PIXELS_PER_MM / 2, false)
    return image.ok ? ok({ png: image.value.png, width: image.value.width, height: image.value.height }) : image
  }
  const image = await deps.cpu.sealPng(source.spec, PIXELS_PER_MM)
  return image.ok ? ok({ png: image.value.png, width: image.value.width, height: image.value.height }) : image
}
