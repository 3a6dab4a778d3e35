import type { CreatePersonalSealRequest, HandwritingRequest, PersonalSignatureView } from '../../api/seals.types'
import { checkImageUpload } from '../../core/seals/clean-image'
import { checkHandwritingSize } from '../../core/seals/handwriting'
import type { CpuWork } from '../../ports/cpu-work'
import { SIGNATURE_PREFIX, storePersonalSignature } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { SealDeps } from './deps'
import { loadUser, userPartition } from '../identity/records'
import type { SealSpec } from '../../core/seals/generate-seal'

/** Pixels per millimetre of stored personal seals and handwriting (20 ≈ 508 dpi). */
const PIXELS_PER_MM = 20
/** At most this many personal seals and signatures per user. */
export const MAX_PERSONAL_SIGNATURES = 50

export type PersonalSignatureSource =
  | { kind: 'personal-seal'; layout?: CreatePersonalSealRequest['layout'] }
  | { kind: 'handwriting'; strokes: HandwritingRequest }
  | { kind: 'handwriting-photo'; bytes: Uint8Array }

/**
 * Make one of the caller's own signatures: a square personal seal (名章) with the caller's verified
 * real name (from the identity record, never from the request; not verified → `PERSON_NOT_VERIFIED`),
 * handwriting from canvas strokes (smooth, pressure-like lines), or a cleaned photo of a signature
 * on paper (background removed, ink normalised, cropped, transparent). Stored as PNG; bad input
 * stores nothing.
 */
export async function createPersonalSignature(deps: SealDeps & { cpu: CpuWork }, input: { userId: string; source: PersonalSignatureSource }): Promise<Result<PersonalSignatureView>> {
  if (input.source.kind === 'handwriting') {
    const size = checkHandwritingSize(input.source.strokes)
    if (!size.ok) return size
  }
  let source: Drawable
  if (input.source.kind === 'personal-seal') {
    const person = (await loadUser(deps.metadata, input.userId))?.person
    if (person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '请先完成个人实名认证：名章上的姓名是您实名认证的姓名')
    source = { kind: 'personal-seal', spec: { kind: 'personal-square', name: person.name, ...(input.source.layout ? { layout: input.source.layout } : {}) } }
  } else {
    source = input.source
  }
  const existing = await deps.metadata.query(userPartition(input.userId), { skPrefix: SIGNATURE_PREFIX })
  if (existing.items.length >= MAX_PERSONAL_SIGNATURES) return err('CONFLICT', `最多保存 ${MAX_PERSONAL_SIGNATURES} 个签名或印章，请先删除不用的`)
  const image = await render(deps, source)
  if (!image.ok) return image
  return storePersonalSignature(deps, input.userId, { ...image.value, kind: source.kind, spec: source.kind === 'personal-seal' ? source.spec : undefined })
}

/** A source with the personal seal's text decided (the verified name). */
type Drawable = Exclude<PersonalSignatureSource, { kind: 'personal-seal' }> | { kind: 'personal-seal'; spec: SealSpec }

/** Handwriting, seals and photos are drawn or cleaned on `deps.cpu` (off the event loop). */
async function render(deps: { cpu: CpuWork }, source: Drawable): Promise<Result<{ png: Uint8Array; width: number; height: number }>> {
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
