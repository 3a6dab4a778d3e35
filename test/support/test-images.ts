/** PNG images drawn in tests (pngjs), and pixel counters to find them again in pdftoppm renderings. */
import { PNG } from 'pngjs'

/** Dark blue ink, as a signature pen leaves. */
export const INK: [number, number, number] = [25, 40, 150]

/**
 * A handwritten-signature image: strokes of blue ink on a fully transparent background (RGBA, alpha
 * 0 where there is no ink — its colour there is black, so a renderer that ignored the alpha would
 * paint a black box). The strokes form a "Z" spanning the image with a 10 px margin: a top bar, a
 * diagonal from top right to bottom left, and a bottom bar.
 */
export function handwritingPng(width = 300, height = 120): Buffer {
  const png = new PNG({ width, height }) // zero-filled: transparent black
  const m = 10
  const r = 5
  const dot = (cx: number, cy: number): void => {
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) png.data.set([...INK, 255], (y * width + x) * 4)
      }
    }
  }
  const line = (x0: number, y0: number, x1: number, y1: number): void => {
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0))
    for (let i = 0; i <= steps; i++) dot(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps)
  }
  line(m + r, m + r, width - m - r, m + r)
  line(width - m - r, m + r, m + r, height - m - r)
  line(m + r, height - m - r, width - m - r, height - m - r)
  return PNG.sync.write(png)
}

/** Is the pixel at `i` (byte offset) blue ink: clearly blue and dark? */
export function isInk(png: PNG, i: number): boolean {
  const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]]
  return b > 90 && b - r > 60 && b - g > 40 && r < 120
}

/** The ink pixels inside a pixel rectangle: count and bounding box. */
export function findInk(png: PNG, x0: number, y0: number, x1: number, y1: number): { count: number; box?: [number, number, number, number] } {
  let count = 0
  let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(png.height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(png.width, Math.ceil(x1)); x++) {
      if (!isInk(png, (y * png.width + x) * 4)) continue
      count++
      bx0 = Math.min(bx0, x)
      by0 = Math.min(by0, y)
      bx1 = Math.max(bx1, x + 1)
      by1 = Math.max(by1, y + 1)
    }
  }
  return { count, box: count ? [bx0, by0, bx1, by1] : undefined }
}

/** The mean x (0–1 across `box`) of the ink in the horizontal band [from, to) (0–1 down `box`). */
export function inkCentroidX(png: PNG, box: [number, number, number, number], from: number, to: number): number {
  const [x0, y0, x1, y1] = box
  let sum = 0
  let n = 0
  for (let y = Math.floor(y0 + (y1 - y0) * from); y < Math.ceil(y0 + (y1 - y0) * to); y++) {
    for (let x = x0; x < x1; x++) {
      if (isInk(png, (y * png.width + x) * 4)) {
        sum += (x - x0) / (x1 - x0)
        n++
      }
    }
  }
  return n ? sum / n : NaN
}

/** Pixels inside a rectangle whose every channel is below 60 (black, not anti-aliased grey text). */
export function countBlackPixels(png: PNG, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(png.height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(png.width, Math.ceil(x1)); x++) {
      const i = (y * png.width + x) * 4
      if (png.data[i] < 60 && png.data[i + 1] < 60 && png.data[i + 2] < 60) n++
    }
  }
  return n
}
