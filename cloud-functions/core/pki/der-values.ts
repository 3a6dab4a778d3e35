import { ASN1_TAG, contextTag } from '../shared/asn1-tags'
import { oidFromContent, type DerElement } from './jsrsasign-adapter'

/**
 * Readers for single DER values of a decoded tree ({@link DerElement}). They throw
 * {@link DerStructureError} when the value is not what the structure requires; callers that parse
 * untrusted input catch it once and turn it into their protocol's "malformed" answer.
 */
export class DerStructureError extends Error {
  override name = 'DerStructureError'
}

/** Universal tags (the one table in core/shared/asn1-tags.ts). */
export const TAG = ASN1_TAG

export { contextTag }

/** The element if its tag is `tag`, else throws. */
export function expectTag(e: DerElement | undefined, tag: number, what: string): DerElement {
  if (!e) throw new DerStructureError(`${what}: missing`)
  if (e.tag !== tag) throw new DerStructureError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${e.tag.toString(16)}`)
  return e
}

export function readOid(e: DerElement | undefined, what: string): string {
  const el = expectTag(e, TAG.oid, what)
  try {
    return oidFromContent(el.content)
  } catch {
    throw new DerStructureError(`${what}: malformed OBJECT IDENTIFIER`)
  }
}

/** INTEGER content bytes (two's complement), checked for minimal encoding. */
export function readIntegerBytes(e: DerElement | undefined, what: string, tag: number = TAG.integer): Uint8Array {
  const el = expectTag(e, tag, what)
  const c = el.content
  if (c.length === 0) throw new DerStructureError(`${what}: empty INTEGER`)
  if (c.length > 1 && ((c[0] === 0x00 && c[1] < 0x80) || (c[0] === 0xff && c[1] >= 0x80))) {
    throw new DerStructureError(`${what}: non-minimal INTEGER`)
  }
  return c
}

export function readBigInt(e: DerElement | undefined, what: string, tag: number = TAG.integer): bigint {
  const c = readIntegerBytes(e, what, tag)
  let v = BigInt('0x' + Buffer.from(c).toString('hex'))
  if (c[0] & 0x80) v -= 1n << BigInt(c.length * 8)
  return v
}

export function readSmallInt(e: DerElement | undefined, what: string, tag: number = TAG.integer): number {
  const v = readBigInt(e, what, tag)
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new DerStructureError(`${what}: integer too large`)
  return Number(v)
}

export function readBoolean(e: DerElement | undefined, what: string): boolean {
  const el = expectTag(e, TAG.boolean, what)
  if (el.content.length !== 1 || (el.content[0] !== 0x00 && el.content[0] !== 0xff)) throw new DerStructureError(`${what}: not a DER BOOLEAN`)
  return el.content[0] === 0xff
}

export function readOctets(e: DerElement | undefined, what: string): Uint8Array {
  return expectTag(e, TAG.octetString, what).content
}

/** BIT STRING content without the unused-bits octet (which must be 0 for whole-byte values). */
export function readBitStringBytes(e: DerElement | undefined, what: string): Uint8Array {
  const el = expectTag(e, TAG.bitString, what)
  if (el.content.length === 0 || el.content[0] !== 0) throw new DerStructureError(`${what}: BIT STRING with unused bits`)
  return el.content.subarray(1)
}

/** UTCTime or GeneralizedTime (RFC 5280 `Time`, Zulu only; GeneralizedTime may carry fractions). */
export function readTime(e: DerElement | undefined, what: string): Date {
  if (!e) throw new DerStructureError(`${what}: missing`)
  const s = Buffer.from(e.content).toString('latin1')
  let m: RegExpMatchArray | null
  if (e.tag === TAG.utcTime && (m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/))) {
    const yy = Number(m[1])
    return utc(yy < 50 ? 2000 + yy : 1900 + yy, m, 0)
  }
  if (e.tag === TAG.generalizedTime && (m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/))) {
    const ms = m[7] ? Math.floor(Number(('0.' + m[7])) * 1000) : 0
    return utc(Number(m[1]), m, ms)
  }
  throw new DerStructureError(`${what}: not a Zulu UTCTime/GeneralizedTime`)
}

function utc(year: number, m: RegExpMatchArray, ms: number): Date {
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms))
}

/** Hex of bytes, lowercase. */
export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
