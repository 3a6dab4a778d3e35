/** Handlers of a drag: which element (its id) it started on, then the pointer's client position. */
export type DragHandlers = { start: (elementId: string, x: number, y: number) => void; move: (x: number, y: number) => void; end: () => void }

/**
 * Mouse drags of placed fields. WeChat mini-program: nothing to do, touch events carry every drag.
 * (H5: drag-pointer.h5.ts adds pointer events for a mouse or pen.) Returns the remover.
 */
export function attachPointerDrag(_selector: string, _handlers: DragHandlers): () => void {
  return () => undefined
}
