import type * as Zlib from 'node:zlib'
import { PdfDict, PdfName, type PdfStream, type PdfValue } from './pdf-objects'

/**
 * Decodes the stream types the reader needs (xref streams and object streams): FlateDecode with
 * optional PNG/TIFF predictors (ISO 32000-1 §7.4.4.4). Image data is never decoded here.
 */
export function decodeStream(stream: PdfStream, resolve: (v: PdfValue | undefined) => PdfValue | undefined = (v) => v): Uint8Array {
  const filters = toArray(resolve(stream.dict.get('Filter')))
  const parms = toArray(resolve(stream.dict.get('DecodeParms')))
  let data: Uint8Array = stream.raw()
  filters.forEach((f, i) => {
    const fname = f instanceof PdfName ? f.name : ''
    const p = resolve(parms[i]) as PdfValue | undefined
    if (fname === 'FlateDecode' || fname === 'Fl') {
      data = inflateTolerant(data)
      if (p instanceof PdfDict) data = unpredict(data, p)
    } else {
      throw new Error(`unsupported filter /${fname} in an xref or object stream`)
    }
  })
  return data
}

function toArray(v: PdfValue | undefined): PdfValue[] {
  if (v === undefined || v === null) return []
  return Array.isArray(v) ? v : [v]
}

let zlibModule: typeof Zlib | undefined
/** node:zlib, loaded on first use (files with classic xref tables never need it: faster CLI start-up). */
export function zlib(): typeof Zlib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (zlibModule ??= require('node:zlib') as typeof Zlib)
}

/** Cap on one decoded xref or object stream: a zlib bomb in an untrusted file fails instead of exhausting memory. */
export const MAX_DECODED_STREAM_BYTES = 256 * 1024 * 1024

function inflateTolerant(data: Uint8Array): Uint8Array {
  const maxOutputLength = MAX_DECODED_STREAM_BYTES
  try {
    return zlib().inflateSync(data, { maxOutputLength })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw e
    // Truncated or trailing-garbage zlib data, common in real files: take what decodes.
    return zlib().inflateSync(data, { finishFlush: zlib().constants.Z_SYNC_FLUSH, maxOutputLength })
  }
}

function unpredict(data: Uint8Array, p: PdfDict): Uint8Array {
  const predictor = (p.get('Predictor') as number) ?? 1
  if (predictor <= 1) return data
  const colors = (p.get('Colors') as number) ?? 1
  const bpc = (p.get('BitsPerComponent') as number) ?? 8
  const columns = (p.get('Columns') as number) ?? 1
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8))
  const rowLen = Math.ceil((colors * bpc * columns) / 8)
  if (predictor === 2) {
    const out = Uint8Array.from(data)
    for (let r = 0; r + rowLen <= out.length; r += rowLen) {
      for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i] + out[r + i - bpp]) & 0xff
    }
    return out
  }
  // PNG predictors: each row is prefixed by a filter-type byte.
  return unfilterPngRows(data, rowLen, bpp)
}

/**
 * Reverses PNG row filtering (RFC 2083 §6): `data` is rows of `rowLen` bytes each prefixed by a
 * filter-type byte; `bpp` is the bytes per complete pixel (at least 1). Returns the unfiltered rows.
 */
export function unfilterPngRows(data: Uint8Array, rowLen: number, bpp: number): Uint8Array {
  const rows = Math.floor(data.length / (rowLen + 1))
  const out = new Uint8Array(rows * rowLen)
  let prev = new Uint8Array(rowLen)
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]
    const src = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1))
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen)
    switch (type) {
      case 0:
        cur.set(src)
        break
      case 1:
        for (let i = 0; i < rowLen; i++) cur[i] = (src[i] + (i >= bpp ? cur[i - bpp] : 0)) & 0xff
        break
      case 2:
        for (let i = 0; i < rowLen; i++) cur[i] = (src[i] + prev[i]) & 0xff
        break
      case 3:
        for (let i = 0; i < rowLen; i++) cur[i] = (src[i] + (((i >= bpp ? cur[i - bpp] : 0) + prev[i]) >> 1)) & 0xff
        break
      case 4:
        for (let i = 0; i < rowLen; i++) {
          const left = i >= bpp ? cur[i - bpp] : 0
          const up = prev[i]
          const upLeft = i >= bpp ? prev[i - bpp] : 0
          const pp = left + up - upLeft
          const pa = Math.abs(pp - left), pb = Math.abs(pp - up), pc = Math.abs(pp - upLeft)
          cur[i] = (src[i] + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft)) & 0xff
        }
        break
      default:
        throw new Error(`bad PNG predictor row type ${type}`)
    }
    prev = cur
  }
  return out
}
