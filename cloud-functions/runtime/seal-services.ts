import { openSync, readSync } from 'node:fs'
import type { FontSource } from '../core/pdf/truetype-font'
import { sealFontFrom, type SealFont } from '../core/seals/drawing'
import type { Container } from './container'

/** What the seals area needs beyond the base container. */
export type SealServices = {
  /** Noto Sans SC Bold (SIL OFL 1.1, npm @expo-google-fonts/noto-sans-sc), read lazily by position. */
  font: () => SealFont
}

const services = new WeakMap<object, SealServices>()

/**
 * The seals area's services for `deps`, built once per container. Keyed by the container's
 * `config` object: the router hands each request a shallow copy of the container (with a
 * request-scoped logger), which shares it.
 */
export function sealServices(deps: Container): SealServices {
  let s = services.get(deps.config)
  if (!s) {
    let font: SealFont | undefined
    s = { font: () => (font ??= sealFontFrom(fileSource(sealFontPath()))) }
    services.set(deps.config, s)
  }
  return s
}

/** Where the seal font lives (see core/seals/FONTS.md). */
export function sealFontPath(): string {
  return require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')
}

/** Positional reads from a file kept open: only the tables and glyphs used are read (~1 MB of 10 MB). */
export function fileSource(file: string): FontSource {
  const fd = openSync(file, 'r')
  return {
    read(offset, length) {
      const b = Buffer.allocUnsafe(length)
      let got = 0
      while (got < length) {
        const n = readSync(fd, b, got, length - got, offset + got)
        if (n === 0) throw new Error(`${file} is truncated`)
        got += n
      }
      return b
    },
  }
}
