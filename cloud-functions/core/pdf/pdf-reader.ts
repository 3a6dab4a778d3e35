import { PdfFormatError } from './pdf-errors'
import { ObjectParser, PdfSyntaxError, indexOf, lastIndexOf, latin1 } from './object-parser'
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './pdf-objects'
import { decodeStream } from './stream-decode'

/** One cross-reference entry (ISO 32000-1 §7.5.4 and §7.5.8.3). */
export type XrefEntry =
  | { type: 0 }
  | { type: 1; offset: number; gen: number }
  | { type: 2; stream: number; index: number }

/** One cross-reference section of the `/Prev` chain, newest first. */
export type XrefSection = { offset: number; kind: 'table' | 'stream'; trailer: PdfDict }

/** A signature field found in the AcroForm. */
export type SignatureFieldInfo = {
  ref: PdfRef
  name: string
  /** The signature dictionary when the field is signed. */
  value?: PdfRef | PdfDict
  widgets: PdfRef[]
}

const TAIL_WINDOW = 4096

/**
 * Reads a PDF through its cross-reference data without parsing the whole file: only the tail, the
 * xref sections of the `/Prev` chain, and the objects asked for. Handles classic tables, xref
 * streams with predictors, object streams, hybrid files (`/XRefStm`), linearized files and files
 * with earlier incremental updates.
 *
 * @example
 * const reader = PdfReader.open(bytes)
 * const pageRef = reader.pageRef(0)
 */
export class PdfReader {
  readonly sections: XrefSection[] = []
  private readonly entries = new Map<number, XrefEntry>()
  private readonly cache = new Map<number, PdfValue>()
  private readonly objStmCache = new Map<number, { data: Uint8Array; offsets: Map<number, number>; first: number }>()
  /** The number after the last `startxref`: the `/Prev` of the next revision. */
  readonly startxref: number
  /** Where the last `%%EOF` ends (end of the last revision). */
  readonly revisionEnd: number
  /** The `%PDF-x.y` version from the header. */
  readonly headerVersion: string

  private constructor(readonly bytes: Uint8Array) {
    const head = latin1(bytes, 0, Math.min(bytes.length, 1024))
    const h = head.indexOf('%PDF-')
    if (h < 0) throw new PdfFormatError('NOT_PDF', 'not a PDF file (no %PDF- header)')
    this.headerVersion = head.slice(h + 5, h + 8)
    const tailFrom = Math.max(0, bytes.length - TAIL_WINDOW)
    const eof = lastIndexOf(bytes, '%%EOF')
    const sx = lastIndexOf(bytes, 'startxref')
    if (eof < 0 || eof < tailFrom || sx < 0 || sx > eof) {
      throw new PdfFormatError('TRUNCATED', 'the PDF is truncated or damaged: no startxref/%%EOF at the end of the file')
    }
    const p = new ObjectParser(bytes, sx + 9)
    let startxref: number
    try {
      startxref = p.readInt()
    } catch {
      throw new PdfFormatError('TRUNCATED', 'the PDF is damaged: startxref has no offset')
    }
    this.startxref = startxref
    let end = eof + 5
    if (bytes[end] === 0x0d) end++
    if (bytes[end] === 0x0a) end++
    this.revisionEnd = end
    try {
      this.readChain(startxref)
    } catch (e) {
      if (e instanceof PdfFormatError) throw e
      throw new PdfFormatError('BROKEN_XREF', `the cross-reference data is broken (${(e as Error).message})`, { cause: e })
    }
    const trailer = this.trailer
    if (trailer.has('Encrypt')) {
      throw new PdfFormatError('ENCRYPTED', 'the PDF is encrypted; remove the password protection before signing')
    }
    if (!(trailer.get('Root') instanceof PdfRef)) {
      throw new PdfFormatError('BROKEN_XREF', 'the trailer has no /Root')
    }
    this.checkOffsets()
  }

  /** @throws PdfFormatError when the bytes are not a usable PDF. */
  static open(bytes: Uint8Array): PdfReader {
    return new PdfReader(bytes)
  }

  /** The newest trailer (for an xref stream, its dictionary). */
  get trailer(): PdfDict {
    return this.sections[0].trailer
  }

  /** The xref style of the last revision; an incremental update must use the same. */
  get xrefStyle(): 'table' | 'stream' {
    return this.sections[0].kind
  }

  /** The next free object number. */
  get size(): number {
    let max = 0
    for (const s of this.sections) {
      const v = s.trailer.get('Size')
      if (typeof v === 'number' && v > max) max = v
    }
    for (const k of this.entries.keys()) if (k + 1 > max) max = k + 1
    return max
  }

  get rootRef(): PdfRef {
    return this.trailer.get('Root') as PdfRef
  }

  private readChain(offset: number): void {
    const seen = new Set<number>()
    let next: number | undefined = offset
    while (next !== undefined) {
      if (seen.has(next)) break
      seen.add(next)
      if (next < 0 || next >= this.bytes.length) throw new PdfSyntaxError(`xref offset ${next} is outside the file`)
      const section = this.readSection(next)
      this.sections.push(section)
      const stm = section.trailer.get('XRefStm')
      if (section.kind === 'table' && typeof stm === 'number' && !seen.has(stm)) {
        // Hybrid file (§7.5.8.4): the xref stream's entries come after the table's.
        try {
          this.readSection(stm)
        } catch {
          /* a broken hidden xref stream only matters to readers that use it */
        }
      }
      const prev = section.trailer.get('Prev')
      next = typeof prev === 'number' ? prev : undefined
    }
  }

  private setEntry(num: number, e: XrefEntry): void {
    if (!this.entries.has(num)) this.entries.set(num, e)
  }

  private readSection(offset: number): XrefSection {
    const b = this.bytes
    const p = new ObjectParser(b, offset)
    p.skipWhite()
    if (p.readToken(true) === 'xref') {
      p.readToken()
      for (;;) {
        const tok = p.readToken(true)
        if (tok === 'trailer') break
        if (!/^\d+$/.test(tok)) throw new PdfSyntaxError(`bad xref subsection at offset ${p.pos}`)
        const start = p.readInt()
        const count = p.readInt()
        for (let i = 0; i < count; i++) {
          p.skipWhite()
          const q = p.pos
          let off: number, gen: number, kind: number
          // Fast path: the standard 20-byte entry "oooooooooo ggggg n\r\n".
          if (b[q + 10] === 0x20 && b[q + 16] === 0x20 && (b[q + 17] === 0x6e || b[q + 17] === 0x66)) {
            off = parseInt(latin1(b, q, q + 10), 10)
            gen = parseInt(latin1(b, q + 11, q + 16), 10)
            kind = b[q + 17]
            p.pos = q + 18
          } else {
            off = p.readInt()
            gen = p.readInt()
            const t = p.readToken()
            if (t !== 'n' && t !== 'f') throw new PdfSyntaxError(`bad xref entry at offset ${q}`)
            kind = t.charCodeAt(0)
          }
          const num = start + i
          if (kind === 0x6e) this.setEntry(num, { type: 1, offset: off, gen })
          else this.setEntry(num, { type: 0 })
        }
      }
      p.expectKeyword('trailer')
      const trailer = p.parseValue()
      if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError('trailer is not a dictionary')
      return { offset, kind: 'table', trailer }
    }
    const obj = new ObjectParser(b, offset, (r) => this.lengthOf(r)).parseIndirectObject()
    const stream = obj.value
    if (!(stream instanceof PdfStream) || stream.dict.name('Type') !== 'XRef') {
      throw new PdfSyntaxError(`startxref/Prev offset ${offset} points at neither "xref" nor an xref stream`)
    }
    this.readXrefStream(stream)
    return { offset, kind: 'stream', trailer: stream.dict }
  }

  private readXrefStream(stream: PdfStream): void {
    const d = stream.dict
    const w = (d.get('W') as number[]).map((x) => Number(x))
    const size = d.get('Size') as number
    const index = (d.get('Index') as number[] | undefined) ?? [0, size]
    // Untrusted input: field widths of 0–8 bytes, and no more rows than the data holds.
    if (w.length < 3 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 8) || w[0] + w[1] + w[2] === 0) {
      throw new PdfSyntaxError('bad /W in an xref stream')
    }
    const data = decodeStream(stream)
    const rowLen = w[0] + w[1] + w[2]
    let row = 0
    for (let s = 0; s + 1 < index.length; s += 2) {
      const start = index[s]
      const count = index[s + 1]
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0) throw new PdfSyntaxError('bad /Index in an xref stream')
      for (let i = 0; i < count; i++, row++) {
        const at = row * rowLen
        if (at + rowLen > data.length) return
        const f1 = w[0] === 0 ? 1 : readBE(data, at, w[0])
        const f2 = readBE(data, at + w[0], w[1])
        const f3 = readBE(data, at + w[0] + w[1], w[2])
        const num = start + i
        if (f1 === 1) this.setEntry(num, { type: 1, offset: f2, gen: f3 })
        else if (f1 === 2) this.setEntry(num, { type: 2, stream: f2, index: f3 })
        else if (f1 === 0) this.setEntry(num, { type: 0 })
      }
    }
  }

  /** Checks that every in-use entry points at its own `N G obj` header (cheap: a few bytes each). */
  private checkOffsets(): void {
    const b = this.bytes
    for (const [num, e] of this.entries) {
      if (e.type !== 1 || num === 0) continue
      let q = e.offset
      if (q <= 0 || q >= b.length) throw this.broken(num)
      while (q < b.length && (b[q] === 0x20 || b[q] === 0x0a || b[q] === 0x0d || b[q] === 0x09)) q++
      let n = 0
      let digits = 0
      while (q < b.length && b[q] >= 0x30 && b[q] <= 0x39 && digits < 11) {
        n = n * 10 + (b[q++] - 0x30)
        digits++
      }
      if (digits === 0 || n !== num || (b[q] !== 0x20 && b[q] !== 0x0a && b[q] !== 0x0d && b[q] !== 0x09)) {
        throw this.broken(num)
      }
    }
  }

  private broken(num: number): PdfFormatError {
    return new PdfFormatError('BROKEN_XREF', `the cross-reference table is wrong (object ${num} is not at its recorded offset)`)
  }

  private lengthOf(r: PdfRef): number | undefined {
    const v = this.getObject(r)
    return typeof v === 'number' ? v : undefined
  }

  /** The entry for an object number, if any revision defines it. */
  entry(num: number): XrefEntry | undefined {
    return this.entries.get(num)
  }

  /** Every object number the cross-reference data mentions (in use or free), for comparing revisions. */
  objectNumbers(): IterableIterator<number> {
    return this.entries.keys()
  }

  /** Loads an indirect object (cached). Missing or free objects are `null`, as the standard says. */
  getObject(ref: PdfRef | number): PdfValue {
    const num = typeof ref === 'number' ? ref : ref.num
    if (this.cache.has(num)) return this.cache.get(num) as PdfValue
    const e = this.entries.get(num)
    let value: PdfValue = null
    if (e?.type === 1) {
      value = new ObjectParser(this.bytes, e.offset, (r) => this.lengthOf(r)).parseIndirectObject(num).value
    } else if (e?.type === 2) {
      value = this.fromObjectStream(e.stream, num)
    }
    this.cache.set(num, value)
    return value
  }

  private fromObjectStream(streamNum: number, num: number): PdfValue {
    let os = this.objStmCache.get(streamNum)
    if (!os) {
      const s = this.getObject(streamNum)
      if (!(s instanceof PdfStream)) throw new PdfSyntaxError(`object stream ${streamNum} is missing`)
      const data = decodeStream(s, (v) => this.resolve(v))
      const n = this.resolve(s.dict.get('N')) as number
      const first = this.resolve(s.dict.get('First')) as number
      const hp = new ObjectParser(data, 0)
      const offsets = new Map<number, number>()
      for (let i = 0; i < n; i++) {
        const on = hp.readInt()
        const off = hp.readInt()
        if (!offsets.has(on)) offsets.set(on, off)
      }
      os = { data, offsets, first }
      this.objStmCache.set(streamNum, os)
    }
    const off = os.offsets.get(num)
    if (off === undefined) return null
    return new ObjectParser(os.data, os.first + off).parseValue()
  }

  /** Follows a reference (once; PDF does not chain references). */
  resolve<T extends PdfValue | undefined>(v: T): PdfValue | undefined {
    return v instanceof PdfRef ? this.getObject(v) : v
  }

  dictAt(v: PdfValue | undefined): PdfDict | undefined {
    const r = this.resolve(v)
    if (r instanceof PdfDict) return r
    if (r instanceof PdfStream) return r.dict
    return undefined
  }

  catalog(): PdfDict {
    const c = this.dictAt(this.rootRef)
    if (!c) throw new PdfFormatError('BROKEN_XREF', 'the document catalog (/Root) cannot be read')
    return c
  }

  pageCount(): number {
    const pages = this.dictAt(this.catalog().get('Pages'))
    const n = pages ? this.resolve(pages.get('Count')) : 0
    return typeof n === 'number' ? n : 0
  }

  /**
   * The reference of page `index` (0-based), found by descending the page tree with `/Count`:
   * only the nodes on the path are read.
   */
  pageRef(index: number): PdfRef {
    let node = this.catalog().get('Pages')
    let i = index
    for (let depth = 0; depth < 64; depth++) {
      const d = this.dictAt(node)
      if (!d) break
      const kids = this.resolve(d.get('Kids'))
      if (!Array.isArray(kids)) break
      let descended = false
      for (const kid of kids) {
        const kd = this.dictAt(kid)
        if (!kd) continue
        const isNode = kd.name('Type') === 'Pages' || (kd.has('Kids') && kd.name('Type') !== 'Page')
        if (isNode) {
          const count = this.resolve(kd.get('Count')) as number
          if (i < count) {
            node = kid
            descended = true
            break
          }
          i -= count
        } else {
          if (i === 0) {
            if (!(kid instanceof PdfRef)) throw new PdfFormatError('UNSUPPORTED', 'page object is not indirect')
            return kid
          }
          i--
        }
      }
      if (!descended) break
    }
    throw new PdfFormatError('UNSUPPORTED', `page ${index + 1} does not exist (the document has ${this.pageCount()} pages)`)
  }

  /**
   * Every page's reference in document order, by one walk of the whole page tree (the upload check;
   * `pageRef` reads only one path). Stops after `maxPages + 1` pages, so a 100,000-page tree costs
   * no more than a small one; throws `PdfFormatError` (`UNSUPPORTED`) for a tree that loops (a node
   * reached twice), nests deeper than 64 levels, or has more than `4 × maxPages + 64` nodes.
   */
  pageRefs(maxPages: number): PdfRef[] {
    const out: PdfRef[] = []
    const seen = new Set<number>()
    let budget = 4 * maxPages + 64
    const walk = (node: PdfValue | undefined, depth: number): void => {
      if (out.length > maxPages) return
      if (depth > 64) throw new PdfFormatError('UNSUPPORTED', 'the page tree is nested more than 64 levels deep')
      if (--budget < 0) throw new PdfFormatError('UNSUPPORTED', 'the page tree has too many nodes')
      if (node instanceof PdfRef) {
        if (seen.has(node.num)) throw new PdfFormatError('UNSUPPORTED', `the page tree loops (object ${node.num} is reached twice)`)
        seen.add(node.num)
      }
      const kids = this.resolve(this.dictAt(node)?.get('Kids'))
      if (!Array.isArray(kids)) return
      for (const kid of kids) {
        if (out.length > maxPages) return
        const kd = this.dictAt(kid)
        if (!kd) continue
        if (kd.name('Type') === 'Pages' || (kd.has('Kids') && kd.name('Type') !== 'Page')) walk(kid, depth + 1)
        else {
          if (!(kid instanceof PdfRef)) throw new PdfFormatError('UNSUPPORTED', 'page object is not indirect')
          if (seen.has(kid.num)) throw new PdfFormatError('UNSUPPORTED', `the page tree lists object ${kid.num} twice`)
          seen.add(kid.num)
          if (--budget < 0) throw new PdfFormatError('UNSUPPORTED', 'the page tree has too many nodes')
          out.push(kid)
        }
      }
    }
    walk(this.catalog().get('Pages'), 0)
    return out
  }

  /** A page attribute, inherited from the page tree when absent (§7.7.3.4). */
  inherited(page: PdfDict, key: string): PdfValue | undefined {
    let d: PdfDict | undefined = page
    for (let i = 0; d && i < 64; i++) {
      const v = d.get(key)
      if (v !== undefined) return this.resolve(v)
      d = this.dictAt(d.get('Parent'))
    }
    return undefined
  }

  /** Every terminal field of the AcroForm with `/FT /Sig` (inherited), with its widgets. */
  signatureFields(): SignatureFieldInfo[] {
    const out: SignatureFieldInfo[] = []
    const form = this.dictAt(this.catalog().get('AcroForm'))
    if (!form) return out
    const fields = this.resolve(form.get('Fields'))
    if (!Array.isArray(fields)) return out
    const seen = new Set<number>()
    const walk = (ref: PdfValue, parentName: string, parentFt: string | undefined, depth: number): void => {
      if (!(ref instanceof PdfRef) || seen.has(ref.num) || depth > 32) return
      seen.add(ref.num)
      const d = this.dictAt(ref)
      if (!d) return
      const t = d.get('T')
      const partial = t instanceof PdfString ? t.toText() : undefined
      const fullName = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial
      const ft = d.name('FT') ?? parentFt
      const kids = this.resolve(d.get('Kids'))
      const kidFields = Array.isArray(kids) ? kids.filter((k) => this.dictAt(k)?.has('T')) : []
      if (kidFields.length > 0) {
        for (const k of kidFields) walk(k, fullName, ft, depth + 1)
        return
      }
      if (ft !== 'Sig') return
      const widgets = Array.isArray(kids) ? kids.filter((k): k is PdfRef => k instanceof PdfRef) : []
      if (widgets.length === 0 && d.name('Subtype') === 'Widget') widgets.push(ref)
      const v = d.get('V')
      out.push({ ref, name: fullName, value: v instanceof PdfRef || v instanceof PdfDict ? v : undefined, widgets })
    }
    for (const f of fields) walk(f, '', undefined, 0)
    return out
  }

  /** True when some signature field carries a value, or the catalog has `/Perms` (certified). */
  hasSignatures(): boolean {
    return this.signatureFields().some((f) => f.value !== undefined) || this.catalog().has('Perms')
  }

  /** True when the file holds `/ByteRange` anywhere: a fallback for broken files. */
  static looksSigned(bytes: Uint8Array): boolean {
    return indexOf(bytes, '/ByteRange') >= 0 || indexOf(bytes, '/Type/Sig') >= 0 || indexOf(bytes, '/Type /Sig') >= 0
  }
}

function readBE(b: Uint8Array, at: number, n: number): number {
  let v = 0
  for (let i = 0; i < n; i++) v = v * 256 + b[at + i]
  return v
}

export { PdfName }
