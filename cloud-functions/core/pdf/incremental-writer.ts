import { ascendingNumbers } from '../shared/ascending-numbers'
import type { PdfReader } from './pdf-reader'
import { PdfDict, PdfName, PdfRef, dict, formatNumber, serializeValue, type PdfValue } from './pdf-objects'

/** An object body already serialized, as Latin-1 text or bytes (e.g. a stream written by pdf-lib). */
export type RawBody = { raw: Uint8Array }
type Pending = { ref: PdfRef; body: Uint8Array }

/** The bytes an update appends, and where each object's body starts in the whole file. */
export type IncrementalUpdate = {
  /** Bytes to append after the original file, unchanged. */
  appended: Uint8Array
  /** Absolute offset (in original + appended) of the first byte of each object's body. */
  bodyOffsets: Map<number, number>
  /** Offset of the new xref section (the new `startxref`). */
  startxref: number
  totalLength: number
}

/**
 * Appends one incremental update (ISO 32000-1 §7.5.6): only new and changed objects, then a
 * cross-reference section in the same style as the previous revision (table or stream) and a
 * trailer with `/Prev`, keeping `/Root`, `/Info` and `/ID`. Earlier bytes never change.
 *
 * @example
 * const w = new IncrementalWriter(reader)
 * const ref = w.allocate()
 * w.set(ref, dict({ Type: name('Annot') }))
 * const { appended } = w.build()
 */
export class IncrementalWriter {
  private nextNum: number
  private readonly pending = new Map<number, Pending>()

  constructor(private readonly reader: PdfReader) {
    this.nextNum = reader.size
  }

  allocate(): PdfRef {
    return new PdfRef(this.nextNum++, 0)
  }

  /** The number the next `allocate()` returns. */
  get nextObjectNumber(): number {
    return this.nextNum
  }

  /** Marks every number below `n` as used (after objects were numbered elsewhere, e.g. by pdf-lib). */
  advanceTo(n: number): void {
    if (n > this.nextNum) this.nextNum = n
  }

  /** Reserves `n` consecutive object numbers and returns the first. */
  allocateRange(n: number): number {
    const first = this.nextNum
    this.nextNum += n
    return first
  }

  /** Adds or replaces object `ref`. */
  set(ref: PdfRef, value: PdfValue | RawBody): void {
    const body =
      value !== null && typeof value === 'object' && 'raw' in value && value.raw instanceof Uint8Array
        ? value.raw
        : Buffer.from(serializeValue(value as PdfValue), 'latin1')
    this.pending.set(ref.num, { ref, body })
  }

  /** Adds a stream object with uncompressed or pre-encoded `data`; `/Length` is set here. */
  setStream(ref: PdfRef, streamDict: PdfDict, data: Uint8Array): void {
    const d = streamDict.clone().set('Length', data.length)
    const head = Buffer.from(serializeValue(d) + '\nstream\n', 'latin1')
    this.set(ref, { raw: Buffer.concat([head, data, Buffer.from('\nendstream', 'latin1')]) })
  }

  has(num: number): boolean {
    return this.pending.has(num)
  }

  get isEmpty(): boolean {
    return this.pending.size === 0
  }

  /**
   * Replaces entries of the document information dictionary (/Info) of the previous revision, when
   * it has one; a file without /Info is left without.
   */
  setInfo(entries: Record<string, PdfValue>): void {
    const infoRef = this.reader.trailer.get('Info')
    const info = infoRef instanceof PdfRef ? this.reader.dictAt(infoRef)?.clone() : undefined
    if (!(infoRef instanceof PdfRef) || !info) return
    for (const [k, v] of Object.entries(entries)) info.set(k, v)
    this.set(infoRef, info)
  }

  /** The whole new file: the original bytes, unchanged, then the update. */
  buildFile(): Uint8Array {
    const original = this.reader.bytes
    const { appended } = this.build()
    const out = new Uint8Array(original.length + appended.length)
    out.set(original, 0)
    out.set(appended, original.length)
    return out
  }

  /** Serializes the update: the bytes to append after the original file. */
  build(): IncrementalUpdate {
    const original = this.reader.bytes
    const base = original.length
    const chunks: Buffer[] = []
    let pos = base
    const last = original[base - 1]
    if (last !== 0x0a && last !== 0x0d) {
      chunks.push(Buffer.from('\n'))
      pos += 1
    }
    const offsets = new Map<number, number>()
    const bodyOffsets = new Map<number, number>()
    const nums = [...this.pending.keys()].sort(ascendingNumbers)
    for (const num of nums) {
      const p = this.pending.get(num) as Pending
      offsets.set(num, pos)
      const header = Buffer.from(`${num} ${p.ref.gen} obj\n`, 'latin1')
      bodyOffsets.set(num, pos + header.length)
      chunks.push(header, Buffer.from(p.body.buffer, p.body.byteOffset, p.body.byteLength), END_OBJ)
      pos += header.length + p.body.byteLength + END_OBJ.length
    }
    const prevTrailer = this.reader.trailer
    const trailer = new PdfDict()
    const xrefOffset = pos
    if (this.reader.xrefStyle === 'stream') {
      const xrefNum = this.nextNum++
      offsets.set(xrefNum, xrefOffset)
      const size = this.nextNum
      const all = [...nums, xrefNum].sort(ascendingNumbers)
      const index: number[] = []
      const data: number[] = []
      for (const group of contiguous(all)) {
        index.push(group[0], group.length)
        for (const n of group) {
          const off = offsets.get(n) as number
          const gen = this.pending.get(n)?.ref.gen ?? 0
          data.push(1, (off >>> 24) & 0xff, (off >>> 16) & 0xff, (off >>> 8) & 0xff, off & 0xff, (gen >> 8) & 0xff, gen & 0xff)
        }
      }
      const d = dict({ Type: PdfName.of('XRef'), Size: size, W: [1, 4, 2], Index: index })
      copyTrailerKeys(prevTrailer, d)
      d.set('Prev', this.reader.startxref)
      const bytes = Buffer.from(data)
      const head = Buffer.from(`${xrefNum} 0 obj\n${serializeValue(d.set('Length', bytes.length))}\nstream\n`, 'latin1')
      const tail = Buffer.from('\nendstream\nendobj\n', 'latin1')
      chunks.push(head, bytes, tail)
      pos += head.length + bytes.length + tail.length
    } else {
      let xref = 'xref\n'
      for (const group of contiguous(nums)) {
        xref += `${group[0]} ${group.length}\n`
        for (const n of group) {
          const gen = (this.pending.get(n) as Pending).ref.gen
          xref += `${String(offsets.get(n)).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`
        }
      }
      trailer.set('Size', this.nextNum)
      copyTrailerKeys(prevTrailer, trailer)
      trailer.set('Prev', this.reader.startxref)
      chunks.push(Buffer.from(`${xref}trailer\n${serializeValue(trailer)}\n`, 'latin1'))
    }
    chunks.push(Buffer.from(`startxref\n${formatNumber(xrefOffset)}\n%%EOF\n`, 'latin1'))
    const appended = Buffer.concat(chunks)
    return { appended, bodyOffsets, startxref: xrefOffset, totalLength: base + appended.length }
  }
}

function copyTrailerKeys(from: PdfDict, to: PdfDict): void {
  for (const k of ['Root', 'Info', 'ID']) {
    const v = from.get(k)
    if (v !== undefined && v !== null) to.set(k, v)
  }
}

/** `\nendobj\n`, shared by every object of every update (Buffer.concat copies it). */
const END_OBJ = Buffer.from('\nendobj\n', 'latin1')

function contiguous(sorted: number[]): number[][] {
  const groups: number[][] = []
  for (const n of sorted) {
    const g = groups[groups.length - 1]
    if (g && g[g.length - 1] === n - 1) g.push(n)
    else groups.push([n])
  }
  return groups
}

