import type { PadHandlers, PadPoint } from './pad-pointer'

/**
 * H5: mouse and pen strokes through pointer events on the pad's element (touch keeps using the
 * canvas touch events, so a finger does not draw twice). (Mini-program: pad-pointer.ts.)
 */
export function attachPointerStrokes(elementId: string, handlers: PadHandlers): () => void {
  const el = document.getElementById(elementId)
  if (!el) return () => undefined
  let down = false
  const at = (e: PointerEvent): PadPoint => {
    const rect = el.getBoundingClientRect()
    return { x: e.clientX - rect.left, y: e.clientY - rect.top, time: e.timeStamp, force: e.pointerType === 'pen' ? e.pressure : undefined }
  }
  const onDown = (e: PointerEvent) => {
    if (e.pointerType === 'touch') return
    down = true
    el.setPointerCapture?.(e.pointerId)
    handlers.start(at(e))
    e.preventDefault()
  }
  const onMove = (e: PointerEvent) => {
    if (!down || e.pointerType === 'touch') return
    handlers.move(at(e))
  }
  const onUp = () => {
    down = false
  }
  el.addEventListener('pointerdown', onDown)
  el.addEventListener('pointermove', onMove)
  el.addEventListener('pointerup', onUp)
  el.addEventListener('pointercancel', onUp)
  el.addEventListener('pointerleave', onUp)
  return () => {
    el.removeEventListener('pointerdown', onDown)
    el.removeEventListener('pointermove', onMove)
    el.removeEventListener('pointerup', onUp)
    el.removeEventListener('pointercancel', onUp)
    el.removeEventListener('pointerleave', onUp)
  }
}
