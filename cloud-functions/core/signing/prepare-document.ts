import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfDict, PdfName, PdfRef, PdfString, dict, type PdfValue } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import type { TrueTypeFont } from '../pdf/truetype-font'
import { crossPageStrip, widgetAnnotation } from './cross-page-seal'
import { displayRectToUser, pageGeometry } from './page-geometry'
import { rotationMk } from './prepare-signature'
import { openForSigning, rewriteDocument } from './repair-document'
import { stampPages, type VerifyStamp } from './verify-stamp'

/** A signature field for one signer, created empty at send time. */
export type SignerSlot = {
  /** Unique field name, e.g. `甲方` or `signer-1`. */
  fieldName: string
  /** 0-based page index or 'last'. */
  page: number | 'last'
  /** [x, y, width, height] in display space (see page-geometry.ts; default user space on unrotated pages). */
  rect: [number, number, number, number]
  /** Pre-create cross-page seal (骑缝章) strip widgets on every page (right edge as displayed) for this signer. */
  crossPageSeal?: { width: number; height: number }
}

/** A field a signer fills when signing. */
export type FormFieldSpec = {
  name: string
  type: 'text' | 'date' | 'checkbox'
  page: number | 'last'
  /** [x, y, width, height] in display space (see page-geometry.ts). */
  rect: [number, number, number, number]
}

export type PrepareDocumentOptions = {
  signers: SignerSlot[]
  fields?: FormFieldSpec[]
  /** A QR code to the contract's public verify page, drawn on every page (verify-stamp.ts). */
  stamp?: VerifyStamp
}

export type PreparedForSending = { bytes: Uint8Array; rewritten: boolean }

/**
 * Preparation at send time: adds an empty signature field for every signer (unique names), the
 * text/date/checkbox fields they fill, and clears `/NeedAppearances` (so viewers do not regenerate
 * appearances after signing, SIGNING.md §9).
 *
 * An unsigned file gets exactly one full rewrite (which also repairs a broken xref); a file that
 * already carries signatures is never rewritten — the fields are appended as an incremental update,
 * as they are for an unsigned file that our reader reads but pdf-lib cannot rewrite.
 */
export async function prepareDocument(pdf: Uint8Array, o: PrepareDocumentOptions, font?: TrueTypeFont): Promise<PreparedForSending> {
  const opened = await openForSigning(pdf)
  const signed = opened.reader.hasSignatures()
  const names = new Set<string>()
  for (const n of [...o.signers.map((s) => s.fieldName), ...(o.fields ?? []).map((f) => f.name)]) {
    if (names.has(n)) throw new Error(`field name "${n}" is used twice`)
    names.add(n)
  }
  const existing = allFieldNames(opened.reader)
  for (const n of names) if (existing.has(n)) throw new Error(`the document already has a field named "${n}"`)
  let base = opened.bytes
  let reader = opened.reader
  if (o.stamp) {
    base = Buffer.concat([base, stampPages(reader, o.stamp, font)])
    reader = PdfReader.open(base)
  }
  const update = addFields(reader, o)
  const withFields = Buffer.concat([base, update])
  if (signed) return opensAgain({ bytes: withFields, rewritten: false })
  // One full rewrite: collapses the update into a single clean revision with a classic xref.
  let rewritten: Uint8Array
  try {
    rewritten = await rewriteDocument(withFields)
  } catch (e) {
    // pdf-lib parses every object, ours only what signing needs: a file our reader reads (the upload
    // check made sure) but pdf-lib does not keeps its fields as an incremental update instead.
    if (opened.repaired || !(e instanceof PdfFormatError)) throw e
    return opensAgain({ bytes: withFields, rewritten: false })
  }
  return opensAgain({ bytes: rewritten, rewritten: true })
}

/**
 * The prepared file must open as signing will open it: a damaged file that survived preparation
 * (found by the fuzzer: a cross-reference entry pointing at the wrong object, kept by the
 * incremental fallback) is refused here with its PdfFormatError, at send, instead of failing every
 * signature later.
 */
function opensAgain(prepared: PreparedForSending): PreparedForSending {
  PdfReader.open(prepared.bytes)
  return prepared
}

function allFieldNames(reader: PdfReader): Set<string> {
  const out = new Set<string>()
  const form = reader.dictAt(reader.catalog().get('AcroForm'))
  const fields = form ? reader.resolve(form.get('Fields')) : undefined
  // A field tree that loops (a kid listing its parent) is walked once: each object at most once.
  const seen = new Set<number>()
  const walk = (v: PdfValue, prefix: string, depth: number): void => {
    if (v instanceof PdfRef) {
      if (seen.has(v.num)) return
      seen.add(v.num)
    }
    const d = reader.dictAt(v)
    if (!d || depth > 32) return
    const t = d.get('T')
    const name = t instanceof PdfString ? (prefix ? `${prefix}.${t.toText()}` : t.toText()) : prefix
    if (t instanceof PdfString) out.add(name)
    const kids = reader.resolve(d.get('Kids'))
    if (Array.isArray(kids)) for (const k of kids) walk(k, name, depth + 1)
  }
  if (Array.isArray(fields)) for (const f of fields) walk(f, '', 0)
  return out
}

function pageIndex(reader: PdfReader, page: number | 'last'): number {
  const n = reader.pageCount()
  const i = page === 'last' ? n - 1 : page
  if (i < 0 || i >= n) throw new PdfFormatError('UNSUPPORTED', `page ${i + 1} does not exist (the document has ${n} pages)`)
  return i
}

/** Appends the fields as one incremental update and returns the appended bytes. */
function addFields(reader: PdfReader, o: PrepareDocumentOptions): Uint8Array {
  const writer = new IncrementalWriter(reader)
  const annots = new Map<number, { ref: PdfRef; add: PdfRef[] }>()
  const addAnnot = (page: PdfRef, a: PdfRef): void => {
    let e = annots.get(page.num)
    if (!e) annots.set(page.num, (e = { ref: page, add: [] }))
    e.add.push(a)
  }
  const newFields: PdfRef[] = []

  for (const s of o.signers) {
    const pRef = reader.pageRef(pageIndex(reader, s.page))
    const g = pageGeometry(reader, pRef)
    const fieldRef = writer.allocate()
    const widget = widgetAnnotation(displayRectToUser(g, s.rect), pRef, g.rotation)
    if (!s.crossPageSeal) {
      widget.set('FT', PdfName.of('Sig')).set('T', PdfString.text(s.fieldName))
      writer.set(fieldRef, widget)
      addAnnot(pRef, fieldRef)
    } else {
      const kids: PdfRef[] = []
      const mainRef = writer.allocate()
      writer.set(mainRef, widget)
      addAnnot(pRef, mainRef)
      kids.push(mainRef)
      const n = reader.pageCount()
      for (let i = 0; i < n; i++) {
        const strip = crossPageStrip(reader, i, s.crossPageSeal)
        const wRef = writer.allocate()
        writer.set(wRef, strip.widget)
        addAnnot(strip.pageRef, wRef)
        kids.push(wRef)
      }
      writer.set(fieldRef, dict({ FT: PdfName.of('Sig'), T: PdfString.text(s.fieldName), Kids: kids }))
    }
    newFields.push(fieldRef)
  }

  for (const f of o.fields ?? []) {
    const pRef = reader.pageRef(pageIndex(reader, f.page))
    const g = pageGeometry(reader, pRef)
    const ref = writer.allocate()
    const d = dict({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('Widget'),
      T: PdfString.text(f.name),
      Rect: displayRectToUser(g, f.rect),
      F: 4,
      P: pRef,
    })
    const mk = rotationMk(g.rotation)
    if (mk) d.set('MK', mk)
    if (f.type === 'checkbox') {
      d.set('FT', PdfName.of('Btn')).set('V', PdfName.of('Off')).set('AS', PdfName.of('Off'))
    } else {
      d.set('FT', PdfName.of('Tx')).set('DA', PdfString.latin1('/Helv 10 Tf 0 g'))
      if (f.type === 'date') d.set('QianyueType', PdfName.of('Date'))
    }
    writer.set(ref, d)
    addAnnot(pRef, ref)
    newFields.push(ref)
  }

  for (const { ref, add } of annots.values()) {
    const page = (reader.dictAt(ref) as PdfDict).clone()
    const a = page.get('Annots')
    if (a instanceof PdfRef) {
      const arr = reader.resolve(a)
      writer.set(a, [...(Array.isArray(arr) ? arr : []), ...add])
    } else {
      page.set('Annots', [...(Array.isArray(a) ? a : []), ...add])
      writer.set(ref, page)
    }
  }

  const catalog = reader.catalog()
  const formV = catalog.get('AcroForm')
  const form = reader.dictAt(formV)?.clone() ?? dict({})
  const fieldsV = form.get('Fields')
  const fields = reader.resolve(fieldsV)
  form.set('Fields', [...(Array.isArray(fields) ? fields : []), ...newFields])
  form.delete('NeedAppearances')
  if (!form.has('DA')) form.set('DA', PdfString.latin1('/Helv 0 Tf 0 g'))
  if (!form.has('DR')) {
    form.set('DR', dict({ Font: dict({ Helv: dict({ Type: PdfName.of('Font'), Subtype: PdfName.of('Type1'), BaseFont: PdfName.of('Helvetica'), Encoding: PdfName.of('WinAnsiEncoding') }) }) }))
  }
  if (formV instanceof PdfRef) {
    writer.set(formV, form)
  } else {
    const formRef = writer.allocate()
    writer.set(formRef, form)
    writer.set(reader.rootRef, catalog.clone().set('AcroForm', formRef))
  }
  return writer.build().appended
}
