import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { err, ok, type Result } from '../shared/result'
import { IMAGE_LIMITS } from './image-limits'
import { INK_BLACK, SEAL_RED, type Rgb } from './drawing'
import type { RgbaImage } from './rasterise'

/** Cleaned images are scaled down to at most this many pixels a side. */
export const CLEANED_MAX_SIDE = 1200

export type ImageFormat = 'png' | 'jpeg'
export type ImageInfo = { format: ImageFormat; width: number; height: number }

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/**
 * The format and pixel size of an image, read from its header only (the content decides, never
 * a file name or declared type): PNG by its signature and IHDR, JPEG by SOI and its SOF marker.
 * `undefined` when the bytes are neither.
 */
export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_SIGNATURE) && b.toString('latin1', 12, 16) === 'IHDR') {
    return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    let p = 2
    while (p + 4 <= b.length) {
      if (b[p] !== 0xff) return undefined
      const marker = b[p + 1]!
      if (marker === 0xff) {
        p++
        continue
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        p += 2
        continue
      }
      if (marker === 0xd9 || marker === 0xda) return undefined // EOI or scan data before any frame header
      const len = b.readUInt16BE(p + 2)
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
      if (isSof) {
        if (p + 9 > b.length) return undefined
        return { format: 'jpeg', height: b.readUInt16BE(p + 5), width: b.readUInt16BE(p + 7) }
      }
      p += 2 + len
    }
  }
  return undefined
}

/**
 * Checks an uploaded image before decoding it: `IMAGE_TOO_LARGE` (413) over 2 MB,
 * `NOT_AN_IMAGE` (400) unless PNG or JPEG by content, `IMAGE_TOO_MANY_PIXELS` (400) over 4096 px
 * a side (so a small file that would decode to a huge bitmap is refused before decoding).
 */
export function checkImageUpload(bytes: Uint8Array): Result<ImageInfo> {
  const L = IMAGE_LIMITS
  if (bytes.byteLength > L.maxBytes) {
    return err('IMAGE_TOO_LARGE', `图片不能超过 ${L.maxBytes / 1024 / 1024} MB`, { maxBytes: L.maxBytes, size: bytes.byteLength })
  }
  const info = sniffImage(bytes)
  if (!info) return err('NOT_AN_IMAGE', '文件不是 PNG 或 JPEG 图片', { accepted: ['image/png', 'image/jpeg'] })
  if (info.width < 1 || info.height < 1) return err('NOT_AN_IMAGE', '图片尺寸无效')
  if (info.width > L.maxSide || info.height > L.maxSide) {
    return err('IMAGE_TOO_MANY_PIXELS', `图片每边不能超过 ${L.maxSide} 像素（当前 ${info.width}×${info.height}）`, {
      maxSide: L.maxSide,
      width: info.width,
      height: info.height,
    })
  }
  return ok(info)
}

/** Decodes a checked PNG or JPEG to RGBA (JPEG EXIF orientation applied); `NOT_AN_IMAGE` when corrupt. */
export function decodeImage(bytes: Uint8Array, info: ImageInfo): Result<RgbaImage> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  try {
    if (info.format === 'png') {
      const png = PNG.sync.read(buf)
      return ok({ width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) })
    }
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 17, maxMemoryUsageInMB: 300 })
    return ok(orient({ width: img.width, height: img.height, data: img.data }, exifOrientation(buf)))
  } catch {
    return err('NOT_AN_IMAGE', '图片已损坏，无法解码')
  }
}

export type CleanMode = 'seal' | 'signature'

/**
 * Cleans a photographed or scanned seal or signature into a transparent image: the paper level is
 * estimated locally (uneven lighting), ink is how far a pixel is below it (for seals the darker of
 * green and blue, so red ink counts fully; for signatures the luminance), soft-thresholded into
 * alpha; the colour is normalised (seal red or ink black); the result is cropped to the ink with a
 * small margin and scaled to at most 1200 px a side. `IMAGE_EMPTY` when no ink is found.
 */
export function cleanImage(img: RgbaImage, mode: CleanMode): Result<RgbaImage> {
  const { width: w, height: h, data } = img
  const level = new Uint8Array(w * h)
  for (let i = 0, j = 0; j < level.length; i += 4, j++) {
    const a = data[i + 3]! / 255
    // Transparent pixels count as paper: composite over white first.
    const r = data[i]! * a + 255 * (1 - a)
    const g = data[i + 1]! * a + 255 * (1 - a)
    const b = data[i + 2]! * a + 255 * (1 - a)
    level[j] = Math.round(mode === 'seal' ? Math.min(g, b) : 0.299 * r + 0.587 * g + 0.114 * b)
  }
  const paper = paperLevel(level, w, h, mode === 'seal')
  const alpha = new Uint8Array(w * h)
  const [lo, hi] = mode === 'seal' ? [0.16, 0.5] : [0.22, 0.55]
  let any = false
  for (let j = 0; j < alpha.length; j++) {
    const p = Math.max(32, paper[j]!)
    const ink = Math.max(0, (p - level[j]!) / p)
    const t = Math.min(1, Math.max(0, (ink - lo) / (hi - lo)))
    const a = Math.round(t * t * (3 - 2 * t) * 255)
    alpha[j] = a
    if (a > 64) any = true
  }
  if (!any) return err('IMAGE_EMPTY', mode === 'seal' ? '图片中没有找到印章' : '图片中没有找到签名笔迹')
  const box = inkBox(alpha, w, h)
  if (!box) return err('IMAGE_EMPTY', mode === 'seal' ? '图片中没有找到印章' : '图片中没有找到签名笔迹')
  const color: Rgb = mode === 'seal' ? SEAL_RED : INK_BLACK
  const cropped = crop(alpha, w, box)
  const scaled = downscale(cropped, CLEANED_MAX_SIDE)
  const out = new Uint8Array(scaled.width * scaled.height * 4)
  for (let j = 0; j < scaled.alpha.length; j++) {
    const a = scaled.alpha[j]!
    if (!a) continue
    out[j * 4] = color[0]
    out[j * 4 + 1] = color[1]
    out[j * 4 + 2] = color[2]
    out[j * 4 + 3] = a
  }
  return ok({ width: scaled.width, height: scaled.height, data: out })
}

/**
 * The local paper level: the 90th percentile of each 64×64 block, bilinearly interpolated between
 * block centres, so a shadow across a photo does not turn into ink.
 */
function paperLevel(level: Uint8Array, w: number, h: number, solidInk: boolean): Uint8Array {
  const B = 64
  const bw = Math.ceil(w / B)
  const bh = Math.ceil(h / B)
  const blocks = new Float32Array(bw * bh)
  const hist = new Uint32Array(256)
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      hist.fill(0)
      let count = 0
      for (let y = by * B; y < Math.min(h, (by + 1) * B); y++) {
        for (let x = bx * B; x < Math.min(w, (bx + 1) * B); x++) {
          hist[level[y * w + x]!]!++
          count++
        }
      }
      let need = Math.ceil(count * 0.1)
      let v = 255
      while (v > 0 && need > hist[v]!) need -= hist[v--]!
      blocks[by * bw + bx] = v
    }
  }
  if (solidInk) {
    // A seal can fill a block with ink (a thick ring, the star): a block far darker than the
    // image's paper borrows that level. Signatures are thin strokes and keep their local level,
    // so a shadow never turns into ink.
    const sorted = Array.from(blocks).sort((a, b) => a - b)
    const global = sorted[Math.floor(sorted.length * 0.75)] ?? 255
    for (let i = 0; i < blocks.length; i++) if (blocks[i]! < global * 0.6) blocks[i] = global
  }
  const out = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) {
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / B - 0.5))
    const y0 = Math.floor(fy)
    const y1 = Math.min(bh - 1, y0 + 1)
    const ty = fy - y0
    for (let x = 0; x < w; x++) {
      const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / B - 0.5))
      const x0 = Math.floor(fx)
      const x1 = Math.min(bw - 1, x0 + 1)
      const tx = fx - x0
      const top = blocks[y0 * bw + x0]! * (1 - tx) + blocks[y0 * bw + x1]! * tx
      const bottom = blocks[y1 * bw + x0]! * (1 - tx) + blocks[y1 * bw + x1]! * tx
      out[y * w + x] = Math.round(top * (1 - ty) + bottom * ty)
    }
  }
  return out
}

/** Bounding box of alpha > 64, grown by 2 % of the larger side (at least 2 px), clipped. */
function inkBox(alpha: Uint8Array, w: number, h: number): { x: number; y: number; w: number; h: number } | undefined {
  let x0 = w
  let y0 = h
  let x1 = -1
  let y1 = -1
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (alpha[y * w + x]! > 64) {
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (y < y0) y0 = y
        if (y > y1) y1 = y
      }
    }
  }
  if (x1 < 0) return undefined
  const m = Math.max(2, Math.round(Math.max(x1 - x0, y1 - y0) * 0.02))
  x0 = Math.max(0, x0 - m)
  y0 = Math.max(0, y0 - m)
  x1 = Math.min(w - 1, x1 + m)
  y1 = Math.min(h - 1, y1 + m)
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 }
}

type AlphaImage = { width: number; height: number; alpha: Uint8Array }

function crop(alpha: Uint8Array, w: number, box: { x: number; y: number; w: number; h: number }): AlphaImage {
  const out = new Uint8Array(box.w * box.h)
  for (let y = 0; y < box.h; y++) out.set(alpha.subarray((box.y + y) * w + box.x, (box.y + y) * w + box.x + box.w), y * box.w)
  return { width: box.w, height: box.h, alpha: out }
}

/** Area-average downscale so the longer side is at most `max` (no change when already smaller). */
function downscale(img: AlphaImage, max: number): AlphaImage {
  const k = Math.max(img.width, img.height) / max
  if (k <= 1) return img
  const W = Math.max(1, Math.round(img.width / k))
  const H = Math.max(1, Math.round(img.height / k))
  const out = new Uint8Array(W * H)
  const sx = img.width / W
  const sy = img.height / H
  for (let y = 0; y < H; y++) {
    const ya = y * sy
    const yb = ya + sy
    for (let x = 0; x < W; x++) {
      const xa = x * sx
      const xb = xa + sx
      let sum = 0
      let area = 0
      for (let yy = Math.floor(ya); yy < Math.min(img.height, Math.ceil(yb)); yy++) {
        const wy = Math.min(yb, yy + 1) - Math.max(ya, yy)
        for (let xx = Math.floor(xa); xx < Math.min(img.width, Math.ceil(xb)); xx++) {
          const wx = Math.min(xb, xx + 1) - Math.max(xa, xx)
          sum += img.alpha[yy * img.width + xx]! * wx * wy
          area += wx * wy
        }
      }
      out[y * W + x] = Math.round(sum / area)
    }
  }
  return { width: W, height: H, alpha: out }
}

/** EXIF orientation (1–8) from a JPEG's APP1 segment; 1 when absent. */
function exifOrientation(b: Buffer): number {
  let p = 2
  while (p + 4 <= b.length && b[p] === 0xff) {
    const marker = b[p + 1]!
    if (marker === 0xda || marker === 0xd9) break
    const len = b.readUInt16BE(p + 2)
    if (marker === 0xe1 && b.toString('latin1', p + 4, p + 10) === 'Exif\0\0') {
      const t = p + 10
      const le = b.toString('latin1', t, t + 2) === 'II'
      const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o))
      const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o))
      try {
        const ifd = t + u32(t + 4)
        const count = u16(ifd)
        for (let i = 0; i < count; i++) {
          const e = ifd + 2 + i * 12
          if (u16(e) === 0x0112) {
            const v = u16(e + 8)
            return v >= 1 && v <= 8 ? v : 1
          }
        }
      } catch {
        return 1
      }
      return 1
    }
    p += 2 + len
  }
  return 1
}

/** Applies EXIF orientation `o` so the image is upright. */
function orient(img: RgbaImage, o: number): RgbaImage {
  if (o === 1) return img
  const { width: w, height: h, data } = img
  const swap = o >= 5
  const W = swap ? h : w
  const H = swap ? w : h
  const out = new Uint8Array(W * H * 4)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // Source pixel for output (x, y), per the eight EXIF orientations.
      let sx: number
      let sy: number
      switch (o) {
        case 2: sx = w - 1 - x; sy = y; break
        case 3: sx = w - 1 - x; sy = h - 1 - y; break
        case 4: sx = x; sy = h - 1 - y; break
        case 5: sx = y; sy = x; break
        case 6: sx = y; sy = h - 1 - x; break
        case 7: sx = w - 1 - y; sy = h - 1 - x; break
        default: sx = w - 1 - y; sy = x; break // 8
      }
      const si = (sy * w + sx) * 4
      const di = (y * W + x) * 4
      out[di] = data[si]!
      out[di + 1] = data[si + 1]!
      out[di + 2] = data[si + 2]!
      out[di + 3] = data[si + 3]!
    }
  }
  return { width: W, height: H, data: out }
}
