import type { PadHandlers, PadPoint } from './pad-pointer'

/**
 * H5: mouse and pen strokes through pointer events on the pad (touch keeps using the canvas touch
 * events, so a finger does not draw twice). Listens on the document and follows the pad the stroke
 * starts on, so it works however late Taro mounts the page. (Mini-program: pad-pointer.ts.)
 */
export function attachPointerStrokes(elementId: string, handlers: PadHandlers): () => void {
  let pad: HTMLElement | null = null
  const at = (e: PointerEvent): PadPoint => {
    const rect = pad!.getBoundingClientRect()
    return { x: e.clientX - rect.left, y: e.clientY - rect.top, time: e.timeStamp, force: e.pointerType === 'pen' ? e.pressure : undefined }
  }
  const onDown = (e: PointerEvent) => {
    if (e.pointerType === 'touch' || !(e.target instanceof Element)) return
    pad = e.target.closest<HTMLElement>(`#${elementId}`)
    if (!pad) return
    handlers.start(at(e))
    e.preventDefault()
  }
  const onMove = (e: PointerEvent) => {
    if (pad && e.pointerType !== 'touch') handlers.move(at(e))
  }
  const onUp = () => {
    pad = null
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
