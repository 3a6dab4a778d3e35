import { ASN1_TAG, contextTag } from '../shared/asn1-tags'
/**
 * A small BER/DER reader for what a signature validator meets (X.690): CMS from other producers
 * (NSS writes indefinite lengths and constructed OCTET STRINGs), certificates, OCSP responses,
 * CRLs and time-stamp tokens. Untrusted input: every length is checked against the buffer, nesting
 * and element count are bounded, and failures are {@link BerError}s, never out-of-range reads.
 *
 * jsrsasign's `decodeDer` (core/pki/jsrsasign-adapter.ts) stays the strict parser for what the
 * platform itself produces; this reader is separate so verification never loads jsrsasign.
 */

export class BerError extends Error {
  override readonly name = 'BerError'
}

/** One decoded element. Offsets index `bytes`, the whole buffer it was read from. */
export type BerNode = {
  /** First identifier octet (class, constructed bit and, for low tag numbers, the number). */
  readonly tag: number
  readonly tagNumber: number
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly tagClass: number
  readonly constructed: boolean
  readonly bytes: Uint8Array
  /** Offset of the identifier octet. */
  readonly start: number
  /** Offset of the first content octet. */
  readonly contentStart: number
  /** Offset after the last content octet (before the end-of-contents octets when indefinite). */
  readonly contentEnd: number
  /** Offset after the whole element (including end-of-contents octets). */
  readonly end: number
  readonly indefinite: boolean
  readonly children: BerNode[]
}

export const MAX_BER_DEPTH = 64
const MAX_NODES = 500_000

/** The content octets of `n` (a view, no copy). */
export function content(n: BerNode): Uint8Array {
  return n.bytes.subarray(n.contentStart, n.contentEnd)
}

/** The complete encoding of `n` (a view). */
export function encoding(n: BerNode): Uint8Array {
  return n.bytes.subarray(n.start, n.end)
}

/**
 * Decodes the element at `offset` of `bytes`. With `whole`, the element must span the buffer to its
 * end; otherwise trailing bytes are left to the caller (e.g. the zero padding of `/Contents`).
 *
 * @throws BerError on malformed input.
 */
export function decodeBer(bytes: Uint8Array, offset = 0, whole = true): BerNode {
  const state = { count: 0 }
  const node = readNode(bytes, offset, bytes.length, 0, state)
  if (whole && node.end !== bytes.length) throw new BerError('trailing bytes after the encoded value')
  return node
}

function readNode(b: Uint8Array, at: number, limit: number, depth: number, state: { count: number }): BerNode {
  if (depth > MAX_BER_DEPTH) throw new BerError('nesting too deep')
  if (++state.count > MAX_NODES) throw new BerError('too many elements')
  if (at >= limit) throw new BerError(`truncated element at byte ${at}`)
  const start = at
  const tag = b[at++]
  const tagClass = tag >> 6
  const constructed = (tag & 0x20) !== 0
  let tagNumber = tag & 0x1f
  if (tagNumber === 0x1f) {
    tagNumber = 0
    for (let i = 0; ; i++) {
      if (at >= limit || i > 3) throw new BerError(`bad tag number at byte ${start}`)
      const c = b[at++]
      tagNumber = tagNumber * 128 + (c & 0x7f)
      if ((c & 0x80) === 0) break
    }
  }
  if (at >= limit) throw new BerError(`truncated length at byte ${start}`)
  const first = b[at++]
  let length = -1
  if (first < 0x80) length = first
  else if (first !== 0x80) {
    const n = first & 0x7f
    if (n > 6) throw new BerError(`length too long at byte ${start}`)
    if (at + n > limit) throw new BerError(`truncated length at byte ${start}`)
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + b[at++]
  }
  const contentStart = at
  const children: BerNode[] = []
  if (length < 0) {
    if (!constructed) throw new BerError(`indefinite length on a primitive element at byte ${start}`)
    let p = contentStart
    for (;;) {
      if (p + 2 > limit) throw new BerError(`missing end-of-contents for the element at byte ${start}`)
      if (b[p] === 0 && b[p + 1] === 0) break
      const child = readNode(b, p, limit, depth + 1, state)
      children.push(child)
      p = child.end
    }
    return { tag, tagNumber, tagClass, constructed, bytes: b, start, contentStart, contentEnd: p, end: p + 2, indefinite: true, children }
  }
  const contentEnd = contentStart + length
  if (contentEnd > limit) throw new BerError(`length ${length} exceeds the data at byte ${start}`)
  if (constructed) {
    let p = contentStart
    while (p < contentEnd) {
      const child = readNode(b, p, contentEnd, depth + 1, state)
      children.push(child)
      p = child.end
    }
  }
  return { tag, tagNumber, tagClass, constructed, bytes: b, start, contentStart, contentEnd, end: contentEnd, indefinite: false, children }
}

/** Universal tags (the one table in core/shared/asn1-tags.ts). */
export const UNIVERSAL = ASN1_TAG

/** `[n]` context-specific identifier octet. */
export const ctx = contextTag

/** Whether `n` is context-specific `[num]` (either form). */
export function isContext(n: BerNode | undefined, num: number): n is BerNode & { readonly tagClass: 2 } {
  return n !== undefined && n.tagClass === 2 && n.tagNumber === num
}

/** The node if it is a universal element with that tag number, else throws. */
export function expect(n: BerNode | undefined, tagNumber: number, what: string): BerNode {
  if (!n) throw new BerError(`${what}: missing`)
  if (n.tagClass !== 0 || n.tagNumber !== (tagNumber & 0x1f)) {
    throw new BerError(`${what}: expected tag 0x${tagNumber.toString(16)}, got 0x${n.tag.toString(16)}`)
  }
  return n
}

/** Children of a SEQUENCE/SET (constructed), checked. */
export function items(n: BerNode | undefined, what: string, tagNumber: number = UNIVERSAL.sequence): BerNode[] {
  const e = expect(n, tagNumber, what)
  if (!e.constructed) throw new BerError(`${what}: not constructed`)
  return e.children
}

/** OCTET STRING value, joining the segments of a constructed (BER) one; works for implicit tags too. */
export function octets(n: BerNode | undefined, what: string): Uint8Array {
  if (!n) throw new BerError(`${what}: missing`)
  if (!n.constructed) return content(n)
  const parts: Uint8Array[] = []
  const walk = (x: BerNode, depth: number): void => {
    if (depth > 8) throw new BerError(`${what}: nested too deep`)
    for (const c of x.children) {
      if (c.constructed) walk(c, depth + 1)
      else parts.push(content(c))
    }
  }
  walk(n, 0)
  return Buffer.concat(parts)
}

/** The dotted form of an OBJECT IDENTIFIER. */
export function oid(n: BerNode | undefined, what: string): string {
  const c = content(expect(n, UNIVERSAL.oid, what))
  if (c.length === 0 || c.length > 128 || (c[c.length - 1] & 0x80) !== 0) throw new BerError(`${what}: malformed OBJECT IDENTIFIER`)
  const arcs: bigint[] = []
  let v = 0n
  for (const byte of c) {
    v = (v << 7n) | BigInt(byte & 0x7f)
    if ((byte & 0x80) === 0) {
      arcs.push(v)
      v = 0n
    }
  }
  const first = arcs[0]
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n]
  return [...head, ...arcs.slice(1)].join('.')
}

/** INTEGER content bytes (two's complement, as encoded). */
export function integerBytes(n: BerNode | undefined, what: string, tag: number = UNIVERSAL.integer): Uint8Array {
  if (!n) throw new BerError(`${what}: missing`)
  if (n.tag !== tag) throw new BerError(`${what}: expected INTEGER`)
  const c = content(n)
  if (c.length === 0) throw new BerError(`${what}: empty INTEGER`)
  return c
}

/** A small INTEGER or ENUMERATED as a number. */
export function smallInt(n: BerNode | undefined, what: string, tag: number = UNIVERSAL.integer): number {
  const c = integerBytes(n, what, tag)
  if (c.length > 6) throw new BerError(`${what}: integer too large`)
  let v = 0
  for (const x of c) v = v * 256 + x
  if (c[0] & 0x80) v -= Math.pow(256, c.length)
  return v
}

/** BIT STRING bytes without the unused-bits octet. */
export function bitStringBytes(n: BerNode | undefined, what: string): Uint8Array {
  const c = content(expect(n, UNIVERSAL.bitString, what))
  if (c.length === 0) throw new BerError(`${what}: empty BIT STRING`)
  return c.subarray(1)
}

/** Named bits of a BIT STRING (bit 0 = the most significant bit of the first byte). */
export function namedBits(n: BerNode | undefined, what: string): Set<number> {
  const c = content(expect(n, UNIVERSAL.bitString, what))
  const out = new Set<number>()
  for (let i = 1; i < c.length; i++) for (let bit = 0; bit < 8; bit++) if (c[i] & (0x80 >> bit)) out.add((i - 1) * 8 + bit)
  return out
}

/** UTCTime or GeneralizedTime (Zulu; GeneralizedTime may carry fractions). */
export function time(n: BerNode | undefined, what: string): Date {
  if (!n) throw new BerError(`${what}: missing`)
  const s = Buffer.from(content(n)).toString('latin1')
  let m: RegExpMatchArray | null
  if (n.tag === UNIVERSAL.utcTime && (m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/))) {
    const yy = Number(m[1])
    return utc(yy < 50 ? 2000 + yy : 1900 + yy, m, 0)
  }
  if (n.tag === UNIVERSAL.generalizedTime && (m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?Z$/))) {
    const ms = m[7] ? Math.floor(Number('0.' + m[7]) * 1000) : 0
    return utc(Number(m[1]), m, ms)
  }
  throw new BerError(`${what}: not a UTCTime/GeneralizedTime in UTC`)
}

function utc(year: number, m: RegExpMatchArray, ms: number): Date {
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms))
  if (Number.isNaN(d.getTime())) throw new BerError('invalid date')
  return d
}

/** A directory string / text value as a JS string (UTF8, Printable, IA5, T61, BMP, Universal). */
export function text(n: BerNode): string {
  const c = content(n)
  switch (n.tagNumber) {
    case 0x1e: {
      const b = Buffer.from(c.subarray(0, c.length & ~1))
      return Buffer.from(b).swap16().toString('utf16le')
    }
    case 0x1c: {
      let s = ''
      for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0)
      return s
    }
    case 0x14:
      return Buffer.from(c).toString('latin1')
    default:
      return Buffer.from(c).toString('utf8')
  }
}

export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}
