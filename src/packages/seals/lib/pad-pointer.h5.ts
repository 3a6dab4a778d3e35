import { followPointer } from '@/services/platform/follow-pointer'
import type { PadHandlers, PadPoint } from './pad-pointer'

/**
 * H5: mouse and pen strokes through pointer events on the pad (touch keeps using the canvas touch
 * events, so a finger does not draw twice), following the pad the stroke starts on.
 * (Mini-program: pad-pointer.ts.)
 */
export function attachPointerStrokes(elementId: string, handlers: PadHandlers): () => void {
  let pad: HTMLElement
  const at = (e: PointerEvent): PadPoint => {
    const rect = pad.getBoundingClientRect()
    return { x: e.clientX - rect.left, y: e.clientY - rect.top, time: e.timeStamp, force: e.pointerType === 'pen' ? e.pressure : undefined }
  }
  return followPointer((target) => target.closest<HTMLElement>(`#${elementId}`), {
    start: (el, e) => {
      pad = el
      handlers.start(at(e))
    },
    move: (e) => handlers.move(at(e)),
  })
}
