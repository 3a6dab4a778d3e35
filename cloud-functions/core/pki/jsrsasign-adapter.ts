/**
 * The only module that imports jsrsasign (see docs/ARCHITECTURE.md, STYLE.md §7.1).
 *
 * ASN.1 DER encoding and decoding for the PKI and CMS code. No key operation ever goes through it:
 * signatures come from a `Signer` (Node `crypto` or KMS). Everything outside this file speaks in our
 * own typed {@link Asn1} tree and DER `Uint8Array`s, so the library can be swapped without touching
 * the PKI or CMS code.
 *
 * The encoder and decoder work on bytes directly (a small DER writer and reader, below). jsrsasign's
 * generic encoder (`KJUR.asn1.ASN1Util.newObject`) is the reference they are checked against, byte
 * for byte ({@link encodeDerWithJsrsasign}, exercised by the adapter's tests); it is loaded only
 * when called. Loading jsrsasign costs 20–30 ms of start-up and its hex-string encoding several ms
 * per certificate, which the `esign sign` process and the signing hot path no longer pay.
 *
 * OBJECT IDENTIFIERs are converted here with BigInt rather than by jsrsasign: its `oidtohex` parses
 * arcs with `parseInt` (precision lost above 2^53, which breaks the platform's 2.25.<UUID> arc) and
 * both directions mishandle a first subidentifier above 127 (`2.48` and up).
 *
 * Why the generic encoder rather than jsrsasign's high-level `SignedData`/`TSTInfo`/`Certificate`
 * classes: those re-parse PEM, hash with jsrsasign's JavaScript digests, omit or add fields on their
 * own (`checkAndFixParam`, see SIGNING.md §6) and format times in the local time zone. Building the
 * structures from their RFC definitions keeps every byte under our control and testable.
 */
import type * as Jsrsasign from 'jsrsasign'
import { err, ok, type DomainError, type Result } from '../shared/result'

/**
 * An ASN.1 value to encode as DER. Strings are encoded from JavaScript strings as UTF-8
 * (`utf8`) or ASCII (`printable`, `ia5`); binary values are `Uint8Array`s.
 */
export type Asn1 =
  | { seq: Asn1[] }
  /** SET OF: elements are sorted into DER order by the encoder. */
  | { set: Asn1[] }
  /** INTEGER from a signed value. */
  | { int: bigint | number }
  /** INTEGER from unsigned big-endian magnitude bytes (serial numbers, nonces); a leading 0x00 is added when needed. */
  | { uint: Uint8Array }
  /** INTEGER from content bytes that are already two's complement (e.g. a serial number read from a certificate). */
  | { intBytes: Uint8Array }
  | { oid: string }
  | { octets: Uint8Array }
  /** BIT STRING of whole bytes (0 unused bits): keys, signatures. */
  | { bits: Uint8Array }
  /** Named BIT STRING (X.690 §11.2.2: trailing zero bits removed): key usage, failure info. */
  | { namedBits: number[] }
  | { bool: boolean }
  | { null: true }
  | { enumerated: number }
  | { utf8: string }
  | { printable: string }
  | { ia5: string }
  /** RFC 5280 `Time`: UTCTime through 2049, GeneralizedTime from 2050, whole seconds. */
  | { time: Date }
  /** GeneralizedTime, whole seconds unless `millis` (trailing zeros removed, per DER). */
  | { generalizedTime: Date; millis?: boolean }
  /** `[n] EXPLICIT`. */
  | { explicit: number; node: Asn1 }
  /** `[n] IMPLICIT`: the inner value's tag is replaced, keeping its constructed bit. */
  | { implicit: number; node: Asn1 }
  /** A complete, already DER-encoded TLV, copied as is. */
  | { der: Uint8Array }

/** A decoded DER element. `der` is the whole TLV, `content` its value bytes (both views into the input). */
export type DerElement = {
  /** The identifier octet, e.g. 0x30 SEQUENCE, 0xa0 `[0]` constructed. */
  tag: number
  constructed: boolean
  content: Uint8Array
  der: Uint8Array
  /** Child elements of a constructed value (empty for primitives). */
  children: DerElement[]
}

type NewObjectParam = Record<string, unknown>
type Asn1Object = { tohex(): string }
let jsrsasignNewObject: ((p: NewObjectParam) => Asn1Object) | undefined

/** jsrsasign's `ASN1Util.newObject`, loaded on first use. */
function newObject(p: NewObjectParam): Asn1Object {
  if (!jsrsasignNewObject) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KJUR } = require('jsrsasign') as typeof Jsrsasign
    jsrsasignNewObject = (KJUR.asn1.ASN1Util as unknown as { newObject(p: NewObjectParam): Asn1Object }).newObject
  }
  return jsrsasignNewObject(p)
}

const MAX_DEPTH = 48

/**
 * Encode an {@link Asn1} tree as DER (X.690 §10): definite minimal lengths, SET OF sorted by
 * encoding, minimal INTEGERs.
 *
 * @example
 * encodeDer({ seq: [{ oid: '2.5.4.3' }, { utf8: '张三' }] })
 */
export function encodeDer(node: Asn1): Uint8Array {
  if ('der' in node) return new Uint8Array(node.der) // a copy, as for every other node
  const out = encodeNode(node)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/**
 * The same encoding produced by jsrsasign's generic encoder: the reference {@link encodeDer} is
 * tested against (they must agree byte for byte). Loads jsrsasign.
 */
export function encodeDerWithJsrsasign(node: Asn1): Uint8Array {
  return fromHex(newObject(toParam(node)).tohex())
}

/** The identifier and length octets of a TLV whose content is `n` bytes. */
function header(tag: number, n: number): number[] {
  if (n < 0x80) return [tag, n]
  if (n < 0x100) return [tag, 0x81, n]
  if (n < 0x10000) return [tag, 0x82, n >> 8, n & 0xff]
  if (n < 0x1000000) return [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]
  return [tag, 0x84, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
}

const hexBytes = (h: string): Buffer => Buffer.from(h, 'hex')

/** OBJECT IDENTIFIER content bytes by dotted form: the platform encodes the same few dozen OIDs over and over. */
const oidCache = new Map<string, Buffer>()

function oidContent(oid: string): Buffer {
  let c = oidCache.get(oid)
  if (!c) {
    c = hexBytes(oidContentHex(oid))
    if (oidCache.size < 4096) oidCache.set(oid, c)
  }
  return c
}

/** INTEGER content bytes of a signed value (minimal two's complement). */
function integerContent(v: bigint | number): Buffer {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < 0x80) return Buffer.from([v])
  return hexBytes(twosComplementHex(BigInt(v)))
}

/** The identifier octet of a context-specific tag (numbers 0–30: one octet). */
function contextTagByte(n: number, constructed: boolean): number {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new Error(`unsupported tag number ${n}`)
  return 0x80 | (constructed ? 0x20 : 0) | n
}

/**
 * One piece of an encoding, in order: bytes to copy (content, or an element already encoded) or the
 * identifier and length octets of a TLV (a short array of byte values).
 */
type Piece = Uint8Array | number[]

/**
 * Encode `node` in two steps: {@link emit} lists the encoding's pieces in order (headers are made
 * once their content's length is known), then they are copied into one buffer of the total
 * length. Each byte is copied once, where encoding every value into its own buffer and joining
 * them copied a certificate or a time-stamp token once per enclosing level (six or seven in a
 * PAdES signature) and allocated a buffer per value.
 */
function encodeNode(node: Asn1): Buffer {
  const pieces: Piece[] = []
  const total = emit(node, pieces)
  const out = Buffer.allocUnsafe(total)
  let at = 0
  for (const piece of pieces) {
    if (Array.isArray(piece)) {
      for (let i = 0; i < piece.length; i++) out[at++] = piece[i]!
    } else {
      out.set(piece, at)
      at += piece.length
    }
  }
  return out
}

/** Adds `node`'s pieces to `pieces`; returns the length of its encoding. */
function emit(node: Asn1, pieces: Piece[]): number {
  if ('seq' in node) return constructed(0x30, node.seq, pieces)
  if ('set' in node) {
    // SET OF in DER order (X.690 §11.6): by each element's encoding, so the elements are encoded alone first.
    const elements = node.set.map(encodeNode).sort(Buffer.compare)
    let n = 0
    for (const e of elements) n += e.length
    const h = header(0x31, n)
    pieces.push(h, ...elements)
    return h.length + n
  }
  if ('der' in node) {
    pieces.push(node.der)
    return node.der.length
  }
  if ('oid' in node) return primitive(0x06, oidContent(node.oid), pieces)
  if ('octets' in node) return primitive(0x04, node.octets, pieces)
  if ('int' in node) return primitive(0x02, integerContent(node.int), pieces)
  if ('uint' in node) return primitive(0x02, hexBytes(unsignedIntegerHex(node.uint)), pieces)
  if ('intBytes' in node) {
    if (node.intBytes.length === 0) throw new Error('empty INTEGER')
    return primitive(0x02, node.intBytes, pieces)
  }
  if ('bits' in node) {
    const h = header(0x03, node.bits.length + 1)
    h.push(0) // no unused bits
    pieces.push(h, node.bits)
    return h.length + node.bits.length
  }
  if ('namedBits' in node) return primitive(0x03, hexBytes(namedBitsHex(node.namedBits)), pieces)
  if ('bool' in node) {
    pieces.push([0x01, 0x01, node.bool ? 0xff : 0x00])
    return 3
  }
  if ('null' in node) {
    pieces.push([0x05, 0x00])
    return 2
  }
  if ('enumerated' in node) return primitive(0x0a, integerContent(node.enumerated), pieces)
  if ('utf8' in node) return primitive(0x0c, Buffer.from(node.utf8, 'utf8'), pieces)
  if ('printable' in node) {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(node.printable)) throw new Error(`not a PrintableString: ${JSON.stringify(node.printable)}`)
    return primitive(0x13, Buffer.from(node.printable, 'latin1'), pieces)
  }
  if ('ia5' in node) {
    for (let i = 0; i < node.ia5.length; i++) if (node.ia5.charCodeAt(i) > 0x7f) throw new Error('not an IA5String')
    return primitive(0x16, Buffer.from(node.ia5, 'latin1'), pieces)
  }
  if ('time' in node) {
    const year = node.time.getUTCFullYear()
    if (year >= 1950 && year < 2050) return primitive(0x17, Buffer.from(formatTime(node.time, false, false), 'latin1'), pieces)
    return primitive(0x18, Buffer.from(formatTime(node.time, true, false), 'latin1'), pieces)
  }
  if ('generalizedTime' in node) return primitive(0x18, Buffer.from(formatTime(node.generalizedTime, true, node.millis === true), 'latin1'), pieces)
  if ('explicit' in node) return constructed(contextTagByte(node.explicit, true), [node.node], pieces)
  if ('implicit' in node) {
    const first = pieces.length
    const n = emit(node.node, pieces)
    // The inner value's identifier octet is replaced, keeping its constructed bit.
    const inner = pieces[first]!
    if (Array.isArray(inner)) inner[0] = contextTagByte(node.implicit, (inner[0]! & 0x20) !== 0)
    else {
      const copy = Buffer.from(inner)
      copy[0] = contextTagByte(node.implicit, (copy[0]! & 0x20) !== 0)
      pieces[first] = copy
    }
    return n
  }
  throw new Error(`unknown ASN.1 node: ${JSON.stringify(Object.keys(node))}`)
}

/** A primitive TLV: its header, then `content`. */
function primitive(tag: number, content: Uint8Array, pieces: Piece[]): number {
  const h = header(tag, content.length)
  pieces.push(h, content)
  return h.length + content.length
}

/** A constructed TLV around `children`: a slot for the header, the children's pieces, then the header once their length is known. */
function constructed(tag: number, children: readonly Asn1[], pieces: Piece[]): number {
  const slot = pieces.length
  pieces.push(EMPTY_HEADER)
  let n = 0
  for (const child of children) n += emit(child, pieces)
  const h = header(tag, n)
  pieces[slot] = h
  return h.length + n
}

const EMPTY_HEADER: number[] = []

/**
 * Decode one DER value that must span all of `der`. Rejects indefinite lengths, non-minimal
 * lengths, high tag numbers, trailing bytes and nesting deeper than 48. Malformed input is an
 * expected outcome (it comes from the network), so it is a value, not an exception.
 */
export function decodeDer(der: Uint8Array): Result<DerElement, DomainError<'MALFORMED_DER'>> {
  if (der.length === 0) return err('MALFORMED_DER', 'empty input')
  try {
    const element = decodeAt(der, 0, der.length, 0)
    if (element.der.length !== der.length) return err('MALFORMED_DER', 'trailing bytes after the DER value')
    return ok(element)
  } catch (e) {
    return err('MALFORMED_DER', e instanceof Error ? e.message : String(e))
  }
}

/** The dotted form of an OBJECT IDENTIFIER's content bytes (X.690 §8.19). */
export function oidFromContent(content: Uint8Array): string {
  if (content.length === 0 || (content[content.length - 1] & 0x80) !== 0) throw new Error('malformed OBJECT IDENTIFIER')
  const subidentifiers: bigint[] = []
  let value = 0n
  let start = true
  for (const byte of content) {
    if (start && byte === 0x80) throw new Error('non-minimal OBJECT IDENTIFIER subidentifier')
    value = (value << 7n) | BigInt(byte & 0x7f)
    start = (byte & 0x80) === 0
    if (start) {
      subidentifiers.push(value)
      value = 0n
    }
  }
  const first = subidentifiers[0]
  const head = first < 40n ? ['0', String(first)] : first < 80n ? ['1', String(first - 40n)] : ['2', String(first - 80n)]
  return [...head, ...subidentifiers.slice(1).map(String)].join('.')
}

/** OBJECT IDENTIFIER content bytes of a dotted OID, as hex (X.690 §8.19). */
function oidContentHex(oid: string): string {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid)) throw new Error(`malformed OID: ${oid}`)
  const arcs = oid.split('.').map((a) => BigInt(a))
  if (arcs[0] < 2n && arcs[1] > 39n) throw new Error(`malformed OID: ${oid}`)
  const subidentifiers = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)]
  let h = ''
  for (const v of subidentifiers) {
    const groups: number[] = []
    let x = v
    do {
      groups.unshift(Number(x & 0x7fn))
      x >>= 7n
    } while (x > 0n)
    h += groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g).toString(16).padStart(2, '0')).join('')
  }
  return h
}

/** One TLV at byte `idx`, within `end` (its parent's end). */
function decodeAt(bytes: Uint8Array, idx: number, end: number, depth: number): DerElement {
  if (depth > MAX_DEPTH) throw new Error('ASN.1 nesting too deep')
  if (idx + 2 > end) throw new Error(`truncated TLV at byte ${idx}`)
  const tag = bytes[idx]
  if ((tag & 0x1f) === 0x1f) throw new Error(`high tag number form at byte ${idx}`)
  const first = bytes[idx + 1]
  let vidx: number
  let vlen: number
  if (first < 0x80) {
    vidx = idx + 2
    vlen = first
  } else {
    const n = first & 0x7f
    if (n === 0 || n > 9) throw new Error(`indefinite or oversized length at byte ${idx}`)
    if (n > 4) throw new Error(`length too long at byte ${idx}`)
    if (idx + 2 + n > end) throw new Error(`truncated TLV at byte ${idx}`)
    if (bytes[idx + 2] === 0) throw new Error(`non-minimal length at byte ${idx}`)
    if (n === 1 && bytes[idx + 2] < 0x80) throw new Error(`non-minimal length at byte ${idx}`)
    vlen = 0
    for (let i = 0; i < n; i++) vlen = vlen * 256 + bytes[idx + 2 + i]
    vidx = idx + 2 + n
  }
  if (vidx + vlen > end) throw new Error(`length exceeds input at byte ${idx}`)
  const tlvEnd = vidx + vlen
  const constructed = (tag & 0x20) !== 0
  const children: DerElement[] = []
  if (constructed) {
    let at = vidx
    while (at < tlvEnd) {
      const child = decodeAt(bytes, at, tlvEnd, depth + 1)
      children.push(child)
      at += child.der.length
    }
  }
  return {
    tag,
    constructed,
    content: bytes.subarray(vidx, tlvEnd),
    der: bytes.subarray(idx, tlvEnd),
    children,
  }
}

function toParam(node: Asn1): NewObjectParam {
  if ('seq' in node) return { seq: node.seq.map(toParam) }
  if ('set' in node) return { set: node.set.map(toParam) }
  if ('int' in node) return { int: { hex: twosComplementHex(BigInt(node.int)) } }
  if ('uint' in node) return { int: { hex: unsignedIntegerHex(node.uint) } }
  if ('intBytes' in node) {
    if (node.intBytes.length === 0) throw new Error('empty INTEGER')
    return { int: { hex: toHex(node.intBytes) } }
  }
  if ('oid' in node) return { oid: { hex: oidContentHex(node.oid) } }
  if ('octets' in node) return { octstr: { hex: toHex(node.octets) } }
  if ('bits' in node) return { bitstr: { hex: '00' + toHex(node.bits) } }
  if ('namedBits' in node) return { bitstr: { hex: namedBitsHex(node.namedBits) } }
  if ('bool' in node) return { bool: node.bool }
  if ('null' in node) return { null: '' }
  if ('enumerated' in node) return { enum: { hex: twosComplementHex(BigInt(node.enumerated)) } }
  if ('utf8' in node) return { utf8str: { hex: toHex(new TextEncoder().encode(node.utf8)) } }
  if ('printable' in node) {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(node.printable)) throw new Error(`not a PrintableString: ${JSON.stringify(node.printable)}`)
    return { prnstr: { hex: asciiHex(node.printable) } }
  }
  if ('ia5' in node) {
    if ([...node.ia5].some((c) => c.charCodeAt(0) > 0x7f)) throw new Error('not an IA5String')
    return { ia5str: { hex: asciiHex(node.ia5) } }
  }
  if ('time' in node) {
    const year = node.time.getUTCFullYear()
    if (year >= 1950 && year < 2050) return { utctime: { str: formatTime(node.time, false, false) } }
    return { gentime: { str: formatTime(node.time, true, false) } }
  }
  if ('generalizedTime' in node) return { gentime: { str: formatTime(node.generalizedTime, true, node.millis === true) } }
  if ('explicit' in node) return { tag: { tag: contextTag(node.explicit, true), explicit: true, obj: toParam(node.node) } }
  if ('implicit' in node) {
    const inner = newObject(toParam(node.node)).tohex()
    const constructed = (parseInt(inner.slice(0, 2), 16) & 0x20) !== 0
    return { tag: { tag: contextTag(node.implicit, constructed), explicit: false, obj: { asn1: { tlv: inner } } } }
  }
  if ('der' in node) return { asn1: { tlv: toHex(node.der) } }
  throw new Error(`unknown ASN.1 node: ${JSON.stringify(Object.keys(node))}`)
}

/** {@link contextTagByte} as the two hex digits jsrsasign's parameters take. */
function contextTag(n: number, constructed: boolean): string {
  return contextTagByte(n, constructed).toString(16).padStart(2, '0')
}

function twosComplementHex(v: bigint): string {
  if (v >= 0n) {
    let h = v.toString(16)
    if (h.length % 2) h = '0' + h
    if (parseInt(h.slice(0, 2), 16) >= 0x80) h = '00' + h
    return h
  }
  // Smallest byte count whose two's complement range holds v.
  let bytes = 1
  while (-(1n << BigInt(bytes * 8 - 1)) > v) bytes++
  return ((1n << BigInt(bytes * 8)) + v).toString(16).padStart(bytes * 2, '0')
}

function unsignedIntegerHex(magnitude: Uint8Array): string {
  let i = 0
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++
  const h = magnitude.length === 0 ? '00' : toHex(magnitude.subarray(i))
  return parseInt(h.slice(0, 2), 16) >= 0x80 ? '00' + h : h
}

function namedBitsHex(bits: number[]): string {
  if (bits.length === 0) return '00'
  const highest = Math.max(...bits)
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1)
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7)
  const unused = 7 - (highest & 7)
  return unused.toString(16).padStart(2, '0') + toHex(bytes)
}

function formatTime(d: Date, fourDigitYear: boolean, millis: boolean): string {
  if (Number.isNaN(d.getTime())) throw new Error('invalid date')
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  const year = fourDigitYear ? p(d.getUTCFullYear(), 4) : p(d.getUTCFullYear() % 100)
  let s = `${year}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
  if (millis && d.getUTCMilliseconds() !== 0) s += '.' + p(d.getUTCMilliseconds(), 3).replace(/0+$/, '')
  return s + 'Z'
}

function asciiHex(s: string): string {
  let h = ''
  for (let i = 0; i < s.length; i++) h += s.charCodeAt(i).toString(16).padStart(2, '0')
  return h
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
}

function fromHex(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h, 'hex'))
}
