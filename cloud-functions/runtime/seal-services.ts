import { fontFileSource, notoSansScPath } from '../adapters/local/noto-sans-sc-font'
import { sealFontFrom, type SealFont } from '../core/seals/drawing'
import type { Container } from './container'

/** What the seals area needs beyond the base container. */
export type SealServices = {
  /** Noto Sans SC Bold (SIL OFL 1.1, npm @expo-google-fonts/noto-sans-sc), read lazily by position. */
  font: () => SealFont
}

const services = new WeakMap<Container, SealServices>()

/** The seals area's services for `deps`, built once per container. */
export function sealServices(deps: Container): SealServices {
  let s = services.get(deps)
  if (!s) {
    let font: SealFont | undefined
    s = { font: () => (font ??= loadSealFont()) }
    services.set(deps, s)
  }
  return s
}

/** The seal font (see core/seals/FONTS.md), for the server and `esign seal`. */
export function loadSealFont(): SealFont {
  return sealFontFrom(fontFileSource(notoSansScPath('bold')))
}
