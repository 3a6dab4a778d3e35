import { createHash } from 'node:crypto'
import type { IncrementalWriter } from './incremental-writer'
import { PdfName, type PdfRef, dict } from './pdf-objects'
import { unfilterPngRows, zlib } from './stream-decode'

/** A decoded PNG: 8-bit samples, RGB or gray, and an 8-bit alpha channel when the image has transparency. */
export type DecodedPng = {
  width: number
  height: number
  colors: 1 | 3
  /** width × height × colors bytes. */
  samples: Uint8Array
  /** width × height bytes; absent when every pixel is opaque. */
  alpha?: Uint8Array
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
// Adam7 passes (RFC 2083 §2.6): x start, y start, x step, y step.
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
]

/**
 * Decodes a PNG (RFC 2083 / ISO 15948): every colour type (gray, RGB, palette, gray+alpha, RGBA),
 * bit depths 1–16 (reduced to 8 after transparency keys are matched at full depth), `tRNS`
 * transparency and Adam7 interlacing. Only zlib is needed,
 * so embedding a seal does not load a PDF library.
 *
 * @throws Error for a file that is not a PNG or is damaged.
 */
export function decodePng(png: Uint8Array): DecodedPng {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('not a PNG file')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  let width = 0, height = 0, depth = 0, type = -1, interlace = 0
  let palette: Uint8Array | undefined
  let trns: Uint8Array | undefined
  const idat: Uint8Array[] = []
  for (let at = 8; at + 8 <= png.length; ) {
    const len = view.getUint32(at)
    const name = String.fromCharCode(png[at + 4], png[at + 5], png[at + 6], png[at + 7])
    const body = png.subarray(at + 8, at + 8 + len)
    if (body.length !== len) throw new Error('the PNG is truncated')
    if (name === 'IHDR') {
      width = view.getUint32(at + 8)
      height = view.getUint32(at + 12)
      depth = png[at + 16]
      type = png[at + 17]
      interlace = png[at + 20]
    } else if (name === 'PLTE') palette = body
    else if (name === 'tRNS') trns = body
    else if (name === 'IDAT') idat.push(body)
    else if (name === 'IEND') break
    at += 12 + len
  }
  const channels = CHANNELS[type]
  if (!channels || !width || !height || ![1, 2, 4, 8, 16].includes(depth) || (type === 3 && !palette)) {
    throw new Error(`unsupported or damaged PNG (colour type ${type}, bit depth ${depth})`)
  }
  if (width * height > 50_000_000) throw new Error('the PNG is too large for a seal or signature image')
  const raw = zlib().inflateSync(Buffer.concat(idat))
  const bpp = Math.max(1, (channels * depth) >> 3)
  // The common case (8-bit RGBA or RGB, not interlaced, no colour key: what the seal and handwriting
  // rasterisers write) is split straight from the unfiltered rows.
  if (depth === 8 && interlace === 0 && (type === 6 || (type === 2 && !trns))) return splitRgb(unfilterPngRows(raw, width * channels, bpp), width, height, type === 6)
  // Samples of each channel at the image's own bit depth, row-major, whatever the interlacing.
  const px = new Uint16Array(width * height * channels)
  const unpack = (rows: Uint8Array, w: number, h: number, place: (x: number, y: number) => number): void => {
    const rowLen = Math.ceil((w * channels * depth) / 8)
    for (let y = 0; y < h; y++) {
      const row = rows.subarray(y * rowLen, (y + 1) * rowLen)
      for (let x = 0; x < w; x++) {
        const dst = place(x, y) * channels
        for (let c = 0; c < channels; c++) {
          const i = x * channels + c
          let v: number
          if (depth === 8) v = row[i]
          else if (depth === 16) v = (row[i * 2] << 8) | row[i * 2 + 1]
          else {
            const bit = i * depth
            v = (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1)
          }
          px[dst + c] = v
        }
      }
    }
  }
  if (interlace === 1) {
    let at = 0
    for (const [x0, y0, dx, dy] of ADAM7) {
      const w = Math.ceil((width - x0) / dx)
      const h = Math.ceil((height - y0) / dy)
      if (w <= 0 || h <= 0) continue
      const rowLen = Math.ceil((w * channels * depth) / 8)
      const size = h * (rowLen + 1)
      unpack(unfilterPngRows(raw.subarray(at, at + size), rowLen, bpp), w, h, (x, y) => (y0 + y * dy) * width + x0 + x * dx)
      at += size
    }
  } else {
    unpack(unfilterPngRows(raw, Math.ceil((width * channels * depth) / 8), bpp), width, height, (x, y) => y * width + x)
  }

  const n = width * height
  const colors: 1 | 3 = type === 0 || type === 4 ? 1 : 3
  const samples = new Uint8Array(n * colors)
  let alpha: Uint8Array | undefined = type === 4 || type === 6 || trns ? new Uint8Array(n).fill(255) : undefined
  // To 8 bits: 16-bit samples keep their high byte, 1/2/4-bit grey levels are scaled to 0–255.
  const max = (1 << depth) - 1
  const to8 = depth === 16 ? (v: number) => v >> 8 : depth === 8 ? (v: number) => v : (v: number) => Math.round((v * 255) / max)
  // tRNS colour keys (types 0 and 2) are compared at the image's own bit depth.
  const key = (i: number): number => (trns && trns.length >= i * 2 + 2 ? (trns[i * 2] << 8) | trns[i * 2 + 1] : -1)
  for (let p = 0; p < n; p++) {
    const s = p * channels
    if (type === 3) {
      const idx = px[s]
      samples[p * 3] = palette?.[idx * 3] ?? 0
      samples[p * 3 + 1] = palette?.[idx * 3 + 1] ?? 0
      samples[p * 3 + 2] = palette?.[idx * 3 + 2] ?? 0
      if (alpha && trns && idx < trns.length) alpha[p] = trns[idx]
    } else if (type === 0) {
      samples[p] = to8(px[s])
      if (alpha && px[s] === key(0)) alpha[p] = 0
    } else if (type === 2) {
      samples[p * 3] = to8(px[s])
      samples[p * 3 + 1] = to8(px[s + 1])
      samples[p * 3 + 2] = to8(px[s + 2])
      if (alpha && px[s] === key(0) && px[s + 1] === key(1) && px[s + 2] === key(2)) alpha[p] = 0
    } else if (type === 4) {
      samples[p] = to8(px[s])
      ;(alpha as Uint8Array)[p] = to8(px[s + 1])
    } else {
      samples[p * 3] = to8(px[s])
      samples[p * 3 + 1] = to8(px[s + 1])
      samples[p * 3 + 2] = to8(px[s + 2])
      ;(alpha as Uint8Array)[p] = to8(px[s + 3])
    }
  }
  if (alpha && alpha.every((a) => a === 255)) alpha = undefined
  return { width, height, colors, samples, alpha }
}

/** 8-bit RGB(A) rows → RGB samples and (when any pixel is not opaque) the alpha channel. */
function splitRgb(rows: Uint8Array, width: number, height: number, hasAlpha: boolean): DecodedPng {
  const n = width * height
  if (!hasAlpha) return { width, height, colors: 3, samples: rows.subarray(0, n * 3), alpha: undefined }
  const samples = new Uint8Array(n * 3)
  const alpha = new Uint8Array(n)
  let opaque = true
  for (let p = 0, s = 0, d = 0; p < n; p++, s += 4, d += 3) {
    samples[d] = rows[s]
    samples[d + 1] = rows[s + 1]
    samples[d + 2] = rows[s + 2]
    const a = rows[s + 3]
    alpha[p] = a
    if (a !== 255) opaque = false
  }
  return { width, height, colors: 3, samples, alpha: opaque ? undefined : alpha }
}

/** A PNG made ready for a PDF image XObject: its samples and alpha deflated. */
export type PdfReadyImage = { width: number; height: number; colors: number; samples: Uint8Array; alpha?: Uint8Array }

/**
 * The last PNGs made ready (keyed by their SHA-256): a signer's seal or handwriting is embedded
 * again for every contract they sign, and decoding plus deflating it is most of a signature's
 * PDF work. Bounded by count and bytes; the bytes embedded are the same either way.
 */
const READY = new Map<string, PdfReadyImage>()
const READY_MAX_ENTRIES = 64
const READY_MAX_BYTES = 16 * 1024 * 1024
let readyBytes = 0

/** A PNG decoded and its samples and alpha deflated, as an image XObject holds them. */
export function pdfReadyImage(png: Uint8Array): PdfReadyImage {
  const img = decodePng(png)
  // Level 1: images are a few hundred KB raw; the fastest level costs a few per cent of size.
  const deflate = (b: Uint8Array): Uint8Array => zlib().deflateSync(b, { level: 1 })
  return { width: img.width, height: img.height, colors: img.colors, samples: deflate(img.samples), ...(img.alpha ? { alpha: deflate(img.alpha) } : {}) }
}

/** First bytes of a serialised {@link PdfReadyImage} (no PNG starts so). */
const READY_MAGIC = Buffer.from('QYPDFIMG1\n', 'latin1')

/**
 * A {@link PdfReadyImage} as bytes, to store beside its PNG when a seal or signature is made:
 * `embedImage` takes these instead of the PNG and skips the decoding at every signature. Layout:
 * magic, a JSON header line `{width,height,colors,samples,alpha}` (the two lengths), the samples, the alpha.
 */
export function serializePdfReadyImage(img: PdfReadyImage): Uint8Array {
  const header = Buffer.from(JSON.stringify({ width: img.width, height: img.height, colors: img.colors, samples: img.samples.length, alpha: img.alpha?.length ?? 0 }) + '\n', 'latin1')
  return Buffer.concat([READY_MAGIC, header, img.samples, ...(img.alpha ? [img.alpha] : [])])
}

/** The image from {@link serializePdfReadyImage}'s bytes; undefined when they are not such bytes. */
export function parsePdfReadyImage(bytes: Uint8Array): PdfReadyImage | undefined {
  if (bytes.length < READY_MAGIC.length || !Buffer.from(bytes.buffer, bytes.byteOffset, READY_MAGIC.length).equals(READY_MAGIC)) return undefined
  const end = bytes.indexOf(0x0a, READY_MAGIC.length)
  if (end < 0 || end - READY_MAGIC.length > 200) throw new Error('damaged prepared image: no header')
  const h = JSON.parse(Buffer.from(bytes.subarray(READY_MAGIC.length, end)).toString('latin1')) as Record<string, unknown>
  const int = (v: unknown, max: number): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw new Error('damaged prepared image: bad header')
    return v
  }
  const [width, height, colors, samples, alpha] = [int(h.width, 50_000), int(h.height, 50_000), int(h.colors, 3), int(h.samples, bytes.length), int(h.alpha, bytes.length)]
  if (!width || !height || (colors !== 1 && colors !== 3) || end + 1 + samples + alpha !== bytes.length) throw new Error('damaged prepared image: sizes do not match')
  const body = end + 1
  return { width, height, colors, samples: bytes.subarray(body, body + samples), ...(alpha ? { alpha: bytes.subarray(body + samples) } : {}) }
}

/** A PNG made ready, from the cache when the same PNG was made ready lately. */
function pdfReady(png: Uint8Array): PdfReadyImage {
  const key = createHash('sha256').update(png).digest('hex')
  const hit = READY.get(key)
  if (hit) {
    READY.delete(key)
    READY.set(key, hit)
    return hit
  }
  const ready = pdfReadyImage(png)
  const size = ready.samples.length + (ready.alpha?.length ?? 0)
  if (size <= READY_MAX_BYTES / 4) {
    READY.set(key, ready)
    readyBytes += size
    for (const [k, v] of READY) {
      if (READY.size <= READY_MAX_ENTRIES && readyBytes <= READY_MAX_BYTES) break
      READY.delete(k)
      readyBytes -= v.samples.length + (v.alpha?.length ?? 0)
    }
  }
  return ready
}

/**
 * Embeds a PNG — or the bytes of {@link serializePdfReadyImage}, made from one beforehand — as an image XObject (ISO 32000-1 §8.9.5), Flate-compressed, its alpha channel as a
 * `/SMask` (§11.6.5.3) so transparent parts show the page beneath.
 *
 * @returns the image reference and its pixel size.
 */
export function embedPng(writer: IncrementalWriter, png: Uint8Array): { ref: PdfRef; width: number; height: number } {
  const img = parsePdfReadyImage(png) ?? pdfReady(png)
  const ref = writer.allocate()
  const image = dict({
    Type: PdfName.of('XObject'),
    Subtype: PdfName.of('Image'),
    Width: img.width,
    Height: img.height,
    ColorSpace: PdfName.of(img.colors === 3 ? 'DeviceRGB' : 'DeviceGray'),
    BitsPerComponent: 8,
    Filter: PdfName.of('FlateDecode'),
  })
  if (img.alpha) {
    const smask = writer.allocate()
    writer.setStream(
      smask,
      dict({ Type: PdfName.of('XObject'), Subtype: PdfName.of('Image'), Width: img.width, Height: img.height, ColorSpace: PdfName.of('DeviceGray'), BitsPerComponent: 8, Filter: PdfName.of('FlateDecode') }),
      img.alpha,
    )
    image.set('SMask', smask)
  }
  writer.setStream(ref, image, img.samples)
  return { ref, width: img.width, height: img.height }
}
