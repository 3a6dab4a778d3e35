import { openSync, readSync } from 'node:fs'
import { TrueTypeFont } from '../../core/pdf/truetype-font'

let font: TrueTypeFont | undefined

/**
 * Noto Sans SC Regular (SIL OFL 1.1, npm @expo-google-fonts/noto-sans-sc; see
 * core/signing/FONTS.md), opened once per process and read through positional reads: only the
 * tables and glyphs a document uses are read (~0.5 MB of 10 MB).
 */
export function loadNotoSansSc(): TrueTypeFont {
  if (font) return font
  const fd = openSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'), 'r')
  font = TrueTypeFont.fromSource({
    read(offset, length) {
      const b = Buffer.allocUnsafe(length)
      let got = 0
      while (got < length) {
        const n = readSync(fd, b, got, length - got, offset + got)
        if (n === 0) throw new Error('the CJK font file is truncated')
        got += n
      }
      return b
    },
  })
  return font
}
