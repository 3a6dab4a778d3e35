import type { HandwritingRequest } from '../../api/seals.types'
import { checkHandwritingSize } from '../../core/seals/handwriting'
import { ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'

/** Preview pixels per millimetre (10: two pixels per canvas pixel). */
const PREVIEW_PIXELS_PER_MM = 10

/**
 * A PNG preview of handwriting strokes as they would be stored; nothing is stored. The size is
 * checked here (400/413 before any work), the rasterising runs on `deps.cpu` (off the event loop).
 */
export async function previewHandwriting(deps: { cpu: CpuWork }, input: HandwritingRequest): Promise<Result<Uint8Array>> {
  const size = checkHandwritingSize(input)
  if (!size.ok) return size
  const image = await deps.cpu.handwritingPng(input, PREVIEW_PIXELS_PER_MM, true)
  return image.ok ? ok(image.value.png) : image
}
