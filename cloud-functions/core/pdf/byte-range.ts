import { createHash } from 'node:crypto'

/**
 * `/ByteRange [0 a b c]` of a signature (ISO 32000-1 §12.8.1): everything except the `/Contents`
 * hex string including its `<` and `>`.
 */
export class ByteRange {
  private constructor(
    readonly start1: number,
    readonly length1: number,
    readonly start2: number,
    readonly length2: number,
  ) {}

  /** The range around a `/Contents <…>` hole at [holeStart, holeEnd) in a file of `total` bytes. */
  static aroundHole(holeStart: number, holeEnd: number, total: number): ByteRange {
    return new ByteRange(0, holeStart, holeEnd, total - holeEnd)
  }

  static of(values: number[]): ByteRange {
    if (values.length !== 4 || values.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new Error(`a ByteRange is four non-negative integers, got [${values.join(' ')}]`)
    }
    return new ByteRange(values[0], values[1], values[2], values[3])
  }

  get end(): number {
    return this.start2 + this.length2
  }

  toArray(): [number, number, number, number] {
    return [this.start1, this.length1, this.start2, this.length2]
  }

  /** `[0 a b c]` padded with spaces to exactly `width` characters (the placeholder's width). */
  toFixedWidth(width: number): string {
    const s = `[${this.toArray().join(' ')}]`
    if (s.length > width) throw new Error(`ByteRange ${s} does not fit its ${width}-character placeholder`)
    return s.padEnd(width, ' ')
  }
}

/** A file held as consecutive pieces (the original bytes, then an appended revision), never joined. */
export type PieceList = readonly Uint8Array[]

/**
 * SHA-256 over the two ByteRange parts of a document made of `pieces`, without copying them:
 * hashes subarray views of each piece.
 */
export function digestByteRange(pieces: PieceList, range: ByteRange, algorithm = 'sha256'): Uint8Array {
  const h = createHash(algorithm)
  const ranges: Array<[number, number]> = [
    [range.start1, range.start1 + range.length1],
    [range.start2, range.start2 + range.length2],
  ]
  for (const [from, to] of ranges) {
    let base = 0
    for (const piece of pieces) {
      const pEnd = base + piece.length
      const s = Math.max(from, base)
      const e = Math.min(to, pEnd)
      if (s < e) h.update(piece.subarray(s - base, e - base))
      base = pEnd
    }
  }
  return new Uint8Array(h.digest())
}

export function totalLength(pieces: PieceList): number {
  return pieces.reduce((n, p) => n + p.length, 0)
}
