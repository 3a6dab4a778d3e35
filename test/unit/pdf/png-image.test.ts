/**
 * The PNG decoder behind seal and handwriting images, against pngjs's decoder: every colour type,
 * bit depths 1–16, palettes with tRNS alpha, tRNS colour keys, Adam7 interlacing and all five row
 * filters (pngjs's writer picks them adaptively), plus the embedded XObject and its SMask.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { PNG, type BitDepth, type ColorType } from 'pngjs'
import { IncrementalWriter } from '../../../cloud-functions/core/pdf/incremental-writer'
import { PdfDict, PdfRef, PdfStream } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { decodePng, embedPng, parsePdfReadyImage, pdfReadyImage, serializePdfReadyImage } from '../../../cloud-functions/core/pdf/png-image'

const FIXTURES = join(__dirname, '../../fixtures/pdf')

/** pngjs's reading as 8-bit RGBA. */
function reference(png: Buffer): { rgba: Buffer; width: number; height: number } {
  const p = PNG.sync.read(png)
  return { rgba: p.data, width: p.width, height: p.height }
}

/** Ours, expanded to 8-bit RGBA for comparison. */
function ours(png: Buffer): Buffer {
  const d = decodePng(png)
  const out = Buffer.alloc(d.width * d.height * 4)
  for (let i = 0; i < d.width * d.height; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = d.samples[d.colors === 3 ? i * 3 + c : i]
    out[i * 4 + 3] = d.alpha ? d.alpha[i] : 255
  }
  return out
}

function maxDiff(a: Buffer, b: Buffer): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return a.length === b.length ? m : Infinity
}

/** A chunk with its CRC (RFC 2083 §3.2). */
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0)
  return Buffer.concat([head, data, crc])
}

/**
 * A minimal PNG writer for what pngjs cannot write: packed samples `pixel(x, y)` (already at the bit
 * depth, one value per channel), filter 0, optionally Adam7-interlaced.
 */
function writePng(o: {
  width: number
  height: number
  colorType: number
  depth: number
  channels: number
  pixel: (x: number, y: number) => number[]
  interlace?: boolean
  extra?: Buffer[]
}): Buffer {
  const rowOf = (xs: number[], y: number): Buffer => {
    const bits = xs.length * o.channels * o.depth
    const row = Buffer.alloc(1 + Math.ceil(bits / 8))
    let bit = 0
    for (const x of xs) {
      for (const v of o.pixel(x, y)) {
        if (o.depth === 16) row.writeUInt16BE(v, 1 + bit / 8)
        else if (o.depth === 8) row[1 + bit / 8] = v
        else row[1 + (bit >> 3)] |= v << (8 - o.depth - (bit & 7))
        bit += o.depth
      }
    }
    return row
  }
  const rows: Buffer[] = []
  const passes = o.interlace
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]
    : [[0, 0, 1, 1]]
  for (const [x0, y0, dx, dy] of passes) {
    const xs: number[] = []
    for (let x = x0; x < o.width; x += dx) xs.push(x)
    if (!xs.length) continue
    for (let y = y0; y < o.height; y += dy) rows.push(rowOf(xs, y))
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(o.width, 0)
  ihdr.writeUInt32BE(o.height, 4)
  ihdr[8] = o.depth
  ihdr[9] = o.colorType
  ihdr[12] = o.interlace ? 1 : 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(o.extra ?? []),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

describe('decodePng', () => {
  it.each<[ColorType, BitDepth]>([
    [0, 8],
    [2, 8],
    [4, 8],
    [6, 8],
    [0, 16],
    [2, 16],
    [6, 16],
  ])('colour type %i, %i bits (written by pngjs with adaptive filters) decodes as pngjs does', (colorType, bitDepth) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (width, height, seed) => {
        const src = new PNG({ width, height })
        let x = seed >>> 0
        for (let i = 0; i < src.data.length; i++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0
          // Smooth-ish data so every filter type gets chosen somewhere.
          src.data[i] = i % 7 === 0 ? x >>> 24 : (i * 3 + (x >>> 28)) & 0xff
        }
        const png = PNG.sync.write(src, { colorType, bitDepth, inputHasAlpha: true })
        const ref = reference(png)
        return maxDiff(ours(png), ref.rgba) <= (bitDepth === 16 ? 1 : 0)
      }),
      { numRuns: 25 },
    )
  })

  it.each([1, 2, 4, 8])('palette images at %i bits with per-entry alpha (tRNS), plain and interlaced', (depth) => {
    const entries = 1 << Math.min(depth, 4)
    const plte = Buffer.alloc(entries * 3)
    for (let i = 0; i < plte.length; i++) plte[i] = (i * 37) & 0xff
    const trns = Buffer.from(Array.from({ length: entries }, (_, i) => (i * 71) & 0xff))
    for (const interlace of [false, true]) {
      const png = writePng({
        width: 13,
        height: 11,
        colorType: 3,
        depth,
        channels: 1,
        pixel: (x, y) => [(x * 5 + y * 3) % entries],
        interlace,
        extra: [chunk('PLTE', plte), chunk('tRNS', trns)],
      })
      expect({ depth, interlace, diff: maxDiff(ours(png), reference(png).rgba) }).toEqual({ depth, interlace, diff: 0 })
    }
  })

  it.each([1, 2, 4, 8, 16])('grayscale at %i bits, interlaced, with a tRNS colour key', (depth) => {
    const max = (1 << depth) - 1
    const key = Math.min(5, Math.floor(max / 3))
    const trns = Buffer.alloc(2)
    trns.writeUInt16BE(key)
    const png = writePng({ width: 17, height: 9, colorType: 0, depth, channels: 1, pixel: (x, y) => [(x + y * 2) % (max + 1)], interlace: true, extra: [chunk('tRNS', trns)] })
    const d = decodePng(png)
    const ref = reference(png)
    // The keyed level (compared at full depth) is transparent, everything else opaque, with the
    // grey levels pngjs reads (which zeroes the colour of transparent pixels).
    for (let i = 0; i < 17 * 9; i++) {
      const raw = ((i % 17) + Math.floor(i / 17) * 2) % (max + 1)
      expect({ i, alpha: d.alpha?.[i] }).toEqual({ i, alpha: raw === key ? 0 : 255 })
      if (raw !== key) expect(Math.abs(d.samples[i] - ref.rgba[i * 4])).toBeLessThanOrEqual(1)
    }
  })

  it('drops the alpha channel when every pixel is opaque, and refuses what is not a PNG', () => {
    const src = new PNG({ width: 4, height: 4 })
    src.data.fill(255)
    expect(decodePng(PNG.sync.write(src)).alpha).toBeUndefined()
    expect(() => decodePng(Buffer.from('GIF89a'))).toThrow(/not a PNG/)
    const seal = readFileSync(join(FIXTURES, 'seal.png'))
    expect(() => decodePng(seal.subarray(0, 60))).toThrow()
  })
})

describe('embedPng', () => {
  it('writes an RGB image XObject with a DeviceGray SMask that round-trips the pixels', () => {
    const seal = readFileSync(join(FIXTURES, 'seal.png'))
    const pdf = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    const reader = PdfReader.open(pdf)
    const w = new IncrementalWriter(reader)
    const { ref, width, height } = embedPng(w, seal)
    const after = Buffer.concat([pdf, w.build().appended])
    const r = PdfReader.open(after)
    const img = r.getObject(ref) as PdfStream
    expect([img.dict.name('Subtype'), img.dict.name('ColorSpace'), img.dict.get('BitsPerComponent'), width, height]).toEqual(['Image', 'DeviceRGB', 8, 200, 200])
    const smask = r.getObject(img.dict.get('SMask') as PdfRef) as PdfStream
    expect((smask.dict as PdfDict).name('ColorSpace')).toBe('DeviceGray')
    const rgb = inflateSync(img.raw())
    const alpha = inflateSync(smask.raw())
    const rgba = Buffer.alloc(width * height * 4)
    for (let i = 0; i < width * height; i++) rgba.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], alpha[i]], i * 4)
    expect(rgba.equals(reference(seal).rgba)).toBe(true)
  })

  it('embeds the prepared bytes of a PNG (made when a seal is stored) exactly as it embeds the PNG', () => {
    const seal = readFileSync(join(FIXTURES, 'seal.png'))
    const pdf = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    const embedded = (image: Uint8Array) => {
      const w = new IncrementalWriter(PdfReader.open(pdf))
      const { ref, width, height } = embedPng(w, image)
      const r = PdfReader.open(Buffer.concat([pdf, w.build().appended]))
      const img = r.getObject(ref) as PdfStream
      const smask = r.getObject(img.dict.get('SMask') as PdfRef) as PdfStream
      return { width, height, rgb: inflateSync(img.raw()), alpha: inflateSync(smask.raw()) }
    }
    const prepared = serializePdfReadyImage(pdfReadyImage(seal))
    const a = embedded(seal)
    const b = embedded(prepared)
    expect([b.width, b.height]).toEqual([a.width, a.height])
    expect(b.rgb.equals(a.rgb) && b.alpha.equals(a.alpha)).toBe(true)
  })

  it('refuses prepared bytes whose header does not match their length, and takes no PNG for them', () => {
    const seal = readFileSync(join(FIXTURES, 'seal.png'))
    const prepared = serializePdfReadyImage(pdfReadyImage(seal))
    expect(parsePdfReadyImage(seal)).toBeUndefined()
    expect(parsePdfReadyImage(prepared)?.width).toBe(200)
    expect(() => parsePdfReadyImage(prepared.subarray(0, prepared.length - 1))).toThrow(/damaged prepared image/)
    const bad = Buffer.from(prepared)
    bad.write('{"width":-1', 10, 'latin1')
    expect(() => parsePdfReadyImage(bad)).toThrow(/damaged prepared image/)
  })
})
