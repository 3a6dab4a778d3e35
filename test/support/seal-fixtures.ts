/** Seal test helpers: the seal font from bytes, pixel comparison against golden PNGs, synthetic strokes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { sealFontFrom, type SealFont } from '../../cloud-functions/core/seals/drawing'
import type { StrokePoint } from '../../cloud-functions/core/seals/handwriting'

export const GOLDEN_DIR = join(__dirname, '../fixtures/seals')
/** `UPDATE_SEAL_GOLDEN=1 npx jest test/unit/seals` rewrites the golden images instead of comparing. */
export const UPDATE_GOLDEN = process.env.UPDATE_SEAL_GOLDEN === '1'

let font: SealFont | undefined
/** Noto Sans SC Bold (OFL-1.1), the seal font, from bytes in memory. */
export function testSealFont(): SealFont {
  if (!font) {
    const bytes = readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'))
    font = sealFontFrom({ read: (o, l) => bytes.subarray(o, o + l) })
  }
  return font
}

/** `png` composited over white, as RGBA. */
export function overWhite(png: PNG): PNG {
  const out = new PNG({ width: png.width, height: png.height })
  for (let i = 0; i < png.data.length; i += 4) {
    const a = png.data[i + 3]! / 255
    for (let c = 0; c < 3; c++) out.data[i + c] = Math.round(png.data[i + c]! * a + 255 * (1 - a))
    out.data[i + 3] = 255
  }
  return out
}

/**
 * Fraction of pixels that differ between two opaque images of the same size. A pixel differs when
 * its colour distance (max channel delta / 255) exceeds `threshold` against the same pixel AND
 * every neighbour within one pixel in the other image, so anti-aliasing and sub-pixel shifts are
 * tolerated while a missing or moved stroke is not. (pixelmatch 8 is ESM-only and does not load
 * under this jest configuration.)
 */
export function diffRatio(a: PNG, b: PNG, threshold = 0.25): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`size differs: ${a.width}×${a.height} vs ${b.width}×${b.height}`)
  const w = a.width
  const h = a.height
  const delta = (i: number, j: number) =>
    Math.max(Math.abs(a.data[i]! - b.data[j]!), Math.abs(a.data[i + 1]! - b.data[j + 1]!), Math.abs(a.data[i + 2]! - b.data[j + 2]!)) / 255
  let bad = 0
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4
      if (delta(i, i) <= threshold) continue
      let near = false
      for (let dy = -1; dy <= 1 && !near; dy++) {
        for (let dx = -1; dx <= 1 && !near; dx++) {
          const xx = x + dx
          const yy = y + dy
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue
          if (delta(i, (yy * w + xx) * 4) <= threshold) near = true
        }
      }
      if (!near) bad++
    }
  }
  return bad / (w * h)
}

/** Compares `bytes` (PNG) with golden `name`.png, or writes it when UPDATE_SEAL_GOLDEN=1. Returns the mismatch ratio. */
export function compareGolden(name: string, bytes: Uint8Array): number {
  const file = join(GOLDEN_DIR, `${name}.png`)
  if (UPDATE_GOLDEN) {
    writeFileSync(file, bytes)
    return 0
  }
  if (!existsSync(file)) throw new Error(`golden image ${file} is missing: run UPDATE_SEAL_GOLDEN=1 npx jest test/unit/seals/seal-golden.test.ts`)
  return diffRatio(overWhite(PNG.sync.read(Buffer.from(bytes))), overWhite(PNG.sync.read(readFileSync(file))))
}

/** A synthetic signature: a wave, a loop and a dot, with timestamps (speed varies along the wave). */
export function sampleStrokes(): StrokePoint[][] {
  let t = 0
  const wave: StrokePoint[] = []
  for (let i = 0; i <= 60; i++) wave.push({ x: 30 + i * 4, y: 100 + 40 * Math.sin(i / 6), t: (t += 8 + 10 * Math.abs(Math.cos(i / 6))) })
  const loop: StrokePoint[] = []
  for (let i = 0; i <= 30; i++) {
    const a = (i / 30) * Math.PI * 2
    loop.push({ x: 200 + 30 * Math.cos(a), y: 80 + 30 * Math.sin(a), t: (t += 12) })
  }
  return [wave, loop, [{ x: 280, y: 50, t: t + 100 }]]
}
