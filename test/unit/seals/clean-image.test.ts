/**
 * Uploaded seal images and photos of signatures: recognised by content (PNG/JPEG), limits checked
 * before decoding, and cleaned — paper to transparent (even under a shadow), ink colour normalised,
 * cropped to the ink, EXIF orientation applied.
 */
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { checkImageUpload, cleanImage, decodeImage, sniffImage } from '../../../cloud-functions/core/seals/clean-image'
import { INK_BLACK, SEAL_RED } from '../../../cloud-functions/core/seals/drawing'
import { generateSeal } from '../../../cloud-functions/core/seals/generate-seal'
import { renderHandwriting } from '../../../cloud-functions/core/seals/handwriting'
import { rasterise, type RgbaImage } from '../../../cloud-functions/core/seals/rasterise'
import { sampleStrokes, testSealFont } from '../../support/seal-fixtures'

/** `ink` (RGBA, transparent background) laid on paper of colour `paper(x, y)` with deterministic noise, `pad` px around. */
function onPaper(ink: RgbaImage, inkColor: readonly number[] | undefined, paper: (x: number, y: number) => number[], pad = 40): RgbaImage {
  const w = ink.width + 2 * pad
  const h = ink.height + 2 * pad
  const data = new Uint8Array(w * h * 4)
  let seed = 7
  const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 17) - 8
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const bg = paper(x, y)
      const ix = x - pad
      const iy = y - pad
      let a = 0
      let c = [0, 0, 0]
      if (ix >= 0 && iy >= 0 && ix < ink.width && iy < ink.height) {
        const i = (iy * ink.width + ix) * 4
        a = ink.data[i + 3]! / 255
        c = inkColor ? [...inkColor] : [ink.data[i]!, ink.data[i + 1]!, ink.data[i + 2]!]
      }
      const n = noise()
      const j = (y * w + x) * 4
      for (let k = 0; k < 3; k++) data[j + k] = Math.max(0, Math.min(255, Math.round(c[k]! * a + bg[k]! * (1 - a) + n)))
      data[j + 3] = 255
    }
  }
  return { width: w, height: h, data }
}

const encodePng = (img: RgbaImage) => {
  const png = new PNG({ width: img.width, height: img.height })
  Buffer.from(img.data).copy(png.data)
  return new Uint8Array(PNG.sync.write(png))
}
const encodeJpeg = (img: RgbaImage, quality = 85) => new Uint8Array(jpeg.encode({ width: img.width, height: img.height, data: Buffer.from(img.data) }, quality).data)

function sealInk(): RgbaImage {
  const font = testSealFont()
  const d = generateSeal({ kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章' }, font)
  if (!d.ok) throw new Error(d.error.message)
  return rasterise(d.value, font, 6)
}

/** Share of pixels with alpha > 128, and of those, how many have exactly `color`. */
function inkStats(img: RgbaImage, color: readonly number[]) {
  let ink = 0
  let exact = 0
  for (let i = 0; i < img.data.length; i += 4) {
    if (img.data[i + 3]! > 128) {
      ink++
      if (img.data[i] === color[0] && img.data[i + 1] === color[1] && img.data[i + 2] === color[2]) exact++
    }
  }
  return { inkShare: ink / (img.width * img.height), colorShare: ink ? exact / ink : 0 }
}

describe('seal uploads: checked by content, cleaned to transparent normalised red', () => {
  const ink = sealInk()
  // A darker, duller red stamp on cream paper: the normalisation must bring it to SEAL_RED.
  const photo = onPaper(ink, [170, 40, 60], () => [242, 236, 222])

  it.each([
    ['PNG', encodePng(photo)],
    ['JPEG', encodeJpeg(photo)],
  ])('%s: background transparent, ink normalised to seal red, cropped to the seal', (_fmt, bytes) => {
    // Act
    const info = checkImageUpload(bytes)
    if (!info.ok) throw new Error(info.error.message)
    const decoded = decodeImage(bytes, info.value)
    if (!decoded.ok) throw new Error(decoded.error.message)
    const cleaned = cleanImage(decoded.value, 'seal')

    // Assess
    if (!cleaned.ok) throw new Error(cleaned.error.message)
    const out = cleaned.value
    // Cropped to the seal (plus a 2 % margin), not the 40 px of paper around it.
    expect(out.width).toBeGreaterThan(ink.width - 4)
    expect(out.width).toBeLessThan(ink.width + 20)
    // Corners are paper → fully transparent.
    expect(out.data[3]).toBe(0)
    expect(out.data[(out.width * out.height - 1) * 4 + 3]).toBe(0)
    // The centre of the star is ink, drawn in the normalised red.
    const c = ((out.height >> 1) * out.width + (out.width >> 1)) * 4
    expect(Array.from(out.data.subarray(c, c + 4))).toEqual([...SEAL_RED, 255])
    const original = inkStats(ink, [0, 0, 0])
    const stats = inkStats(out, SEAL_RED)
    expect(stats.colorShare).toBe(1)
    // About as much ink as the seal has (area relative to the crop).
    expect(Math.abs(stats.inkShare * out.width * out.height - original.inkShare * ink.width * ink.height) / (original.inkShare * ink.width * ink.height)).toBeLessThan(0.15)
  })

  it('decides the format by content, not by name: text, GIF and a truncated PNG are not images', () => {
    expect(sniffImage(encodePng(photo))?.format).toBe('png')
    expect(sniffImage(encodeJpeg(photo))?.format).toBe('jpeg')
    for (const bytes of [Buffer.from('hello, this is seal.png'), Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), new Uint8Array(0)]) {
      const r = checkImageUpload(bytes)
      expect(r.ok ? 'ok' : r.error.code).toBe('NOT_AN_IMAGE')
    }
    const png = encodePng(photo)
    const truncated = png.subarray(0, png.length >> 1)
    const info = checkImageUpload(truncated)
    if (!info.ok) throw new Error('header should still read')
    const decoded = decodeImage(truncated, info.value)
    expect(decoded.ok ? 'ok' : decoded.error.code).toBe('NOT_AN_IMAGE')
  })

  it('refuses too many pixels from the header alone, and too many bytes, naming the limit', () => {
    // A 5000×10 PNG: valid, tiny file, too wide.
    const wide = encodePng({ width: 5000, height: 10, data: new Uint8Array(5000 * 10 * 4).fill(255) })
    const r = checkImageUpload(wide)
    expect(r).toEqual({ ok: false, error: { code: 'IMAGE_TOO_MANY_PIXELS', message: expect.stringContaining('4096'), details: { maxSide: 4096, width: 5000, height: 10 } } })
    // A header that claims 60000×60000 is refused without decoding anything.
    const bomb = Buffer.from(encodePng({ width: 1, height: 1, data: new Uint8Array(4) }))
    bomb.writeUInt32BE(60000, 16)
    bomb.writeUInt32BE(60000, 20)
    expect(checkImageUpload(bomb).ok ? 'ok' : 'refused').toBe('refused')
    const big = new Uint8Array(2 * 1024 * 1024 + 1)
    big.set(encodePng(photo))
    const tooBig = checkImageUpload(big)
    expect(tooBig.ok ? undefined : tooBig.error).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { maxBytes: 2 * 1024 * 1024 } })
  })

  it('a blank page has no seal: IMAGE_EMPTY', () => {
    const blank = onPaper({ width: 100, height: 100, data: new Uint8Array(100 * 100 * 4) }, undefined, () => [250, 250, 250])
    const r = cleanImage(blank, 'seal')
    expect(r.ok ? 'ok' : r.error.code).toBe('IMAGE_EMPTY')
  })
})

describe('photo of a signature on paper', () => {
  const d = renderHandwriting({ width: 320, height: 200, strokes: sampleStrokes() })
  if (!d.ok) throw new Error(d.error.message)
  const ink = rasterise(d.value, undefined, 6)

  it('removes a shadowed background (paper from 150 to 250 grey) and normalises blue ink to black', () => {
    // Prepare: blue ballpoint, with a shadow across the photo.
    const photo = onPaper(ink, [30, 50, 150], (x) => {
      const v = 150 + Math.round((100 * x) / (ink.width + 80))
      return [v, v, v - 5]
    })
    const bytes = encodeJpeg(photo, 90)

    // Act
    const info = checkImageUpload(bytes)
    if (!info.ok) throw new Error(info.error.message)
    const decoded = decodeImage(bytes, info.value)
    if (!decoded.ok) throw new Error(decoded.error.message)
    const cleaned = cleanImage(decoded.value, 'signature')

    // Assess
    if (!cleaned.ok) throw new Error(cleaned.error.message)
    const out = cleaned.value
    expect(inkStats(out, INK_BLACK).colorShare).toBe(1)
    // The dark left edge of the paper did not become ink: the crop is the signature's size.
    expect(out.width).toBeLessThan(ink.width + 20)
    expect(out.height).toBeLessThan(ink.height + 20)
    const original = inkStats(ink, [0, 0, 0]).inkShare * ink.width * ink.height
    const got = inkStats(out, INK_BLACK).inkShare * out.width * out.height
    expect(Math.abs(got - original) / original).toBeLessThan(0.25)
  })

  it('applies the EXIF orientation of a phone photo (6: rotate 90° clockwise)', () => {
    const photo = onPaper(ink, [20, 20, 20], () => [245, 245, 245])
    const jpg = Buffer.from(encodeJpeg(photo))
    // APP1 Exif with IFD0 holding one entry: Orientation (0x0112) = 6, big-endian TIFF.
    const tiff = Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0])
    const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload])
    const rotated = Buffer.concat([jpg.subarray(0, 2), app1, jpg.subarray(2)])
    const info = checkImageUpload(rotated)
    if (!info.ok) throw new Error(info.error.message)
    const decoded = decodeImage(rotated, info.value)
    if (!decoded.ok) throw new Error(decoded.error.message)
    expect([decoded.value.width, decoded.value.height]).toEqual([photo.height, photo.width])
  })
})
