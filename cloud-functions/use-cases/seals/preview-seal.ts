import type { SealSpecInput } from '../../api/seals.types'
import type { SealFont } from '../../core/seals/drawing'
import { generateSeal } from '../../core/seals/generate-seal'
import { drawingToPng } from '../../core/seals/rasterise'
import { ok, type Result } from '../../core/shared/result'

/** Preview pixels per millimetre (8 ≈ 200 dpi: a 42 mm seal is 336 px). */
export const PREVIEW_PIXELS_PER_MM = 8

/** A PNG preview of a seal spec; nothing is stored. `VALIDATION_FAILED` for text the seal cannot carry. */
export function previewSeal(deps: { sealFont: () => SealFont }, spec: SealSpecInput): Result<Uint8Array> {
  const font = deps.sealFont()
  const drawing = generateSeal(spec, font)
  if (!drawing.ok) return drawing
  return ok(drawingToPng(drawing.value, font, PREVIEW_PIXELS_PER_MM))
}
