import { ascendingNumbers } from '../shared/ascending-numbers'
import type { IncrementalWriter } from './incremental-writer'
import { PdfName, PdfRef, PdfString, dict, type PdfDict, type PdfValue } from './pdf-objects'
import { zlib } from './stream-decode'

/**
 * A TrueType (glyf-outline) font parsed once, able to embed a subset of itself as a PDF Type0 /
 * CIDFontType2 font (ISO 32000-1 §9.7.4) with Identity-H encoding and a ToUnicode CMap.
 *
 * The subset renumbers the used glyphs densely (0 = .notdef) and patches composite glyph
 * references, so a two-line Chinese stamp embeds in a few kilobytes even from a 10 MB CJK font.
 * (pdf-lib's fontkit subsetter drops glyphs of Noto Sans SC; this one keeps the outlines intact.)
 */
/** Random access to font bytes, so a 10 MB font need not be read whole (an adapter may read a file). */
export type FontSource = { read(offset: number, length: number): Uint8Array }

type Table = { data: Buffer; view: DataView }

export class TrueTypeFont {
  private readonly dir = new Map<string, { offset: number; length: number }>()
  private readonly tables = new Map<string, Table>()
  private readonly glyphCache = new Map<number, Buffer>()
  readonly unitsPerEm: number
  readonly ascent: number
  readonly descent: number
  readonly bbox: [number, number, number, number]
  readonly postscriptName: string
  private readonly numGlyphs: number
  private readonly longLoca: boolean
  private readonly numHMetrics: number
  private cmapFormat = 0
  private cmapAt = 0

  private constructor(private readonly source: FontSource) {
    const head0 = Buffer.from(source.read(0, 12))
    const numTables = head0.readUInt16BE(4)
    const recs = Buffer.from(source.read(12, numTables * 16))
    for (let i = 0; i < numTables; i++) {
      const r = i * 16
      this.dir.set(recs.toString('latin1', r, r + 4), { offset: recs.readUInt32BE(r + 8), length: recs.readUInt32BE(r + 12) })
    }
    if (!this.dir.has('glyf') || !this.dir.has('loca')) {
      throw new Error('only TrueType (glyf) fonts can be embedded; CFF-based OpenType is not supported')
    }
    const head = this.table('head').view
    this.unitsPerEm = head.getUint16(18)
    this.bbox = [head.getInt16(36), head.getInt16(38), head.getInt16(40), head.getInt16(42)].map((n) => this.scale(n)) as [
      number,
      number,
      number,
      number,
    ]
    this.longLoca = head.getInt16(50) === 1
    this.numGlyphs = this.table('maxp').view.getUint16(4)
    const hhea = this.table('hhea').view
    this.ascent = this.scale(hhea.getInt16(4))
    this.descent = this.scale(hhea.getInt16(6))
    this.numHMetrics = hhea.getUint16(34)
    this.pickCmap()
    this.postscriptName = this.readPostscriptName() ?? 'CJKFont'
  }

  private static readonly cache = new WeakMap<object, TrueTypeFont>()

  /** Parses (or returns the cached parse of) a TrueType font held in memory. */
  static parse(bytes: Uint8Array): TrueTypeFont {
    let f = TrueTypeFont.cache.get(bytes)
    if (!f) {
      f = new TrueTypeFont({ read: (o, l) => bytes.subarray(o, o + l) })
      TrueTypeFont.cache.set(bytes, f)
    }
    return f
  }

  /** A font read through `source`: only the tables and glyphs used are read. */
  static fromSource(source: FontSource): TrueTypeFont {
    let f = TrueTypeFont.cache.get(source)
    if (!f) {
      f = new TrueTypeFont(source)
      TrueTypeFont.cache.set(source, f)
    }
    return f
  }

  private table(tag: string): Table {
    let t = this.tables.get(tag)
    if (!t) {
      const d = this.dir.get(tag)
      if (!d) throw new Error(`font has no ${tag} table`)
      const data = Buffer.from(this.source.read(d.offset, d.length))
      t = { data, view: new DataView(data.buffer, data.byteOffset, data.byteLength) }
      this.tables.set(tag, t)
    }
    return t
  }

  private scale(n: number): number {
    return Math.round((n * 1000) / this.unitsPerEm)
  }

  private pickCmap(): void {
    const v = this.table('cmap').view
    const n = v.getUint16(2)
    for (let i = 0; i < n; i++) {
      const pid = v.getUint16(4 + i * 8)
      const eid = v.getUint16(6 + i * 8)
      const off = v.getUint32(8 + i * 8)
      const format = v.getUint16(off)
      if (format === 12 && (pid === 0 || (pid === 3 && eid === 10))) {
        this.cmapFormat = 12
        this.cmapAt = off
      } else if (this.cmapFormat !== 12 && format === 4 && (pid === 0 || (pid === 3 && eid === 1))) {
        this.cmapFormat = 4
        this.cmapAt = off
      }
    }
    if (!this.cmapFormat) throw new Error('font has no Unicode cmap')
  }

  private readPostscriptName(): string | undefined {
    if (!this.dir.has('name')) return undefined
    const t = this.table('name')
    const v = t.view
    const count = v.getUint16(2)
    const strings = v.getUint16(4)
    for (let i = 0; i < count; i++) {
      const r = 6 + i * 12
      if (v.getUint16(r + 6) !== 6) continue
      const pid = v.getUint16(r)
      const len = v.getUint16(r + 8)
      const off = strings + v.getUint16(r + 10)
      const raw = Buffer.from(t.data.subarray(off, off + len))
      const s = pid === 3 || pid === 0 ? raw.swap16().toString('utf16le') : raw.toString('latin1')
      return s.replace(/[^A-Za-z0-9-]/g, '')
    }
    return undefined
  }

  private readonly glyphIds = new Map<number, number>()
  /**
   * Advances of the Basic Multilingual Plane's code points by code point (NaN: not looked up yet),
   * made on first use: layout measures every character of a report many times, and a typed array
   * is a cheaper lookup than a map. Code points above it (rare) are kept in `astralAdvances`.
   */
  private advances: Float64Array | undefined
  private readonly astralAdvances = new Map<number, number>()

  /** The glyph for a code point (binary search in the cmap subtable, then remembered; 0 = .notdef). */
  glyphId(codePoint: number): number {
    let gid = this.glyphIds.get(codePoint)
    if (gid === undefined) {
      gid = this.lookUpGlyphId(codePoint)
      this.glyphIds.set(codePoint, gid)
    }
    return gid
  }

  /** Advance width of the glyph of a code point, in 1/1000 em (remembered: layout measures every character many times). */
  codePointAdvance(codePoint: number): number {
    if (codePoint > 0xffff || codePoint < 0) {
      let a = this.astralAdvances.get(codePoint)
      if (a === undefined) this.astralAdvances.set(codePoint, (a = this.advance(this.glyphId(codePoint))))
      return a
    }
    const advances = (this.advances ??= new Float64Array(0x10000).fill(Number.NaN))
    let a = advances[codePoint]!
    if (a !== a) a = advances[codePoint] = this.advance(this.glyphId(codePoint))
    return a
  }

  private lookUpGlyphId(codePoint: number): number {
    const v = this.table('cmap').view
    const at = this.cmapAt
    if (this.cmapFormat === 12) {
      let lo = 0
      let hi = v.getUint32(at + 12) - 1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        const g = at + 16 + mid * 12
        const start = v.getUint32(g)
        const end = v.getUint32(g + 4)
        if (codePoint < start) hi = mid - 1
        else if (codePoint > end) lo = mid + 1
        else return v.getUint32(g + 8) + (codePoint - start)
      }
      return 0
    }
    if (codePoint > 0xffff) return 0
    const segX2 = v.getUint16(at + 6)
    const ends = at + 14
    const starts = ends + segX2 + 2
    const deltas = starts + segX2
    const ranges = deltas + segX2
    let lo = 0
    let hi = segX2 / 2 - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const end = v.getUint16(ends + mid * 2)
      const start = v.getUint16(starts + mid * 2)
      if (codePoint > end) lo = mid + 1
      else if (codePoint < start) hi = mid - 1
      else {
        const delta = v.getInt16(deltas + mid * 2)
        const ro = v.getUint16(ranges + mid * 2)
        if (ro === 0) return (codePoint + delta) & 0xffff
        const gid = v.getUint16(ranges + mid * 2 + ro + (codePoint - start) * 2)
        return gid === 0 ? 0 : (gid + delta) & 0xffff
      }
    }
    return 0
  }

  /** Advance width in 1/1000 em. */
  advance(gid: number): number {
    const i = Math.min(gid, this.numHMetrics - 1)
    return this.scale(this.table('hmtx').view.getUint16(i * 4))
  }

  private glyphRange(gid: number): [number, number] {
    const v = this.table('loca').view
    if (this.longLoca) return [v.getUint32(gid * 4), v.getUint32(gid * 4 + 4)]
    return [v.getUint16(gid * 2) * 2, v.getUint16(gid * 2 + 2) * 2]
  }

  private glyph(gid: number): Buffer {
    let g = this.glyphCache.get(gid)
    if (!g) {
      const [s, e] = this.glyphRange(gid)
      const glyf = this.dir.get('glyf') as { offset: number }
      g = e > s ? Buffer.from(this.source.read(glyf.offset + s, e - s)) : Buffer.alloc(0)
      this.glyphCache.set(gid, g)
    }
    return g
  }

  /**
   * The `glyf` record of glyph `gid` (ISO/IEC 14496-22 §5.3.3) as stored: empty for blank glyphs
   * and ids outside the font. Seal drawing reads outlines from it (`core/seals/glyph-outlines.ts`),
   * so the font is parsed once for embedding and rasterising alike.
   */
  glyphData(gid: number): Uint8Array {
    if (!Number.isInteger(gid) || gid < 0 || gid >= this.numGlyphs) return new Uint8Array(0)
    return this.glyph(gid)
  }

  /** Component glyph ids of a composite glyph, with the byte offsets of their indices. */
  private components(gid: number): Array<{ gid: number; at: number }> {
    const g = this.glyph(gid)
    if (g.length < 10 || g.readInt16BE(0) >= 0) return []
    const out: Array<{ gid: number; at: number }> = []
    let p = 10
    for (;;) {
      const flags = g.readUInt16BE(p)
      out.push({ gid: g.readUInt16BE(p + 2), at: p + 2 })
      p += 4 + (flags & 0x0001 ? 4 : 2)
      if (flags & 0x0008) p += 2
      else if (flags & 0x0040) p += 4
      else if (flags & 0x0080) p += 8
      if (!(flags & 0x0020)) break
    }
    return out
  }

  /** Starts a subset; encode all text first, then `embed` once. */
  subset(): FontSubset {
    return new FontSubset(this)
  }

  /** @internal Builds the subset font program for `oldGids` (index = new gid). */
  buildProgram(oldGids: number[]): Uint8Array {
    const newOf = indexMap(oldGids)
    const glyphs: Uint8Array[] = []
    for (const g of oldGids) {
      const data = Buffer.from(this.glyph(g))
      for (const c of this.components(g)) data.writeUInt16BE(newOf.get(c.gid) ?? 0, c.at)
      glyphs.push(data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data)
    }
    const n = oldGids.length
    const glyf = Buffer.concat(glyphs)
    const loca = Buffer.alloc((n + 1) * 4)
    let off = 0
    for (let i = 0; i < n; i++) {
      loca.writeUInt32BE(off, i * 4)
      off += glyphs[i]!.length
    }
    loca.writeUInt32BE(off, n * 4)
    const hmtx = Buffer.alloc(n * 4)
    const hv = this.table('hmtx').view
    for (let i = 0; i < n; i++) {
      const g = oldGids[i]!
      const m = Math.min(g, this.numHMetrics - 1)
      hmtx.writeUInt16BE(hv.getUint16(m * 4), i * 4)
      const lsbAt = g < this.numHMetrics ? g * 4 + 2 : this.numHMetrics * 4 + (g - this.numHMetrics) * 2
      hmtx.writeInt16BE(hv.getInt16(lsbAt), i * 4 + 2)
    }
    const head = this.tableCopy('head')
    head.writeUInt32BE(0, 8) // checkSumAdjustment
    head.writeInt16BE(1, 50) // long loca
    const hhea = this.tableCopy('hhea')
    hhea.writeUInt16BE(n, 34)
    const maxp = this.tableCopy('maxp')
    maxp.writeUInt16BE(n, 4)
    const post = Buffer.alloc(32)
    post.writeUInt32BE(0x00030000, 0)
    const tables: Array<[string, Buffer]> = [
      ['glyf', glyf],
      ['head', head],
      ['hhea', hhea],
      ['hmtx', hmtx],
      ['loca', loca],
      ['maxp', maxp],
      ['post', post],
    ]
    for (const tag of ['cvt ', 'fpgm', 'prep', 'OS/2']) if (this.dir.has(tag)) tables.push([tag, this.tableCopy(tag)])
    tables.sort(byTag)
    const numTables = tables.length
    const header = Buffer.alloc(12 + numTables * 16)
    header.writeUInt32BE(0x00010000, 0)
    let es = 0
    while (1 << (es + 1) <= numTables) es++
    header.writeUInt16BE(numTables, 4)
    header.writeUInt16BE((1 << es) * 16, 6)
    header.writeUInt16BE(es, 8)
    header.writeUInt16BE(numTables * 16 - (1 << es) * 16, 10)
    const bodies: Buffer[] = []
    let at = header.length
    for (let i = 0; i < numTables; i++) {
      const [tag, data] = tables[i]!
      const rec = 12 + i * 16
      header.write(tag, rec, 'latin1')
      header.writeUInt32BE(checksum(data), rec + 4)
      header.writeUInt32BE(at, rec + 8)
      header.writeUInt32BE(data.length, rec + 12)
      const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data
      bodies.push(padded)
      at += padded.length
    }
    return Buffer.concat([header, ...bodies])
  }

  /** @internal */
  closure(gids: Iterable<number>): number[] {
    const set = new Set<number>([0])
    const stack = [...gids]
    while (stack.length) {
      const g = stack.pop() as number
      if (set.has(g) || g >= this.numGlyphs) continue
      set.add(g)
      for (const c of this.components(g)) stack.push(c.gid)
    }
    return [...set].sort(ascendingNumbers)
  }

  /** A copy of table `tag`'s bytes. */
  private tableCopy(tag: string): Buffer {
    return Buffer.from(this.table(tag).data)
  }
}

/** Module-level rather than a closure per call (see docs/ARCHITECTURE.md, "No closures made per call on hot paths"). */
const byTag = (a: [string, Buffer], b: [string, Buffer]): number => (a[0] < b[0] ? -1 : 1)

/** value → its index in `values`. */
function indexMap(values: number[]): Map<number, number> {
  const map = new Map<number, number>()
  for (let i = 0; i < values.length; i++) map.set(values[i]!, i)
  return map
}

/** The most characters whose `FontSubset.code` is kept (a shared subset meets every name's characters). */
const CODES_KEPT = 4096

/** Font programs up to this size are embedded without compression (see `FontSubset.embed`). */
const UNCOMPRESSED_PROGRAM_LIMIT = 8192

/** The OpenType table checksum: the sum of big-endian uint32 words, the last one zero-padded. */
function checksum(b: Buffer): number {
  let sum = 0
  const words = b.length >> 2
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  for (let i = 0; i < words; i++) sum = (sum + view.getUint32(i * 4)) >>> 0
  let last = 0
  for (let i = words * 4; i < b.length; i++) last |= b[i] << (24 - 8 * (i - words * 4))
  return (sum + (last >>> 0)) >>> 0
}

/** The glyphs one revision uses. Glyph ids are assigned at `encode` time and fixed by `embed`. */
export class FontSubset {
  private readonly used = new Map<number, string>() // old gid → text
  private order?: number[]
  private newOf?: Map<number, number>
  private parts?: EmbeddedParts
  /** `code`'s answers by character (null: not drawn by this subset). */
  private readonly codes = new Map<string, string | null>()

  constructor(readonly font: TrueTypeFont) {}

  /** Registers `text`; call for every string before `freeze`. */
  use(text: string): void {
    if (this.order) throw new Error('the subset is already frozen')
    for (const ch of text) {
      const gid = this.font.glyphId(ch.codePointAt(0) as number)
      if (gid && !this.used.has(gid)) this.used.set(gid, ch)
    }
  }

  private freeze(): void {
    if (this.order) return
    this.order = this.font.closure(this.used.keys())
    this.newOf = indexMap(this.order)
  }

  /** `<…>` hex string of 2-byte glyph ids for a `Tj` operator. */
  encode(text: string): string {
    this.freeze()
    let hex = ''
    for (const ch of text) {
      const gid = this.newOf?.get(this.font.glyphId(ch.codePointAt(0) as number)) ?? 0
      hex += gid.toString(16).padStart(4, '0')
    }
    return `<${hex}>`
  }

  /** Width of `text` at `size` points. */
  width(text: string, size: number): number {
    let w = 0
    for (const ch of text) w += this.font.codePointAdvance(ch.codePointAt(0) as number)
    return (w * size) / 1000
  }

  /** No glyph registered yet. */
  get empty(): boolean {
    return this.used.size === 0
  }

  /**
   * The 4-hex-digit code of `ch` (one character) in this subset, as `encode` writes it, or undefined
   * when the subset does not draw it (its glyph was not registered with `use`; a character the font
   * has no glyph for is drawn by every subset, as .notdef). Freezes the subset. The answers are kept,
   * for a subset that many files share: a lookup instead of the font's character map and the new glyph id.
   */
  code(ch: string): string | undefined {
    this.freeze()
    let known = this.codes.get(ch)
    if (known === undefined) {
      const gid = this.font.glyphId(ch.codePointAt(0) as number)
      known = gid !== 0 && !this.used.has(gid) ? null : (this.newOf?.get(gid) ?? 0).toString(16).padStart(4, '0')
      if (this.codes.size >= CODES_KEPT) this.codes.clear()
      this.codes.set(ch, known)
    }
    return known ?? undefined
  }

  /**
   * Writes the Type0 font, its CIDFont, descriptor, font file and ToUnicode CMap; returns the font ref.
   * The font program, widths and CMap are made on the first call and kept: a frozen subset is the
   * same in every file, so one that many files share (a report's common glyphs) is built and deflated once.
   */
  embed(writer: IncrementalWriter, tag = 'QYAAAA'): PdfRef {
    const parts = (this.parts ??= this.buildParts())
    const f = this.font
    const baseFont = `${tag}+${f.postscriptName}`
    const fileRef = writer.allocate()
    writer.setStream(fileRef, parts.fileDict, parts.file)
    const descRef = writer.allocate()
    writer.set(
      descRef,
      dict({
        Type: PdfName.of('FontDescriptor'),
        FontName: PdfName.of(baseFont),
        Flags: 4,
        FontBBox: f.bbox,
        ItalicAngle: 0,
        Ascent: f.ascent,
        Descent: f.descent,
        CapHeight: f.ascent,
        StemV: 80,
        FontFile2: fileRef,
      }),
    )
    const cidRef = writer.allocate()
    writer.set(
      cidRef,
      dict({
        Type: PdfName.of('Font'),
        Subtype: PdfName.of('CIDFontType2'),
        BaseFont: PdfName.of(baseFont),
        CIDSystemInfo: dict({ Registry: PdfString.latin1('Adobe'), Ordering: PdfString.latin1('Identity'), Supplement: 0 }),
        FontDescriptor: descRef,
        W: [0, parts.widths as PdfValue[]],
        CIDToGIDMap: PdfName.of('Identity'),
      }),
    )
    const tuRef = writer.allocate()
    writer.setStream(tuRef, dict({}), parts.toUnicode)
    const fontRef = writer.allocate()
    writer.set(
      fontRef,
      dict({
        Type: PdfName.of('Font'),
        Subtype: PdfName.of('Type0'),
        BaseFont: PdfName.of(baseFont),
        Encoding: PdfName.of('Identity-H'),
        DescendantFonts: [cidRef],
        ToUnicode: tuRef,
      }),
    )
    return fontRef
  }

  /** The font file stream (its dictionary and bytes), the widths and the ToUnicode CMap of the frozen subset. */
  private buildParts(): EmbeddedParts {
    this.freeze()
    const order = this.order as number[]
    const f = this.font
    const program = f.buildProgram(order)
    // A stamp's subset is a few kilobytes that Flate barely shrinks (glyph outlines are dense):
    // small programs are stored as they are, which keeps zlib off the signing path.
    // Larger ones (a report's hundreds of CJK glyphs) at zlib's fastest level: a third less CPU than the default for 4 % more bytes.
    const small = program.length <= UNCOMPRESSED_PROGRAM_LIMIT
    const fileDict = small ? dict({ Length1: program.length }) : dict({ Length1: program.length, Filter: PdfName.of('FlateDecode') })
    const file = small ? program : zlib().deflateSync(program, { level: 1 })
    const widths: number[] = []
    for (const g of order) widths.push(f.advance(g))
    let bf = ''
    const entries: string[] = []
    for (let i = 0; i < order.length; i++) {
      const ch = this.used.get(order[i]!)
      if (ch) entries.push(`<${i.toString(16).padStart(4, '0')}> <${utf16beHex(ch)}>`)
    }
    for (let i = 0; i < entries.length; i += 100) {
      const chunk = entries.slice(i, i + 100)
      bf += `${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar\n`
    }
    const cmap =
      '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
      '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
      '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n' +
      bf +
      'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n'
    // Frozen: written once as text however many files embed the subset (`serializeValue`).
    return { fileDict, file, widths: Object.freeze(widths), toUnicode: Buffer.from(cmap, 'latin1') }
  }
}

/** What `FontSubset.embed` writes that does not depend on the file it goes into. */
type EmbeddedParts = { fileDict: PdfDict; file: Uint8Array; widths: readonly number[]; toUnicode: Uint8Array }

/** `text` as UTF-16BE hex (a ToUnicode CMap's destination string), without a Buffer per character. */
function utf16beHex(text: string): string {
  let hex = ''
  for (let k = 0; k < text.length; k++) hex += text.charCodeAt(k).toString(16).padStart(4, '0')
  return hex
}
