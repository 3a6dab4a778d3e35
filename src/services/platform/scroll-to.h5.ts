/** H5: the element's own `scrollIntoView`, centred (Taro's selector scroll measures from the wrong parent for positioned elements). */
export function scrollToId(id: string): void {
  document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
}
