import type { SealSpecInput } from '../../api/seals.types'
import { ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'

/** Preview pixels per millimetre (8 ≈ 200 dpi: a 42 mm seal is 336 px). */
export const PREVIEW_PIXELS_PER_MM = 8

/** A PNG preview of a seal spec, drawn on `deps.cpu`; nothing is stored. `VALIDATION_FAILED` for text the seal cannot carry. */
export async function previewSeal(deps: { cpu: CpuWork }, spec: SealSpecInput): Promise<Result<Uint8Array>> {
  const image = await deps.cpu.sealPng(spec, PREVIEW_PIXELS_PER_MM)
  return image.ok ? ok(image.value.png) : image
}
