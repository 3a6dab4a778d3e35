import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, arrayLexemes, formatNumber, type NumberLexeme, type PdfValue } from './pdf-objects'

/** ISO 32000-1 §7.2.2 white-space and delimiter characters. */
export function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00
}
function isDelimiter(c: number): boolean {
  return (
    c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d ||
    c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25
  )
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

export class PdfSyntaxError extends Error {
  override readonly name = 'PdfSyntaxError'
}

/**
 * How deeply arrays and dictionaries may nest inside one object. Real files stay under ten levels;
 * qpdf refuses beyond 500. A hostile file nesting 100,000 arrays would otherwise overflow the stack
 * here or in every recursive walk after the parse (serialising, comparing revisions).
 */
export const MAX_NESTING = 256

/** Resolves `/Length 12 0 R` while a stream is being parsed. */
export type LengthResolver = (ref: PdfRef) => number | undefined

/**
 * A recursive-descent parser over a byte buffer. It parses one object at a position and never
 * scans the rest of the file.
 */
export class ObjectParser {
  pos: number
  /** The token of the number `parseValue` returned last (its lexeme, kept for faithful rewrites). */
  private lastNumberText = ''
  /** Arrays and dictionaries open around the value being parsed. */
  private nesting = 0
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    private readonly resolveLength?: LengthResolver,
  ) {
    this.pos = pos
  }

  skipWhite(): void {
    const b = this.bytes
    for (;;) {
      while (this.pos < b.length && isWhite(b[this.pos])) this.pos++
      if (this.pos < b.length && b[this.pos] === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++
        continue
      }
      return
    }
  }

  /** Reads a bare keyword or number token (no delimiters) without consuming it when `peek`. */
  readToken(peek = false): string {
    this.skipWhite()
    const b = this.bytes
    const start = this.pos
    let p = start
    while (p < b.length && !isWhite(b[p]) && !isDelimiter(b[p])) p++
    if (!peek) this.pos = p
    return latin1(b, start, p)
  }

  expectKeyword(kw: string): void {
    const t = this.readToken()
    if (t !== kw) throw new PdfSyntaxError(`expected "${kw}" but found "${t.slice(0, 20)}" before offset ${this.pos}`)
  }

  readInt(): number {
    const t = this.readToken()
    if (!/^[+-]?\d+$/.test(t)) throw new PdfSyntaxError(`expected an integer at offset ${this.pos}, found "${t.slice(0, 20)}"`)
    return parseInt(t, 10)
  }

  /**
   * Parses an indirect object header `N G obj` and the object after it. Returns the value (a
   * `PdfStream` for streams).
   */
  parseIndirectObject(expectNum?: number): { num: number; gen: number; value: PdfValue } {
    const num = this.readInt()
    const gen = this.readInt()
    this.expectKeyword('obj')
    if (expectNum !== undefined && num !== expectNum) {
      throw new PdfSyntaxError(`object ${expectNum} expected, found object ${num}`)
    }
    const value = this.parseValue()
    if (value instanceof PdfDict) {
      this.skipWhite()
      if (this.startsWith('stream')) return { num, gen, value: this.parseStreamBody(value) }
    }
    return { num, gen, value }
  }

  private startsWith(s: string): boolean {
    const b = this.bytes
    if (this.pos + s.length > b.length) return false
    for (let i = 0; i < s.length; i++) if (b[this.pos + i] !== s.charCodeAt(i)) return false
    return true
  }

  private parseStreamBody(d: PdfDict): PdfStream {
    const b = this.bytes
    this.pos += 6 // "stream"
    if (b[this.pos] === 0x0d) this.pos++
    if (b[this.pos] === 0x0a) this.pos++
    const start = this.pos
    let len: number | undefined
    const lv = d.get('Length')
    if (typeof lv === 'number') len = lv
    else if (lv instanceof PdfRef && this.resolveLength) len = this.resolveLength(lv)
    let end = -1
    if (len !== undefined && len >= 0 && start + len <= b.length) {
      // Trust /Length only if "endstream" follows.
      let p = start + len
      while (p < b.length && isWhite(b[p])) p++
      if (matchAt(b, p, 'endstream')) end = start + len
    }
    if (end < 0) {
      const idx = indexOf(b, 'endstream', start)
      if (idx < 0) throw new PdfSyntaxError(`unterminated stream at offset ${start}`)
      end = idx
      if (end > start && b[end - 1] === 0x0a) end--
      if (end > start && b[end - 1] === 0x0d) end--
    }
    return new PdfStream(d, b, start, end)
  }

  parseValue(): PdfValue {
    this.skipWhite()
    const b = this.bytes
    if (this.pos >= b.length) throw new PdfSyntaxError('unexpected end of data')
    const c = b[this.pos]
    if (c === 0x2f) return this.parseName()
    if (c === 0x28) return this.parseLiteralString()
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.parseDict()
      return this.parseHexString()
    }
    if (c === 0x5b) {
      this.pos++
      this.enter()
      const arr: PdfValue[] = []
      let lexemes: Map<number, NumberLexeme> | undefined
      for (;;) {
        this.skipWhite()
        if (this.pos >= b.length) throw new PdfSyntaxError('unterminated array')
        if (b[this.pos] === 0x5d) {
          this.pos++
          this.nesting--
          if (lexemes) arrayLexemes.set(arr, lexemes)
          return arr
        }
        const v = this.parseValue()
        const lex = typeof v === 'number' ? this.lexemeOf(v) : undefined
        if (lex) (lexemes ??= new Map()).set(arr.length, lex)
        arr.push(v)
      }
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const t = this.readToken()
      this.lastNumberText = t
      const n = Number(t)
      if (Number.isNaN(n)) {
        // Tolerate malformed numbers like "--5" or "0.0.1" as 0 (as most readers do).
        return 0
      }
      // An integer followed by "G R" is a reference.
      if (/^\d+$/.test(t)) {
        const save = this.pos
        const t2 = this.readToken()
        if (/^\d+$/.test(t2)) {
          const t3 = this.readToken()
          if (t3 === 'R') return new PdfRef(n, parseInt(t2, 10))
        }
        this.pos = save
      }
      return n
    }
    const t = this.readToken()
    if (t === 'true') return true
    if (t === 'false') return false
    if (t === 'null') return null
    if (t === '') {
      // Stray delimiter such as ')' or '>' or '}': skip it.
      this.pos++
      return null
    }
    throw new PdfSyntaxError(`unexpected token "${t.slice(0, 20)}" at offset ${this.pos - t.length}`)
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) throw new PdfSyntaxError(`arrays and dictionaries nested more than ${MAX_NESTING} deep at offset ${this.pos}`)
  }

  private parseDict(): PdfDict {
    const b = this.bytes
    this.pos += 2
    this.enter()
    const d = new PdfDict()
    for (;;) {
      this.skipWhite()
      if (this.pos >= b.length) throw new PdfSyntaxError('unterminated dictionary')
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2
        this.nesting--
        return d
      }
      if (b[this.pos] !== 0x2f) {
        // Garbage key: skip one value.
        this.parseValue()
        continue
      }
      const keyName = this.parseName()
      const key = keyName.name
      if (keyName.spelling !== undefined) (d.keySpellings ??= new Map()).set(key, keyName.spelling)
      this.skipWhite()
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        d.set(key, null)
        continue
      }
      const v = this.parseValue()
      const lex = typeof v === 'number' ? this.lexemeOf(v) : undefined
      if (lex) (d.lexemes ??= new Map()).set(key, lex)
      else d.lexemes?.delete(key)
      d.set(key, v)
    }
  }

  /** The lexeme of the number just parsed, when writing `v` back would spell it differently. */
  private lexemeOf(v: number): NumberLexeme | undefined {
    const t = this.lastNumberText
    // Fast path: most numbers are integers written plainly.
    if (Number.isInteger(v) && t === String(v)) return undefined
    return formatNumber(v) === t ? undefined : { value: v, text: t }
  }

  private parseName(): PdfName {
    const b = this.bytes
    this.pos++
    const start = this.pos
    let irregular = false
    while (this.pos < b.length && !isWhite(b[this.pos]) && !isDelimiter(b[this.pos])) {
      if (!REGULAR_NAME_CHAR[b[this.pos]]) irregular = true
      this.pos++
    }
    let raw = latin1(b, start, this.pos)
    const spelling = irregular ? '/' + raw : undefined
    if (raw.includes('#')) {
      const bytes: number[] = []
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] === '#' && i + 2 < raw.length + 0 && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
          bytes.push(parseInt(raw.slice(i + 1, i + 3), 16))
          i += 2
        } else bytes.push(raw.charCodeAt(i))
      }
      raw = Buffer.from(bytes).toString('utf8')
    }
    return spelling === undefined ? PdfName.of(raw) : PdfName.written(raw, spelling)
  }

  private parseHexString(): PdfString {
    const b = this.bytes
    const open = this.pos
    this.pos++
    // Fast path for the common case (signature /Contents are tens of KB): only hex digits up to '>'.
    const close = Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf(0x3e, this.pos)
    if (close >= 0 && (close - this.pos) % 2 === 0) {
      const text = latin1(b, this.pos, close)
      if (/^[0-9A-Fa-f]*$/.test(text)) {
        this.pos = close + 1
        // Lower-case hex is how the writer spells it anyway; anything else is kept as written.
        return new PdfString(new Uint8Array(Buffer.from(text, 'hex')), true, /[A-F]/.test(text) ? b.subarray(open, this.pos) : undefined)
      }
    }
    const digits: number[] = []
    while (this.pos < b.length && b[this.pos] !== 0x3e) {
      const c = b[this.pos++]
      const v = hexValue(c)
      if (v >= 0) digits.push(v)
    }
    this.pos++
    if (digits.length % 2) digits.push(0)
    const out = new Uint8Array(digits.length / 2)
    for (let i = 0; i < out.length; i++) out[i] = (digits[2 * i] << 4) | digits[2 * i + 1]
    return new PdfString(out, true, b.subarray(open, this.pos))
  }

  private parseLiteralString(): PdfString {
    const b = this.bytes
    const open = this.pos
    this.pos++
    const out: number[] = []
    let depth = 1
    let plain = true
    while (this.pos < b.length) {
      let c = b[this.pos++]
      if (c === 0x5c) {
        plain = false
        c = b[this.pos++]
        switch (c) {
          case 0x6e: out.push(0x0a); break
          case 0x72: out.push(0x0d); break
          case 0x74: out.push(0x09); break
          case 0x62: out.push(0x08); break
          case 0x66: out.push(0x0c); break
          case 0x0d:
            if (b[this.pos] === 0x0a) this.pos++
            break
          case 0x0a: break
          default:
            if (c >= 0x30 && c <= 0x37) {
              let v = c - 0x30
              for (let k = 0; k < 2 && b[this.pos] >= 0x30 && b[this.pos] <= 0x37; k++) v = v * 8 + (b[this.pos++] - 0x30)
              out.push(v & 0xff)
            } else out.push(c)
        }
        continue
      }
      if (c === 0x28) depth++
      else if (c === 0x29) {
        depth--
        // Escapes, nested parentheses and raw line breaks may be spelled otherwise by the writer: keep them as written.
        if (depth === 0) return new PdfString(Uint8Array.from(out), false, plain ? undefined : b.subarray(open, this.pos))
      }
      if (c === 0x28 || c === 0x29 || c === 0x0d || c === 0x0a) plain = false
      out.push(c)
    }
    throw new PdfSyntaxError('unterminated string')
  }
}

/** Name characters the writer spells as they are (no `#xx` escape needed): 1 at their byte. */
const REGULAR_NAME_CHAR = new Uint8Array(256)
for (const ch of '!"$&\'*+,-.0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ\\^_`abcdefghijklmnopqrstuvwxyz|~') REGULAR_NAME_CHAR[ch.charCodeAt(0)] = 1

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

export function latin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1')
}

export function matchAt(b: Uint8Array, pos: number, s: string): boolean {
  if (pos < 0 || pos + s.length > b.length) return false
  for (let i = 0; i < s.length; i++) if (b[pos + i] !== s.charCodeAt(i)) return false
  return true
}

export function indexOf(b: Uint8Array, s: string, from = 0): number {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf(s, from, 'latin1')
}

export function lastIndexOf(b: Uint8Array, s: string, from?: number): number {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).lastIndexOf(s, from ?? b.length, 'latin1')
}
