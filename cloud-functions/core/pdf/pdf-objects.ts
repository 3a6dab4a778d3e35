/**
 * A minimal PDF object model (ISO 32000-1 §7.3) for reading real-world files and writing
 * incremental updates. Numbers are JS numbers; strings keep their raw bytes.
 *
 * Fidelity: a value read from a file is written back exactly as it was found — numbers by their
 * original lexeme (`595.303937007874` stays that, not `595.303937`), strings literal or hex as
 * written, names with their original spelling, dictionary keys in their order — so an object that
 * an incremental revision rewrites differs from its previous version only in what the revision
 * means to change (a validator's difference analysis compares values exactly). Numbers are
 * primitives, so their lexemes are kept by the dictionary or array that holds them (`PdfDict.lexemes`,
 * `arrayLexemes`) and used while the held value is still the one that was read.
 */

export class PdfName {
  private static readonly interned = new Map<string, PdfName>()
  private constructor(
    readonly name: string,
    /** The spelling found in the file (with the slash) when it differs from the canonical one. */
    readonly spelling?: string,
  ) {}
  /** `name` without the leading slash, already #xx-decoded. */
  static of(name: string): PdfName {
    let n = PdfName.interned.get(name)
    if (!n) {
      n = new PdfName(name)
      PdfName.interned.set(name, n)
    }
    return n
  }
  /** A name read from a file as `spelling` (with the slash): kept as written when that is not how `serializeValue` would spell it. */
  static written(name: string, spelling: string): PdfName {
    return serializeName(name) === spelling ? PdfName.of(name) : new PdfName(name, spelling)
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number = 0,
  ) {}
  equals(other: PdfRef): boolean {
    return this.num === other.num && this.gen === other.gen
  }
  toString(): string {
    return `${this.num} ${this.gen} R`
  }
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean = false,
    /** The string exactly as found in the file (delimiters included), when read from one: written back unchanged. */
    readonly written?: Uint8Array,
  ) {}
  /** A text string: PDFDocEncoding-compatible ASCII as is, anything else as UTF-16BE with BOM. */
  static text(s: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(s)) return new PdfString(Buffer.from(s, 'latin1'))
    const utf16 = Buffer.from(s, 'utf16le').swap16()
    return new PdfString(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16]), true)
  }
  static latin1(s: string): PdfString {
    return new PdfString(Buffer.from(s, 'latin1'))
  }
  /** Decodes UTF-16BE (with BOM) or treats the bytes as Latin-1 (close enough to PDFDocEncoding). */
  toText(): string {
    const b = this.bytes
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      return Buffer.from(b.subarray(2)).swap16().toString('utf16le')
    }
    return Buffer.from(b).toString('latin1')
  }
}

/** How a number was written in the file, kept while the value it stands for is unchanged. */
export type NumberLexeme = { value: number; text: string }

export class PdfDict {
  readonly map: Map<string, PdfValue>
  /**
   * Lexemes of number values and spellings of keys as found in the file, where they differ from
   * what `serializeValue` would write; `clone()` keeps them. A lexeme is used only while the key
   * still holds the very number it was read as.
   */
  lexemes?: Map<string, NumberLexeme>
  keySpellings?: Map<string, string>
  constructor(entries?: Iterable<[string, PdfValue]>) {
    this.map = new Map(entries)
  }
  get(key: string): PdfValue | undefined {
    return this.map.get(key)
  }
  set(key: string, value: PdfValue): this {
    this.map.set(key, value)
    return this
  }
  delete(key: string): void {
    this.map.delete(key)
  }
  has(key: string): boolean {
    return this.map.has(key)
  }
  clone(): PdfDict {
    const c = new PdfDict(this.map)
    if (this.lexemes) c.lexemes = new Map(this.lexemes)
    if (this.keySpellings) c.keySpellings = new Map(this.keySpellings)
    return c
  }
  /** The value of a name entry, without the slash. */
  name(key: string): string | undefined {
    const v = this.map.get(key)
    return v instanceof PdfName ? v.name : undefined
  }
}

/** A stream as found in the file: its dictionary and where its raw (encoded) data lies. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly source: Uint8Array,
    readonly dataStart: number,
    readonly dataEnd: number,
  ) {}
  raw(): Uint8Array {
    return this.source.subarray(this.dataStart, this.dataEnd)
  }
}

export type PdfValue = number | boolean | null | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfValue[]

/** A number rendered the way PDF wants it: no exponent, at most 6 decimals. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n)
  let s = n.toFixed(6)
  s = s.replace(/0+$/, '').replace(/\.$/, '')
  return s === '-0' ? '0' : s
}

const NAME_REGULAR = /^[!"$&'*+,\-.0-9:;=?@A-Z\\^_`a-z|~]$/

export function serializeName(name: string): string {
  let out = '/'
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte)
    out += byte > 0x20 && byte < 0x7f && NAME_REGULAR.test(ch) ? ch : '#' + byte.toString(16).padStart(2, '0')
  }
  return out
}

/**
 * Number lexemes of arrays read from a file (index → lexeme), where they differ from `formatNumber`.
 * An array copied or rebuilt (`[...a, x]`) starts without them; one changed in place keeps each
 * lexeme only where the element is still the number it was read as.
 */
export const arrayLexemes = new WeakMap<PdfValue[], Map<number, NumberLexeme>>()

function serializeNumber(n: number, lexeme: NumberLexeme | undefined): string {
  return lexeme !== undefined && Object.is(lexeme.value, n) ? lexeme.text : formatNumber(n)
}

function serializeString(s: PdfString): string {
  if (s.written) return Buffer.from(s.written.buffer, s.written.byteOffset, s.written.byteLength).toString('latin1')
  const b = s.bytes
  if (s.hex) return '<' + Buffer.from(b).toString('hex') + '>'
  let out = '('
  for (let i = 0; i < b.length; i++) out += literalStringByte(b[i]!)
  return out + ')'
}

/**
 * One byte as it goes inside a literal string `( … )`, as a Latin-1 character: `(`, `)` and `\\`
 * escaped, and CR and LF, which a reader would otherwise normalise (ISO 32000-1 §7.3.4.2).
 */
export function literalStringByte(b: number): string {
  if (b === 0x28 || b === 0x29 || b === 0x5c) return '\\' + String.fromCharCode(b)
  if (b === 0x0d) return '\\r'
  if (b === 0x0a) return '\\n'
  return String.fromCharCode(b)
}

/**
 * Serializes a value as a Latin-1 JS string (one char per byte). Streams cannot be serialized here:
 * the writer handles them, because their data is binary.
 */
export function serializeValue(v: PdfValue): string {
  if (v === null) return 'null'
  if (typeof v === 'number') return formatNumber(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (v instanceof PdfName) return v.spelling ?? serializeName(v.name)
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`
  if (v instanceof PdfString) return serializeString(v)
  if (Array.isArray(v)) {
    if (Object.isFrozen(v)) return frozenArrayText(v)
    const lex = arrayLexemes.get(v)
    if (!lex) return '[' + v.map(serializeValue).join(' ') + ']'
    return '[' + v.map((x, i) => (typeof x === 'number' ? serializeNumber(x, lex.get(i)) : serializeValue(x))).join(' ') + ']'
  }
  if (v instanceof PdfDict) {
    let out = '<<'
    for (const [k, val] of v.map) {
      out += (v.keySpellings?.get(k) ?? serializeName(k)) + ' '
      out += typeof val === 'number' ? serializeNumber(val, v.lexemes?.get(k)) : serializeValue(val)
    }
    return out + '>>'
  }
  throw new Error('serializeValue: streams must be written with their data')
}

/**
 * The text of each frozen array of numbers, serialized once: it cannot change, and one that many
 * files share (a font subset's widths, kept with the subset) would otherwise be written out again
 * for every file. A frozen array holding anything else is written each time (its elements may be
 * objects that change).
 */
const frozenArrayTexts = new WeakMap<readonly PdfValue[], string | null>()
function frozenArrayText(v: readonly PdfValue[]): string {
  let text = frozenArrayTexts.get(v)
  if (text === undefined) {
    text = v.every((x) => typeof x === 'number') ? '[' + v.map(serializeValue).join(' ') + ']' : null
    frozenArrayTexts.set(v, text)
  }
  return text ?? '[' + v.map(serializeValue).join(' ') + ']'
}

export const name = (n: string): PdfName => PdfName.of(n)
export const dict = (o: Record<string, PdfValue>): PdfDict => new PdfDict(Object.entries(o))
