/**
 * H5 only (imported by `*.h5.ts` files): mouse and pen gestures through pointer events on the
 * document, so they work however late Taro mounts a page. A finger is left out: touch events
 * already carry it, and it must not act twice. A gesture starts on an element that `pick` accepts
 * (the target's closest match) and follows the pointer until it is released.
 * Returns the function that removes the listeners.
 */
export function followPointer(
  pick: (target: Element) => HTMLElement | null,
  gesture: { start: (el: HTMLElement, e: PointerEvent) => void; move: (e: PointerEvent) => void; end?: () => void },
): () => void {
  let active: HTMLElement | null = null
  const onDown = (e: PointerEvent) => {
    if (e.pointerType === 'touch' || !(e.target instanceof Element)) return
    active = pick(e.target)
    if (!active) return
    gesture.start(active, e)
    e.preventDefault()
  }
  const onMove = (e: PointerEvent) => {
    if (active && e.pointerType !== 'touch') gesture.move(e)
  }
  const onUp = () => {
    if (active) gesture.end?.()
    active = null
  }
  const listeners = { pointerdown: onDown, pointermove: onMove, pointerup: onUp, pointercancel: onUp } as const
  for (const [type, fn] of Object.entries(listeners)) document.addEventListener(type, fn as EventListener)
  return () => {
    for (const [type, fn] of Object.entries(listeners)) document.removeEventListener(type, fn as EventListener)
  }
}
