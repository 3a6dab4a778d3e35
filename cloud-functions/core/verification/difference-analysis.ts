import type { ChangeView } from './report'
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../pdf/pdf-objects'
import type { XrefEntry } from '../pdf/pdf-reader'
import { isVisibleWidget, type RevisionModel, type Role } from './revision-model'

/** What the signed revision permits (ISO 32000-1 §12.8.2.2–4). */
export type DiffPolicy = {
  /** DocMDP permission in force: 1 no changes, 2 form filling and signing, 3 plus annotations; undefined when not certified. */
  docMdp?: 1 | 2 | 3
  /** Fields locked by a FieldMDP transform or a field `/Lock`, with the signature that locked each. */
  lockedFields: Map<string, string>
  /** Every field is locked (FieldMDP `/Action /All`), by this signature. */
  allLockedBy?: string
}

/** Annotation types that mark up text rather than draw over the page (accepted under DocMDP P=3). */
export const MARKUP_ANNOTATIONS = new Set(['Text', 'Popup', 'Highlight', 'Underline', 'Squiggly', 'StrikeOut', 'Caret'])

/**
 * Compares a signed revision with a later one, after pyHanko's `StandardDiffPolicy` (SIGNING.md
 * §2): every object the later revision overwrites must be explained by a whitelisting rule for
 * every role it had in the signed revision, and the form, page tree and trailer are compared as
 * wholes. Allowed: signing existing (or new invisible, or without certification, new) signature
 * fields, filling form fields that were empty, DSS/VRI and document time-stamps, metadata. Anything
 * else — page content, resources, pages added or removed, annotations beyond DocMDP P=3 markup,
 * changed values of filled fields, freed objects, a new `/Root`, unexplained objects — is disallowed.
 * New objects need no explanation: they only matter through the overwritten objects that refer to them.
 */
export function diffRevisions(oldM: RevisionModel, newM: RevisionModel, revision: number, policy: DiffPolicy): ChangeView[] {
  const changes: ChangeView[] = []
  const add = (level: ChangeView['level'], kind: ChangeView['kind'], detail: string): void => {
    if (!changes.some((c) => c.level === level && c.kind === kind && c.detail === detail)) changes.push({ revision, level, kind, detail })
  }
  try {
    analyse(oldM, newM, policy, add)
  } catch (e) {
    add('disallowed', 'unexplained-change', `the revision cannot be analysed (${(e as Error).message})`)
  }
  return changes
}

type Add = (level: ChangeView['level'], kind: ChangeView['kind'], detail: string) => void

function analyse(oldM: RevisionModel, newM: RevisionModel, policy: DiffPolicy, add: Add): void {
  if (!oldM.rootRef.equals(newM.rootRef)) add('disallowed', 'trailer-changed', `the trailer's /Root now points at object ${newM.rootRef.num} instead of ${oldM.rootRef.num}`)
  const oldPages = oldM.pages()
  const newPages = newM.pages()
  if (oldPages.length !== newPages.length) add('disallowed', 'pages-changed', `the document had ${oldPages.length} page(s), now ${newPages.length}`)
  else if (oldPages.some((p, i) => !p.equals(newPages[i]))) add('disallowed', 'pages-changed', 'pages were replaced or reordered')

  const form = analyseFields(oldM, newM, policy, add)
  const touched = new Set([...form.signedNow, ...form.filledNow])
  const pageIndex = new Map(oldPages.map((p, i) => [p.num, i + 1]))
  const roles = oldM.roles()

  // Objects whose xref entry changed; type-2 objects also when their object stream was rewritten.
  const oldR = oldM.reader
  const newR = newM.reader
  const changedEntry = new Set<number>()
  const nums = new Set<number>([...oldR.objectNumbers(), ...newR.objectNumbers()])
  for (const num of nums) {
    const eo = oldR.entry(num)
    const en = newR.entry(num)
    if (!sameEntry(eo, en)) changedEntry.add(num)
  }
  for (const num of nums) {
    if (num === 0) continue
    const eo = oldR.entry(num)
    const en = newR.entry(num)
    const inOld = eo !== undefined && eo.type !== 0
    const inNew = en !== undefined && en.type !== 0
    if (!inOld) continue
    const r = roles.get(num)
    if (!inNew) {
      if (r) add('disallowed', 'object-freed', `object ${num} (${[...r].join(', ')}) was deleted`)
      continue
    }
    const candidate = changedEntry.has(num) || (eo.type === 2 && changedEntry.has(eo.stream))
    if (!candidate) continue
    let oldV: PdfValue
    let newV: PdfValue
    try {
      oldV = oldR.getObject(num)
      newV = newR.getObject(num)
    } catch (e) {
      if (r) add('disallowed', 'unexplained-change', `object ${num} cannot be read (${(e as Error).message})`)
      continue
    }
    if (deepEqual(oldV, newV, 0)) continue
    if (!r) {
      if (oldM.incomplete) add('disallowed', 'unexplained-change', `object ${num} changed (the signed revision is too large to analyse fully)`)
      continue
    }
    if (oldV instanceof PdfStream && (oldV.dict.name('Type') === 'ObjStm' || oldV.dict.name('Type') === 'XRef')) continue
    for (const role of r) explain(role, num, oldV, newV)
  }

  function explain(role: Role, num: number, oldV: PdfValue, newV: PdfValue): void {
    const od = asDict(oldV)
    const nd = asDict(newV)
    switch (role) {
      case 'catalog':
        return catalogRule(od, nd)
      case 'info':
      case 'metadata':
        return add('allowed', 'metadata-updated', role === 'info' ? 'document information dictionary updated' : 'XMP metadata updated')
      case 'dss':
        return add('allowed', 'dss-updated', 'validation data (DSS) updated')
      case 'acroform':
        if (Array.isArray(oldV) || Array.isArray(newV)) return fieldListRule(oldV, newV)
        return acroFormRule(od, nd)
      case 'field':
        return fieldObjectRule(num, od, nd)
      case 'widget':
        return widgetRule(num, od, nd)
      case 'appearance': {
        const owner = oldM.appearanceOwner(num)
        if (owner !== undefined && touched.has(owner)) return
        return add('disallowed', 'form-field-changed', `the appearance (object ${num}) of field "${owner ?? '?'}" changed without its value changing`)
      }
      case 'page':
        return pageRule(num, od, nd)
      case 'annots': {
        const page = oldPages.find((p) => {
          const a = oldM.dict(p)?.get('Annots')
          return a instanceof PdfRef && a.num === num
        })
        return annotsRule(page ? pageIndex.get(page.num) ?? 0 : 0, Array.isArray(oldV) ? oldV : [], Array.isArray(newV) ? newV : [])
      }
      case 'annot': {
        const os = od?.name('Subtype')
        const ns = nd?.name('Subtype')
        if (policy.docMdp === 3 && os && ns && MARKUP_ANNOTATIONS.has(os) && MARKUP_ANNOTATIONS.has(ns)) return add('allowed', 'annotation-changed', `a ${os} annotation (object ${num}) was edited`)
        return add('disallowed', 'annotation-changed', `a ${os ?? 'page'} annotation (object ${num}) was changed`)
      }
      case 'content':
        return add('disallowed', 'page-content-changed', `page content or resources changed (object ${num})`)
      case 'pages':
        return add('disallowed', 'pages-changed', `the page tree changed (object ${num})`)
      case 'sig':
        return add('disallowed', 'signature-changed', `a signature dictionary or its permissions changed (object ${num})`)
      default:
        return add('disallowed', 'unexplained-change', `object ${num} (${role}) changed`)
    }
  }

  function catalogRule(od: PdfDict | undefined, nd: PdfDict | undefined): void {
    if (!od || !nd) return add('disallowed', 'catalog-changed', 'the document catalog was replaced by something else')
    for (const k of new Set([...od.map.keys(), ...nd.map.keys()])) {
      const ov = od.get(k)
      const nv = nd.get(k)
      if (deepEqual(ov, nv, 0)) continue
      switch (k) {
        case 'AcroForm':
          acroFormRule(oldM.dict(ov), newM.dict(nv))
          break
        case 'DSS':
          add('allowed', 'dss-updated', 'validation data (DSS) added to the catalog')
          break
        case 'Metadata':
        case 'Extensions':
        case 'Version':
          add('allowed', 'metadata-updated', `catalog /${k} updated`)
          break
        case 'Perms':
          add('disallowed', 'signature-changed', 'the document permissions (/Perms) changed')
          break
        case 'Pages':
          add('disallowed', 'pages-changed', 'the catalog points at another page tree')
          break
        default:
          add('disallowed', 'catalog-changed', `catalog /${k} ${ov === undefined ? 'added' : nv === undefined ? 'removed' : 'changed'}`)
      }
    }
  }

  function acroFormRule(od: PdfDict | undefined, nd: PdfDict | undefined): void {
    if (!nd) {
      if (od) add('disallowed', 'field-removed', 'the interactive form was removed')
      return
    }
    const o = od ?? new PdfDict()
    for (const k of new Set([...o.map.keys(), ...nd.map.keys()])) {
      const ov = o.get(k)
      const nv = nd.get(k)
      if (deepEqual(ov, nv, 0)) continue
      if (k === 'Fields') fieldListRule(oldM.resolve(ov) ?? [], newM.resolve(nv) ?? [])
      else if (k === 'SigFlags' || k === 'DA' || k === 'DR') continue
      else if (k === 'NeedAppearances') {
        if (newM.resolve(nv) === true) add('disallowed', 'form-field-changed', 'NeedAppearances was set: viewers would redraw every field')
      } else if (k === 'XFA') add('disallowed', 'catalog-changed', 'an XFA form was added or changed')
      else add('disallowed', 'unexplained-change', `AcroForm /${k} ${ov === undefined ? 'added' : 'changed'}`)
    }
  }

  function fieldListRule(ov: PdfValue | undefined, nv: PdfValue | undefined): void {
    const o = Array.isArray(ov) ? ov.filter((x): x is PdfRef => x instanceof PdfRef) : []
    const n = new Set((Array.isArray(nv) ? nv : []).filter((x): x is PdfRef => x instanceof PdfRef).map((r) => r.num))
    for (const r of o) if (!n.has(r.num)) add('disallowed', 'field-removed', `field "${oldM.fieldByNum(r.num) ?? `object ${r.num}`}" was removed from the form`)
    // Additions are judged by analyseFields (new signature fields allowed, others not).
  }

  function fieldObjectRule(num: number, od: PdfDict | undefined, nd: PdfDict | undefined): void {
    const name = oldM.fieldByNum(num) ?? oldM.widgetOwner(num) ?? `object ${num}`
    if (!od || !nd) return add('disallowed', 'form-field-changed', `field "${name}" was replaced by something else`)
    const allowed = touched.has(name) ? new Set(['V', 'AP', 'AS']) : new Set<string>()
    for (const k of differingKeys(od, nd)) {
      if (!allowed.has(k)) add('disallowed', 'form-field-changed', `field "${name}": /${k} changed${k === 'AP' ? ' (its appearance changed without its value)' : ''}`)
    }
  }

  function widgetRule(num: number, od: PdfDict | undefined, nd: PdfDict | undefined): void {
    const owner = oldM.widgetOwner(num)
    if (owner !== undefined && oldM.fieldByNum(num) === owner) return // a merged field/widget: the field rule judges it
    if (!od || !nd) return add('disallowed', 'annotation-changed', `widget ${num} was replaced by something else`)
    const allowed = owner !== undefined && touched.has(owner) ? new Set(['AP', 'AS']) : new Set<string>()
    for (const k of differingKeys(od, nd)) {
      if (!allowed.has(k)) add('disallowed', 'annotation-changed', `a widget of field "${owner ?? '?'}" changed (/${k})`)
    }
  }

  function pageRule(num: number, od: PdfDict | undefined, nd: PdfDict | undefined): void {
    const p = pageIndex.get(num) ?? 0
    if (!od || !nd) return add('disallowed', 'page-content-changed', `page ${p} was replaced by something else`)
    for (const k of differingKeys(od, nd)) {
      if (k === 'Annots') annotsRule(p, oldM.resolve(od.get('Annots')), newM.resolve(nd.get('Annots')))
      else add('disallowed', 'page-content-changed', `page ${p}: /${k} changed`)
    }
  }

  function annotsRule(page: number, ov: PdfValue | undefined, nv: PdfValue | undefined): void {
    const o = (Array.isArray(ov) ? ov : []).filter((x): x is PdfRef => x instanceof PdfRef)
    const n = (Array.isArray(nv) ? nv : []).filter((x): x is PdfRef => x instanceof PdfRef)
    const oNums = new Set(o.map((r) => r.num))
    const nNums = new Set(n.map((r) => r.num))
    for (const r of o) if (!nNums.has(r.num)) add('disallowed', 'annotation-changed', `page ${page}: an annotation (object ${r.num}) was removed`)
    for (const r of n) {
      if (oNums.has(r.num)) continue
      const ad = newM.dict(r)
      const subtype = ad?.name('Subtype') ?? 'unknown'
      if (subtype === 'Widget') {
        const owner = newM.widgetOwner(r.num)
        if (owner !== undefined && form.newFields.has(owner)) continue // judged with the new field
        if (owner !== undefined && oldM.fields().has(owner)) add('disallowed', 'annotation-added', `page ${page}: a new widget for the existing field "${owner}"`)
        else if (owner === undefined) add('disallowed', 'annotation-added', `page ${page}: a widget annotation that belongs to no field`)
        continue
      }
      if (policy.docMdp === 3 && MARKUP_ANNOTATIONS.has(subtype)) add('allowed', 'annotation-added', `page ${page}: ${subtype} annotation added`)
      else {
        const why =
          policy.docMdp === 3
            ? `a ${subtype} annotation can draw over the signed content (evil annotation)`
            : policy.docMdp
              ? `DocMDP P=${policy.docMdp} does not permit annotations`
              : 'annotations added after signing are not accepted'
        add('disallowed', 'annotation-added', `page ${page}: ${subtype} annotation added — ${why}`)
      }
    }
  }
}

type FormAnalysis = { signedNow: Set<string>; filledNow: Set<string>; newFields: Set<string> }

function analyseFields(oldM: RevisionModel, newM: RevisionModel, policy: DiffPolicy, add: Add): FormAnalysis {
  const signedNow = new Set<string>()
  const filledNow = new Set<string>()
  const newFields = new Set<string>()
  const of = oldM.fields()
  const nf = newM.fields()
  const lockedBy = (name: string, isSig: boolean): string | undefined => policy.lockedFields.get(name) ?? (!isSig ? policy.allLockedBy : undefined)
  const isDts = (v: PdfValue | undefined): boolean => {
    const d = newM.dict(v)
    return d?.name('SubFilter') === 'ETSI.RFC3161' || d?.name('Type') === 'DocTimeStamp'
  }
  for (const [name, o] of of) {
    const n = nf.get(name)
    if (!n) {
      add('disallowed', 'field-removed', `field "${name}" was removed`)
      continue
    }
    if (!o.terminal) continue
    if (o.type !== n.type) add('disallowed', 'form-field-changed', `field "${name}" changed type from ${o.type ?? 'none'} to ${n.type ?? 'none'}`)
    if (o.type === 'Sig') {
      if (o.value === undefined && n.value !== undefined) {
        signedNow.add(name)
        const dts = isDts(n.value)
        const locker = lockedBy(name, true)
        if (locker) add('disallowed', 'field-locked', `signature field "${name}" is locked by the signature in "${locker}"`)
        else if (policy.docMdp === 1 && !dts) add('disallowed', 'signature-added', `signature added in "${name}" — the certification (DocMDP P=1) permits no changes`)
        else add('allowed', dts ? 'document-timestamp-added' : 'signature-added', dts ? `document time-stamp in field "${name}"` : `signature added in field "${name}"`)
      } else if (o.value !== undefined && !refEqual(o.value, n.value)) {
        add('disallowed', 'signature-changed', `the signature of field "${name}" was ${n.value === undefined ? 'removed' : 'replaced'}`)
      }
      continue
    }
    const ov = oldM.resolve(o.value)
    const nv = newM.resolve(n.value)
    if (deepEqual(ov, nv, 0)) continue
    const locker = lockedBy(name, false)
    if (locker) add('disallowed', 'field-locked', `field "${name}" is locked by the signature in "${locker}" but its value changed`)
    else if (policy.docMdp === 1) add('disallowed', 'form-field-changed', `field "${name}" was filled — the certification (DocMDP P=1) permits no changes`)
    else if (isEmptyValue(ov)) {
      filledNow.add(name)
      add('allowed', 'form-filled', `field "${name}" filled in${displayValue(nv)}`)
    } else add('disallowed', 'form-field-changed', `field "${name}" changed after signing: ${displayValue(ov).trim() || '(value)'} → ${displayValue(nv).trim() || '(empty)'}`)
  }
  for (const [name, n] of nf) {
    if (of.has(name)) continue
    newFields.add(name)
    if (n.type !== 'Sig') {
      if (n.terminal) add('disallowed', 'field-added', `a new ${n.type ?? ''} form field "${name}" was added after signing`.replace('  ', ' '))
      continue
    }
    const visible = n.widgets.some((w) => {
      const wd = newM.dict(w)
      return wd !== undefined && isVisibleWidget(newM, wd)
    })
    if (policy.docMdp !== undefined && visible) {
      add('disallowed', 'signature-field-added', `a new visible signature field "${name}" was added to a certified document (sneaky signature)`)
      continue
    }
    if (n.value !== undefined) {
      signedNow.add(name)
      const dts = isDts(n.value)
      if (policy.docMdp === 1 && !dts) add('disallowed', 'signature-added', `signature added in new field "${name}" — the certification (DocMDP P=1) permits no changes`)
      else add('allowed', dts ? 'document-timestamp-added' : 'signature-added', dts ? `document time-stamp in new field "${name}"` : `signature added in new field "${name}"`)
    } else add('allowed', 'signature-field-added', `empty signature field "${name}" added`)
  }
  return { signedNow, filledNow, newFields }
}

function isEmptyValue(v: PdfValue | undefined): boolean {
  if (v === undefined || v === null) return true
  if (v instanceof PdfString) return v.bytes.length === 0 || (v.bytes.length === 2 && v.bytes[0] === 0xfe && v.bytes[1] === 0xff)
  if (v instanceof PdfName) return v.name === 'Off' || v.name === ''
  if (Array.isArray(v)) return v.length === 0
  return false
}

function displayValue(v: PdfValue | undefined): string {
  if (v instanceof PdfString) return ` "${v.toText().slice(0, 60)}"`
  if (v instanceof PdfName) return ` /${v.name}`
  return ''
}

function asDict(v: PdfValue): PdfDict | undefined {
  return v instanceof PdfDict ? v : v instanceof PdfStream ? v.dict : undefined
}

function differingKeys(a: PdfDict, b: PdfDict): string[] {
  const out: string[] = []
  for (const k of new Set([...a.map.keys(), ...b.map.keys()])) if (!deepEqual(a.get(k), b.get(k), 0)) out.push(k)
  return out
}

function refEqual(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a instanceof PdfRef && b instanceof PdfRef) return a.equals(b)
  return deepEqual(a, b, 0)
}

function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (!a || !b) return a === b
  if (a.type !== b.type) return false
  if (a.type === 1 && b.type === 1) return a.offset === b.offset && a.gen === b.gen
  if (a.type === 2 && b.type === 2) return a.stream === b.stream && a.index === b.index
  return true
}

/** Structural equality of parsed values (a rewrite with the same meaning is no change); streams by dictionary and raw bytes. */
export function deepEqual(a: PdfValue | undefined, b: PdfValue | undefined, depth: number): boolean {
  if (a === b) return true
  if (depth > 64) return false
  if (a === undefined || b === undefined || a === null || b === null) return a === b
  // Exact: a box, matrix or rectangle nudged by a millionth is a change (pyHanko compares values exactly too).
  if (typeof a === 'number' && typeof b === 'number') return a === b
  if (typeof a === 'number' || typeof b === 'number' || typeof a === 'boolean' || typeof b === 'boolean') return a === b
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name
  if (a instanceof PdfRef) return b instanceof PdfRef && a.equals(b)
  if (a instanceof PdfString) return b instanceof PdfString && Buffer.from(a.bytes).equals(Buffer.from(b.bytes))
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i], depth + 1))
  if (a instanceof PdfStream) {
    if (!(b instanceof PdfStream)) return false
    const da = a.dict.clone()
    const db = b.dict.clone()
    da.delete('Length')
    db.delete('Length')
    return deepEqual(da, db, depth + 1) && Buffer.from(a.raw()).equals(Buffer.from(b.raw()))
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false
    for (const [k, v] of a.map) if (!b.map.has(k) || !deepEqual(v, b.map.get(k), depth + 1)) return false
    return true
  }
  return false
}
