import { openSync, readSync } from 'node:fs'
import path from 'node:path'
import { TrueTypeFont, type FontSource } from '../../core/pdf/truetype-font'

/**
 * Noto Sans SC (SIL OFL 1.1, npm @expo-google-fonts/noto-sans-sc; see core/signing/FONTS.md and
 * core/seals/FONTS.md): Regular for stamp text and form values, Bold for seals.
 */
const FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const

let fontDir: string | undefined

/**
 * Read the fonts from `dir` (its `fonts/` folder: the Lambda layer's `/opt/qianyue-assets`)
 * instead of node_modules. Called once by the runtime wiring (`ESIGN_ASSET_DIR`).
 */
export function useFontDirectory(dir: string | undefined): void {
  fontDir = dir === undefined ? undefined : path.join(dir, 'fonts')
}

/** The font file of one weight. */
export function notoSansScPath(weight: keyof typeof FILES): string {
  return fontDir === undefined ? require.resolve(FILES[weight]) : path.join(fontDir, path.basename(FILES[weight]))
}

/**
 * Positional reads from a font file kept open: only the tables and glyphs a document uses are
 * read (~0.5–1 MB of 10 MB).
 */
export function fontFileSource(file: string): FontSource {
  const fd = openSync(file, 'r')
  return {
    read(offset, length) {
      const b = Buffer.allocUnsafe(length)
      let got = 0
      while (got < length) {
        const n = readSync(fd, b, got, length - got, offset + got)
        if (n === 0) throw new Error(`the CJK font file ${file} is truncated`)
        got += n
      }
      return b
    },
  }
}

let regular: TrueTypeFont | undefined

/** Noto Sans SC Regular, opened once per process. */
export function loadNotoSansSc(): TrueTypeFont {
  regular ??= TrueTypeFont.fromSource(fontFileSource(notoSansScPath('regular')))
  return regular
}
