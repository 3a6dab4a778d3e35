/** A point on the pad, relative to its top-left corner, with time and (if reported) pressure. */
export type PadPoint = { x: number; y: number; time: number; force?: number }
export type PadHandlers = { start: (p: PadPoint) => void; move: (p: PadPoint) => void }

/**
 * Mouse and pen strokes on the handwriting pad. WeChat mini-program: nothing to do, the canvas
 * touch events carry every stroke. (H5: pad-pointer.h5.ts adds pointer events for mouse and pen.)
 * Returns the function that removes the listeners.
 */
export function attachPointerStrokes(_elementId: string, _handlers: PadHandlers): () => void {
  return () => undefined
}
