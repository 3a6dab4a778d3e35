import { ObjectParser } from '../pdf/object-parser'
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../pdf/pdf-objects'
import type { Revision } from './revisions'

/** A signature dictionary as written in the file, with where each top-level value lies. */
export type LocatedSignatureDictionary = {
  dict: PdfDict
  /** Absolute [start, end) of each top-level value. */
  spans: Map<string, [number, number]>
  duplicateKeys: string[]
  /** Offset of the `N G obj` header and of the end of the dictionary. */
  objectStart: number
  dictEnd: number
}

/**
 * Parses the signature dictionary of object `num` at `offset`, remembering the byte span of every
 * top-level value (the `/Contents` hex string must be exactly the hole of the `/ByteRange`).
 *
 * @throws Error when there is no dictionary object there.
 */
export function locateSignatureDictionary(bytes: Uint8Array, offset: number, num: number): LocatedSignatureDictionary {
  const p = new ObjectParser(bytes, offset)
  const n = p.readInt()
  p.readInt()
  p.expectKeyword('obj')
  if (n !== num) throw new Error(`object ${num} expected at offset ${offset}, found ${n}`)
  p.skipWhite()
  if (bytes[p.pos] !== 0x3c || bytes[p.pos + 1] !== 0x3c) throw new Error('the signature value is not a dictionary')
  p.pos += 2
  const dict = new PdfDict()
  const spans = new Map<string, [number, number]>()
  const duplicateKeys: string[] = []
  for (let guard = 0; ; guard++) {
    p.skipWhite()
    if (p.pos >= bytes.length || guard > 10_000) throw new Error('unterminated signature dictionary')
    if (bytes[p.pos] === 0x3e && bytes[p.pos + 1] === 0x3e) {
      p.pos += 2
      break
    }
    const key = p.parseValue()
    if (!(key instanceof PdfName)) throw new Error('malformed signature dictionary (a key is not a name)')
    p.skipWhite()
    const start = p.pos
    const value = p.parseValue()
    if (spans.has(key.name)) duplicateKeys.push(key.name)
    spans.set(key.name, [start, p.pos])
    dict.set(key.name, value)
  }
  return { dict, spans, duplicateKeys, objectStart: offset, dictEnd: p.pos }
}

/** A signature value found in some revision's AcroForm (or `/Perms`). */
export type DiscoveredSignature = {
  /** Physical identity: object number and where that definition lives. */
  key: string
  ref?: PdfRef
  /** Offset of the object's definition (type-1 xref entry); undefined when compressed or inline. */
  offset?: number
  inObjectStream: boolean
  inline: boolean
  fieldName: string
  /** Revisions (1-based) whose AcroForm reaches this signature. */
  seenIn: number[]
  /** The field refers to it in the last revision. */
  inFinal: boolean
}

/**
 * Every signature dictionary any revision's signature fields (or `/Perms /DocMDP`) point at,
 * identified by object number and definition offset, so a signature whose field a later revision
 * removed or re-pointed is still found and judged. Sorted in file order.
 */
export function discoverSignatures(revisions: Revision[]): DiscoveredSignature[] {
  const found = new Map<string, DiscoveredSignature>()
  const last = revisions[revisions.length - 1]
  for (const rev of revisions) {
    const r = rev.reader
    const values: Array<{ name: string; value: PdfRef | PdfDict; fieldRef: PdfRef }> = []
    try {
      for (const f of r.signatureFields()) if (f.value !== undefined) values.push({ name: f.name, value: f.value, fieldRef: f.ref })
    } catch {
      /* an unreadable form has no signatures we can judge in this revision */
    }
    try {
      const perms = r.dictAt(r.catalog().get('Perms'))
      const docMdp = perms?.get('DocMDP')
      if (docMdp instanceof PdfRef && !values.some((v) => v.value instanceof PdfRef && v.value.num === docMdp.num)) {
        values.push({ name: '(certification)', value: docMdp, fieldRef: docMdp })
      }
    } catch {
      /* ignore */
    }
    for (const v of values) {
      let key: string
      let offset: number | undefined
      let inObjectStream = false
      let inline = false
      let ref: PdfRef | undefined
      if (v.value instanceof PdfRef) {
        ref = v.value
        const e = r.entry(v.value.num)
        if (e?.type === 1) {
          offset = e.offset
          key = `${v.value.num}@${e.offset}`
        } else if (e?.type === 2) {
          inObjectStream = true
          key = `${v.value.num}@objstm${e.stream}`
        } else continue
      } else {
        inline = true
        const e = r.entry(v.fieldRef.num)
        key = `inline:${v.fieldRef.num}@${e?.type === 1 ? e.offset : 'x'}`
      }
      const have = found.get(key)
      if (have) {
        have.seenIn.push(rev.index)
        if (rev === last) {
          have.inFinal = true
          have.fieldName = v.name
        }
      } else {
        found.set(key, { key, ref, offset, inObjectStream, inline, fieldName: v.name, seenIn: [rev.index], inFinal: rev === last })
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.offset ?? Number.MAX_SAFE_INTEGER) - (b.offset ?? Number.MAX_SAFE_INTEGER))
}

/** Text of a string or name value. */
export function textOf(v: PdfValue | undefined): string | null {
  if (v instanceof PdfString) return v.toText()
  if (v instanceof PdfName) return v.name
  return null
}

/** `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1 §7.9.4) as ISO 8601, or null. */
export function pdfDateToIso(s: string | null): string | null {
  if (!s) return null
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s.trim())
  if (!m) return null
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se))
  if (tz === '+' || tz === '-') t -= (tz === '+' ? 1 : -1) * (Number(th) * 60 + Number(tm)) * 60_000
  const date = new Date(t)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
