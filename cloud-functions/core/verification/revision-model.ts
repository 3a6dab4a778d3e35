import { PdfDict, PdfRef, PdfStream, PdfString, type PdfValue } from '../pdf/pdf-objects'
import type { PdfReader } from '../pdf/pdf-reader'

/** What an object is to the document, found by walking from the catalog (an object can be several). */
export type Role =
  | 'catalog'
  | 'pages'
  | 'page'
  | 'annots'
  | 'annot'
  | 'widget'
  | 'field'
  | 'acroform'
  | 'form-resources'
  | 'appearance'
  | 'sig'
  | 'dss'
  | 'metadata'
  | 'info'
  | 'content'
  | 'annot-content'
  | 'field-value'
  | 'other'

export type FieldInfo = {
  name: string
  ref: PdfRef
  dict: PdfDict
  /** Field type, inherited. */
  type: string | undefined
  /** `/V`, inherited (as written: a ref stays a ref). */
  value: PdfValue | undefined
  widgets: PdfRef[]
  terminal: boolean
}

const MAX_VISITS = 400_000
const MAX_FIELDS = 20_000

/**
 * The structure of one revision the difference analysis needs, computed lazily and cached: the
 * role of every reachable object, the form fields by name, the widgets' owners, the pages and their
 * annotations.
 */
export class RevisionModel {
  private rolesCache?: Map<number, Set<Role>>
  private appearanceOwnerCache?: Map<number, string>
  private fieldsCache?: Map<string, FieldInfo>
  private widgetOwnerCache?: Map<number, string>
  private fieldByNumCache?: Map<number, string>
  private pagesCache?: PdfRef[]
  /** The role walk stopped early (a pathological file); every overwritten object is then suspicious. */
  incomplete = false

  constructor(readonly reader: PdfReader) {}

  get rootRef(): PdfRef {
    return this.reader.rootRef
  }

  catalog(): PdfDict {
    return this.reader.catalog()
  }

  dict(v: PdfValue | undefined): PdfDict | undefined {
    try {
      return this.reader.dictAt(v)
    } catch {
      return undefined
    }
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    try {
      return this.reader.resolve(v)
    } catch {
      return undefined
    }
  }

  /** The AcroForm dictionary, resolved. */
  acroForm(): PdfDict | undefined {
    return this.dict(this.catalog().get('AcroForm'))
  }

  /** Every field (terminal and not) by fully qualified name. */
  fields(): Map<string, FieldInfo> {
    if (this.fieldsCache) return this.fieldsCache
    const out = new Map<string, FieldInfo>()
    const widgetOwner = new Map<number, string>()
    const byNum = new Map<number, string>()
    const form = this.acroForm()
    const top = this.resolve(form?.get('Fields'))
    const seen = new Set<number>()
    const walk = (ref: PdfValue, parent: string, inheritedType: string | undefined, inheritedValue: PdfValue | undefined, depth: number): void => {
      if (!(ref instanceof PdfRef) || seen.has(ref.num) || depth > 32 || out.size > MAX_FIELDS) return
      seen.add(ref.num)
      const d = this.dict(ref)
      if (!d) return
      const t = d.get('T')
      const partial = t instanceof PdfString ? t.toText() : undefined
      const name = partial === undefined ? parent : parent ? `${parent}.${partial}` : partial
      const type = d.name('FT') ?? inheritedType
      const value = d.has('V') ? d.get('V') : inheritedValue
      const kids = this.resolve(d.get('Kids'))
      const kidRefs = Array.isArray(kids) ? kids.filter((k): k is PdfRef => k instanceof PdfRef) : []
      const kidFields = kidRefs.filter((k) => this.dict(k)?.has('T'))
      const widgets = kidRefs.filter((k) => !this.dict(k)?.has('T'))
      if (d.name('Subtype') === 'Widget') widgets.unshift(ref)
      const info: FieldInfo = { name, ref, dict: d, type, value, widgets, terminal: kidFields.length === 0 }
      if (partial !== undefined || parent === '') out.set(name, info)
      byNum.set(ref.num, name)
      for (const w of widgets) widgetOwner.set(w.num, name)
      for (const k of kidFields) walk(k, name, type, value, depth + 1)
    }
    if (Array.isArray(top)) for (const f of top) walk(f, '', undefined, undefined, 0)
    this.fieldsCache = out
    this.widgetOwnerCache = widgetOwner
    this.fieldByNumCache = byNum
    return out
  }

  /** Field name owning widget object `num`. */
  widgetOwner(num: number): string | undefined {
    this.fields()
    return this.widgetOwnerCache!.get(num)
  }

  fieldByNum(num: number): string | undefined {
    this.fields()
    return this.fieldByNumCache!.get(num)
  }

  /** Page objects in document order (bounded walk of the page tree). */
  pages(): PdfRef[] {
    if (this.pagesCache) return this.pagesCache
    const out: PdfRef[] = []
    const seen = new Set<number>()
    const walk = (v: PdfValue | undefined, depth: number): void => {
      if (!(v instanceof PdfRef) || seen.has(v.num) || depth > 64 || out.length > 100_000) return
      seen.add(v.num)
      const d = this.dict(v)
      if (!d) return
      const kids = this.resolve(d.get('Kids'))
      if (d.name('Type') === 'Pages' || (Array.isArray(kids) && d.name('Type') !== 'Page')) {
        if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1)
      } else out.push(v)
    }
    walk(this.catalog().get('Pages'), 0)
    this.pagesCache = out
    return out
  }

  /** Annotation refs of a page (direct or through an indirect array). */
  annotations(page: PdfRef): PdfRef[] {
    const d = this.dict(page)
    const a = this.resolve(d?.get('Annots'))
    return Array.isArray(a) ? a.filter((x): x is PdfRef => x instanceof PdfRef) : []
  }

  /** Roles of every object reachable from the catalog and the trailer's `/Info`. */
  roles(): Map<number, Set<Role>> {
    if (this.rolesCache) return this.rolesCache
    const roles = new Map<number, Set<Role>>()
    const apOwner = new Map<number, string>()
    const queue: Array<{ num: number; role: Role; owner?: string }> = []
    let visits = 0
    const push = (v: PdfValue | undefined, role: Role, owner?: string): void => {
      if (!(v instanceof PdfRef)) return
      let set = roles.get(v.num)
      if (!set) roles.set(v.num, (set = new Set()))
      if (set.has(role)) return
      set.add(role)
      if (owner && role === 'appearance' && !apOwner.has(v.num)) apOwner.set(v.num, owner)
      queue.push({ num: v.num, role, owner })
    }
    /** Every ref inside a direct value (arrays and dictionaries, bounded depth). */
    const refsIn = (v: PdfValue | undefined, role: Role, owner: string | undefined, depth = 0): void => {
      if (depth > 32 || v === undefined) return
      if (v instanceof PdfRef) push(v, role, owner)
      else if (Array.isArray(v)) for (const x of v) refsIn(x, role, owner, depth + 1)
      else if (v instanceof PdfDict) for (const x of v.map.values()) refsIn(x, role, owner, depth + 1)
      else if (v instanceof PdfStream) for (const x of v.dict.map.values()) refsIn(x, role, owner, depth + 1)
    }
    const fields = this.fields()
    const fieldOwnerOf = (num: number): string | undefined => this.fieldByNum(num) ?? this.widgetOwner(num)
    push(this.rootRef, 'catalog')
    push(this.reader.trailer.get('Info'), 'info')
    // An AcroForm written inline in the catalog is walked as part of the catalog's entry.
    const visitAcroForm = (form: PdfDict): void => {
      for (const [k, v] of form.map) {
        if (k === 'Fields') {
          if (v instanceof PdfRef) push(v, 'acroform')
          const arr = this.resolve(v)
          if (Array.isArray(arr)) for (const f of arr) push(f, 'field')
        } else if (k === 'DR') refsIn(v, 'form-resources', undefined)
        else refsIn(v, 'other', undefined)
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      if (++visits > MAX_VISITS) {
        this.incomplete = true
        break
      }
      const { num, role, owner } = queue[qi]
      let value: PdfValue
      try {
        value = this.reader.getObject(num)
      } catch {
        continue
      }
      const d = value instanceof PdfDict ? value : value instanceof PdfStream ? value.dict : undefined
      switch (role) {
        case 'catalog':
          if (!d) break
          for (const [k, v] of d.map) {
            if (k === 'Pages') push(v, 'pages')
            else if (k === 'AcroForm') {
              if (v instanceof PdfRef) push(v, 'acroform')
              else if (v instanceof PdfDict) visitAcroForm(v)
            } else if (k === 'DSS') {
              if (v instanceof PdfRef) push(v, 'dss')
              else refsIn(v, 'dss', undefined)
            } else if (k === 'Metadata') push(v, 'metadata')
            else if (k === 'Perms') refsIn(v, 'sig', undefined)
            else refsIn(v, 'other', undefined)
          }
          break
        case 'acroform':
          if (d) visitAcroForm(d)
          else if (Array.isArray(value)) for (const f of value) push(f, 'field')
          break
        case 'pages':
          if (!d) break
          for (const [k, v] of d.map) {
            if (k === 'Parent') continue
            if (k === 'Kids') {
              const kids = this.resolve(v)
              if (v instanceof PdfRef) push(v, 'pages')
              if (Array.isArray(kids)) {
                for (const kid of kids) {
                  const kd = this.dict(kid)
                  const isNode = kd?.name('Type') === 'Pages' || (kd?.has('Kids') && kd?.name('Type') !== 'Page')
                  push(kid, isNode ? 'pages' : 'page')
                }
              }
            } else refsIn(v, 'content', undefined)
          }
          break
        case 'page':
          if (!d) break
          for (const [k, v] of d.map) {
            if (k === 'Parent') continue
            if (k === 'Annots') {
              if (v instanceof PdfRef) push(v, 'annots')
              const arr = this.resolve(v)
              if (Array.isArray(arr)) for (const a of arr) push(a, this.dict(a)?.name('Subtype') === 'Widget' ? 'widget' : 'annot')
            } else refsIn(v, 'content', undefined)
          }
          break
        case 'annots':
          if (Array.isArray(value)) for (const a of value) push(a, this.dict(a)?.name('Subtype') === 'Widget' ? 'widget' : 'annot')
          break
        case 'widget':
        case 'field': {
          if (!d) break
          const name = fieldOwnerOf(num)
          const fi = name !== undefined ? fields.get(name) : undefined
          for (const [k, v] of d.map) {
            if (k === 'P' || k === 'Parent') continue
            if (k === 'Kids') {
              const kids = this.resolve(v)
              if (Array.isArray(kids)) for (const kid of kids) push(kid, this.dict(kid)?.has('T') ? 'field' : 'widget')
            } else if (k === 'AP') refsIn(v, 'appearance', name)
            else if (k === 'V') refsIn(v, fi?.type === 'Sig' ? 'sig' : 'field-value', undefined)
            else refsIn(v, role === 'widget' ? 'annot-content' : 'field-value', undefined)
          }
          break
        }
        case 'annot':
          if (!d) break
          for (const [k, v] of d.map) {
            if (k === 'P' || k === 'Parent' || k === 'IRT') continue
            if (k === 'Popup') push(v, 'annot')
            else refsIn(v, 'annot-content', undefined)
          }
          break
        default:
          // A link from content, the structure tree or an action to a page, annotation or field is
          // not ownership: those objects have their own roles from the page tree and the form.
          if (d && isStructuralNode(d)) {
            roles.get(num)?.delete(role)
            break
          }
          // Leaf categories: everything below keeps the role (and the appearance owner).
          if (d) refsIn(d, role, owner)
          else refsIn(value, role, owner)
      }
    }
    this.rolesCache = roles
    this.appearanceOwnerCache = apOwner
    return roles
  }

  /** The field whose widget appearance reaches object `num`. */
  appearanceOwner(num: number): string | undefined {
    this.roles()
    return this.appearanceOwnerCache!.get(num)
  }
}

/** Pages, page-tree nodes, the catalog, annotations and form fields: objects with a structural role of their own. */
function isStructuralNode(d: PdfDict): boolean {
  const type = d.name('Type')
  if (type === 'Page' || type === 'Pages' || type === 'Catalog' || type === 'Annot') return true
  if (d.has('Subtype') && d.has('Rect')) return true
  return d.has('FT') || (d.has('T') && (d.has('Kids') || d.has('Parent')))
}

/** `/Rect` has an area, the widget is not hidden, and it has a normal appearance. */
export function isVisibleWidget(model: RevisionModel, widget: PdfDict): boolean {
  const rect = model.resolve(widget.get('Rect'))
  const r = Array.isArray(rect) ? rect.map((x) => Number(model.resolve(x))) : []
  const area = r.length === 4 && r.every(Number.isFinite) ? Math.abs(r[2] - r[0]) * Math.abs(r[3] - r[1]) : 0
  const flags = Number(model.resolve(widget.get('F')) ?? 0)
  const hidden = Number.isFinite(flags) && (flags & (2 | 32)) !== 0
  const ap = model.dict(widget.get('AP'))
  return area > 0 && !hidden && ap?.get('N') !== undefined
}

