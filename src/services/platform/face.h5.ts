/**
 * H5: the provider's page replaces this one and sends the browser back to `backTo` with
 * `face=done`, where the page asks for the result by itself. (Mini-program: face.ts.)
 */
export async function openFaceVerification(start: (returnUrl?: string) => Promise<{ url: string }>, backTo: string): Promise<'returned-later' | 'left'> {
  const sep = backTo.includes('?') ? '&' : '?'
  const started = await start(`${window.location.origin}${window.location.pathname}#${backTo}${sep}face=done`)
  window.location.href = started.url
  return 'left'
}
