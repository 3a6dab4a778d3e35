import type { CreatePersonalSealRequest, HandwritingRequest, PersonalSignatureView } from '../../api/seals.types'
import { checkImageUpload, cleanImage, decodeImage } from '../../core/seals/clean-image'
import { generateSeal } from '../../core/seals/generate-seal'
import { renderHandwriting } from '../../core/seals/handwriting'
import { drawingToPng, encodePng, rasterise } from '../../core/seals/rasterise'
import { SIGNATURE_PREFIX, storePersonalSignature } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { SealDeps } from './deps'
import { userPartition } from '../identity/records'

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
export async function createPersonalSignature(deps: SealDeps, input: { userId: string; source: PersonalSignatureSource }): Promise<Result<PersonalSignatureView>> {
  const existing = await deps.metadata.query(userPartition(input.userId), { skPrefix: SIGNATURE_PREFIX })
  if (existing.items.length >= MAX_PERSONAL_SIGNATURES) return err('CONFLICT', `最多保存 ${MAX_PERSONAL_SIGNATURES} 个签名或印章，请先删除不用的`)
  const image = render(deps, input.source)
  if (!image.ok) return image
  const spec = input.source.kind === 'personal-seal' ? input.source.spec : undefined
  return storePersonalSignature(deps, input.userId, { ...image.value, kind: input.source.kind, spec })
}

function render(deps: SealDeps, source: PersonalSignatureSource): Result<{ png: Uint8Array; width: number; height: number }> {
  if (source.kind === 'handwriting-photo') {
    const info = checkImageUpload(source.bytes)
    if (!info.ok) return info
    const decoded = decodeImage(source.bytes, info.value)
    if (!decoded.ok) return decoded
    const cleaned = cleanImage(decoded.value, 'signature')
    if (!cleaned.ok) return cleaned
    return ok({ png: encodePng(cleaned.value), width: cleaned.value.width, height: cleaned.value.height })
  }
  if (source.kind === 'handwriting') {
    const drawing = renderHandwriting(source.strokes)
    if (!drawing.ok) return drawing
    const img = rasterise(drawing.value, undefined, PIXELS_PER_MM / 2)
    return ok({ png: encodePng(img), width: img.width, height: img.height })
  }
  const font = deps.sealFont()
  const drawing = generateSeal(source.spec, font)
  if (!drawing.ok) return drawing
  return ok({
    png: drawingToPng(drawing.value, font, PIXELS_PER_MM),
    width: Math.ceil(drawing.value.width * PIXELS_PER_MM),
    height: Math.ceil(drawing.value.height * PIXELS_PER_MM),
  })
}
