import type { HandwritingRequest } from '../../api/seals.types'
import { renderHandwriting } from '../../core/seals/handwriting'
import { drawingToPng } from '../../core/seals/rasterise'
import { ok, type Result } from '../../core/shared/result'

/** A PNG preview of handwriting strokes as they would be stored; nothing is stored. */
export function previewHandwriting(input: HandwritingRequest): Result<Uint8Array> {
  const drawing = renderHandwriting(input)
  if (!drawing.ok) return drawing
  return ok(drawingToPng(drawing.value, undefined, 10))
}
