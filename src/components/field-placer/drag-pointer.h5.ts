import { followPointer } from '@/services/platform/follow-pointer'
import type { DragHandlers } from './drag-pointer'

/**
 * H5: drags with a mouse or pen through pointer events on elements matching `selector` (a finger
 * keeps using the touch events, so it does not move a field twice). (Mini-program: drag-pointer.ts.)
 */
export function attachPointerDrag(selector: string, handlers: DragHandlers): () => void {
  return followPointer((target) => {
    const el = target.closest<HTMLElement>(selector)
    return el?.id ? el : null
  }, {
    start: (el, e) => handlers.start(el.id, e.clientX, e.clientY),
    move: (e) => handlers.move(e.clientX, e.clientY),
    end: () => handlers.end(),
  })
}
