import type { DragHandlers } from './drag-pointer'

/**
 * H5: drags with a mouse or pen through pointer events on elements matching `selector` (a finger
 * keeps using the touch events, so it does not move a field twice). Listens on the document, so it
 * works however late Taro mounts the page. (Mini-program: drag-pointer.ts.)
 */
export function attachPointerDrag(selector: string, handlers: DragHandlers): () => void {
  let dragging = false
  const onDown = (e: PointerEvent) => {
    if (e.pointerType === 'touch' || !(e.target instanceof Element)) return
    const el = e.target.closest<HTMLElement>(selector)
    if (!el?.id) return
    dragging = true
    handlers.start(el.id, e.clientX, e.clientY)
    e.preventDefault()
  }
  const onMove = (e: PointerEvent) => {
    if (dragging && e.pointerType !== 'touch') handlers.move(e.clientX, e.clientY)
  }
  const onUp = () => {
    if (dragging) handlers.end()
    dragging = false
  }
  document.addEventListener('pointerdown', onDown)
  document.addEventListener('pointermove', onMove)
  document.addEventListener('pointerup', onUp)
  document.addEventListener('pointercancel', onUp)
  return () => {
    document.removeEventListener('pointerdown', onDown)
    document.removeEventListener('pointermove', onMove)
    document.removeEventListener('pointerup', onUp)
    document.removeEventListener('pointercancel', onUp)
  }
}
