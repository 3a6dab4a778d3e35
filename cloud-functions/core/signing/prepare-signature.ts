import { ByteRange } from '../pdf/byte-range'
import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfDict, PdfName, PdfRef, PdfString, dict } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import { displayRectToUser, displaySize, pageGeometry, widgetRotation, type PageGeometry, type PageRotation } from './page-geometry'
import { crossPageStrip, widgetAnnotation } from './cross-page-seal'
import type { PreparedDocument } from './prepared-document'
import { BYTE_RANGE_WIDTH, buildSignatureDictionary, type SignatureDictionaryOptions } from './signature-placeholder'

/** What one widget of the signature field looks like; `build` returns its `/AP /N` form XObject. */
export type WidgetAppearanceRequest = {
  /** 0 for the main widget; 1..n for cross-page strips. */
  index: number
  kind: 'main' | 'strip'
  /** For strips: which strip (0-based) of how many. */
  strip?: { index: number; count: number }
  /** Size as displayed (for a page rotated 90° or 270°, the `/Rect`'s height and width). */
  width: number
  height: number
  /**
   * The page's `/Rotate`: the appearance is drawn upright in a `width`×`height` box and given the
   * `/Matrix` of `appearanceMatrix` (page-geometry.ts), so it shows upright on the rotated page.
   */
  rotation?: PageRotation
}

/** Builds appearance streams into the revision being written. */
export type SignatureAppearance = {
  build(writer: IncrementalWriter, reader: PdfReader, request: WidgetAppearanceRequest): Promise<PdfRef>
  /**
   * Extra changes in the same revision (e.g. form field values). Returns `appearancesComplete` when
   * every widget of the form now has an appearance stream, so `/NeedAppearances` can be cleared:
   * a viewer that regenerated appearances would change what the signature shows (SIGNING.md §9).
   */
  extraObjects?(writer: IncrementalWriter, reader: PdfReader): Promise<void | ExtraObjectsResult>
}

export type ExtraObjectsResult = { appearancesComplete?: boolean }

export type SignaturePlacement = {
  /** 0-based page index, or 'last'. */
  page: number | 'last'
  /**
   * [x, y, width, height] in points, in display space: from the bottom-left corner of the page as it
   * is displayed (its crop box, turned by `/Rotate`); the same as default user space for an
   * unrotated page whose crop box starts at 0 0 (see page-geometry.ts). Default: a stamp at the
   * bottom right of the displayed page, left of (then above) the stamps already there.
   */
  rect?: [number, number, number, number]
}

export type PrepareSignatureOptions = Omit<SignatureDictionaryOptions, 'docMdpPermissions'> & {
  /**
   * The field to sign. An existing empty signature field of that name is filled (its widgets get
   * appearances); otherwise a new field is created. Default: the first empty signature field named
   * for nobody, else a new unique `SignatureN`.
   */
  fieldName?: string
  /** Where a new field goes; without it a new field is invisible (zero Rect on the first page). */
  placement?: SignaturePlacement
  appearance?: SignatureAppearance
  /**
   * Cross-page seal strips on a new field: one widget per page at the right edge of the displayed
   * page, vertically centred unless `y` (display space) is given.
   */
  crossPageSeal?: { width: number; height: number; y?: number }
  /** Make this a certification signature with DocMDP permissions P (only as the first signature). */
  certify?: { permissions: 1 | 2 | 3 }
  /**
   * A reader already opened over these very bytes (e.g. by `openForSigning`), so the
   * cross-reference data is not parsed twice; ignored when it reads other bytes.
   */
  reader?: PdfReader
}

export const DEFAULT_STAMP_SIZE = { width: 150, height: 90 }

/**
 * Stage 1 — prepare: appends one incremental revision holding the signature dictionary (with the
 * `/ByteRange` already computed and `/Contents` zero-filled), the field and widget(s) with their
 * appearances, and the page/AcroForm/catalog updates. The original bytes are never modified.
 *
 * @throws PdfFormatError if the file cannot be read through its cross-reference data.
 */
export async function prepareSignature(pdf: Uint8Array, options: PrepareSignatureOptions): Promise<PreparedDocument> {
  const reader = options.reader?.bytes === pdf ? options.reader : PdfReader.open(pdf)
  const writer = new IncrementalWriter(reader)
  const existingFields = reader.signatureFields()

  if (options.certify && existingFields.some((f) => f.value !== undefined)) {
    throw new PdfFormatError('UNSUPPORTED', 'a certification signature must be the first signature in the document')
  }

  const sigRef = writer.allocate()
  const sig = buildSignatureDictionary({ ...options, docMdpPermissions: options.certify?.permissions })
  writer.set(sigRef, { raw: sig.body })

  const edits = new DocumentEdits(reader, writer)
  let fieldName = options.fieldName
  const target = fieldName ? existingFields.find((f) => f.name === fieldName) : undefined
  if (target) {
    if (target.value !== undefined) {
      throw new PdfFormatError('UNSUPPORTED', `signature field "${fieldName}" is already signed`)
    }
    await fillExistingField(reader, writer, target.ref, target.widgets, sigRef, options)
    edits.ensureSigFlags()
  } else {
    const names = new Set(existingFields.map((f) => f.name))
    if (!fieldName) {
      let i = existingFields.length + 1
      while (names.has(`Signature${i}`)) i++
      fieldName = `Signature${i}`
    }
    await createField(reader, writer, edits, fieldName, sigRef, options)
  }

  if (options.certify) {
    edits.catalog().set('Perms', dict({ DocMDP: sigRef }))
  }
  if (options.appearance?.extraObjects) {
    const extra = await options.appearance.extraObjects(writer, reader)
    if (extra?.appearancesComplete) edits.clearNeedAppearances()
  }
  edits.flush()

  const update = writer.build()
  const appended = update.appended
  const sigBodyAt = update.bodyOffsets.get(sigRef.num) as number
  const holeStart = sigBodyAt + sig.contentsAt
  const holeEnd = holeStart + sig.contentsHoleLength
  const range = ByteRange.aroundHole(holeStart, holeEnd, update.totalLength)
  const brAt = sigBodyAt + sig.byteRangeAt - pdf.length
  Buffer.from(appended.buffer, appended.byteOffset, appended.byteLength).write(range.toFixedWidth(BYTE_RANGE_WIDTH), brAt, 'latin1')
  return { original: pdf, appended, byteRange: range, contentsSize: options.contentsSize, fieldName: fieldName as string }
}

/** Collects page/AcroForm/catalog changes so each object is rewritten at most once. */
class DocumentEdits {
  private catalogDict?: PdfDict
  private acroForm?: { ref?: PdfRef; dict: PdfDict }
  private readonly pageAnnots = new Map<number, { ref: PdfRef; add: PdfRef[] }>()

  constructor(
    private readonly reader: PdfReader,
    private readonly writer: IncrementalWriter,
  ) {}

  catalog(): PdfDict {
    if (!this.catalogDict) this.catalogDict = this.reader.catalog().clone()
    return this.catalogDict
  }

  form(): PdfDict {
    if (this.acroForm) return this.acroForm.dict
    const cat = this.reader.catalog()
    const v = cat.get('AcroForm')
    if (v instanceof PdfRef) {
      const d = this.reader.dictAt(v)
      this.acroForm = { ref: v, dict: d ? d.clone() : new PdfDict() }
    } else if (v instanceof PdfDict) {
      this.acroForm = { dict: v.clone() }
    } else {
      this.acroForm = { ref: this.writer.allocate(), dict: dict({ Fields: [] }) }
    }
    return this.acroForm.dict
  }

  ensureSigFlags(): void {
    const f = this.reader.dictAt(this.reader.catalog().get('AcroForm'))
    const flags = f ? this.reader.resolve(f.get('SigFlags')) : undefined
    if (typeof flags === 'number' && (flags & 3) === 3) return
    this.form().set('SigFlags', 3)
  }

  /** Drops `/NeedAppearances true` from the AcroForm (only rewritten when it is set). */
  clearNeedAppearances(): void {
    const f = this.reader.dictAt(this.reader.catalog().get('AcroForm'))
    if (f && this.reader.resolve(f.get('NeedAppearances')) === true) this.form().delete('NeedAppearances')
  }

  addField(field: PdfRef): void {
    const form = this.form()
    form.set('SigFlags', 3)
    const fields = form.get('Fields')
    if (fields instanceof PdfRef) {
      const arr = this.reader.resolve(fields)
      form.set('Fields', [...(Array.isArray(arr) ? arr : []), field])
    } else {
      form.set('Fields', [...(Array.isArray(fields) ? fields : []), field])
    }
  }

  addAnnot(pageRef: PdfRef, annot: PdfRef): void {
    let e = this.pageAnnots.get(pageRef.num)
    if (!e) this.pageAnnots.set(pageRef.num, (e = { ref: pageRef, add: [] }))
    e.add.push(annot)
  }

  flush(): void {
    for (const { ref, add } of this.pageAnnots.values()) {
      const page = (this.reader.dictAt(ref) as PdfDict).clone()
      const annots = page.get('Annots')
      if (annots instanceof PdfRef) {
        const arr = this.reader.resolve(annots)
        this.writer.set(annots, [...(Array.isArray(arr) ? arr : []), ...add])
      } else {
        page.set('Annots', [...(Array.isArray(annots) ? annots : []), ...add])
        this.writer.set(ref, page)
      }
    }
    if (this.acroForm) {
      if (this.acroForm.ref) {
        this.writer.set(this.acroForm.ref, this.acroForm.dict)
        if (!(this.reader.catalog().get('AcroForm') instanceof PdfRef)) this.catalog().set('AcroForm', this.acroForm.ref)
      } else {
        this.catalog().set('AcroForm', this.acroForm.dict)
      }
    }
    if (this.catalogDict) this.writer.set(this.reader.rootRef, this.catalogDict)
  }
}

function pageIndexOf(reader: PdfReader, page: number | 'last'): number {
  const count = reader.pageCount()
  const idx = page === 'last' ? count - 1 : page
  if (idx < 0 || idx >= count) {
    throw new PdfFormatError('UNSUPPORTED', `page ${idx + 1} does not exist (the document has ${count} pages)`)
  }
  return idx
}

/** The visible page box [x0, y0, x1, y1] (CropBox clipped to the MediaBox, else MediaBox), in default user space. */
export function pageBox(reader: PdfReader, pageRef: PdfRef): [number, number, number, number] {
  return pageGeometry(reader, pageRef).box
}

/**
 * The default stamp rectangle (default user space): the bottom-right corner of the displayed page,
 * moved left (then up) past widgets already on the page.
 */
function freeSlot(reader: PdfReader, pageRef: PdfRef, g: PageGeometry, width: number, height: number): [number, number, number, number] {
  const page = reader.dictAt(pageRef) as PdfDict
  const annots = reader.resolve(page.get('Annots'))
  const taken: number[][] = []
  if (Array.isArray(annots)) {
    for (const a of annots) {
      const d = reader.dictAt(a)
      if (!d || d.name('Subtype') !== 'Widget') continue
      const r = reader.resolve(d.get('Rect'))
      if (Array.isArray(r) && r.length === 4) taken.push(r.map((v) => Number(reader.resolve(v))))
    }
  }
  const margin = 36
  for (let row = 0; row < 6; row++) {
    for (let col = 0; col < 4; col++) {
      const x = g.width - margin - width - col * (width + 10)
      const y = margin + row * (height + 10)
      if (x < 0 || y + height > g.height) continue
      const r = displayRectToUser(g, [x, y, width, height])
      const overlaps = taken.some((t) => r[0] < Math.max(t[0], t[2]) && Math.min(t[0], t[2]) < r[2] && r[1] < Math.max(t[1], t[3]) && Math.min(t[1], t[3]) < r[3])
      if (!overlaps) return r
    }
  }
  return displayRectToUser(g, [g.width - margin - width, margin, width, height])
}

/** `/MK << /R n >>` for a widget on a rotated page (how viewers that regenerate appearances orient it). */
export function rotationMk(rotation: PageRotation): PdfDict | undefined {
  return rotation ? dict({ R: rotation }) : undefined
}

async function createField(
  reader: PdfReader,
  writer: IncrementalWriter,
  edits: DocumentEdits,
  fieldName: string,
  sigRef: PdfRef,
  o: PrepareSignatureOptions,
): Promise<void> {
  const pageIdx = pageIndexOf(reader, o.placement?.page ?? 0)
  const pageRef = reader.pageRef(pageIdx)
  const g = pageGeometry(reader, pageRef)
  let rect: [number, number, number, number] = [0, 0, 0, 0]
  if (o.placement) {
    rect = o.placement.rect
      ? displayRectToUser(g, o.placement.rect)
      : freeSlot(reader, pageRef, g, DEFAULT_STAMP_SIZE.width, DEFAULT_STAMP_SIZE.height)
  }
  const fieldRef = writer.allocate()
  const visible = rect[2] > rect[0] && rect[3] > rect[1]
  let ap: PdfRef | undefined
  if (visible && o.appearance) {
    ap = await o.appearance.build(writer, reader, { index: 0, kind: 'main', ...displaySize(rect, g.rotation), rotation: g.rotation })
  }
  const widget = widgetAnnotation(rect, pageRef)
  if (ap) widget.set('AP', dict({ N: ap }))
  const mk = visible ? rotationMk(g.rotation) : undefined
  if (mk) widget.set('MK', mk)
  if (!o.crossPageSeal) {
    widget.set('FT', PdfName.of('Sig')).set('T', PdfString.text(fieldName)).set('V', sigRef)
    writer.set(fieldRef, widget)
    edits.addAnnot(pageRef, fieldRef)
  } else {
    const kids: PdfRef[] = []
    const mainRef = writer.allocate()
    writer.set(mainRef, widget)
    edits.addAnnot(pageRef, mainRef)
    kids.push(mainRef)
    const n = reader.pageCount()
    for (let i = 0; i < n; i++) {
      const { pageRef: pRef, geometry: pg, width: stripW, height: h, widget: strip } = crossPageStrip(reader, i, o.crossPageSeal)
      const wRef = writer.allocate()
      if (o.appearance) {
        const sap = await o.appearance.build(writer, reader, {
          index: i + 1,
          kind: 'strip',
          strip: { index: i, count: n },
          width: stripW,
          height: h,
          rotation: pg.rotation,
        })
        strip.set('AP', dict({ N: sap }))
      }
      writer.set(wRef, strip)
      edits.addAnnot(pRef, wRef)
      kids.push(wRef)
    }
    writer.set(fieldRef, dict({ FT: PdfName.of('Sig'), T: PdfString.text(fieldName), V: sigRef, Kids: kids }))
  }
  edits.addField(fieldRef)
}

async function fillExistingField(
  reader: PdfReader,
  writer: IncrementalWriter,
  fieldRef: PdfRef,
  widgets: PdfRef[],
  sigRef: PdfRef,
  o: PrepareSignatureOptions,
): Promise<void> {
  const field = (reader.dictAt(fieldRef) as PdfDict).clone()
  field.set('V', sigRef)
  const stripWidgets = widgets.filter((w) => w.num !== fieldRef.num)
  let stripIndex = 0
  const stripCount = stripWidgets.filter((w) => isStrip(reader, w)).length
  const widgetRefs = widgets.length ? widgets : [fieldRef]
  let i = 0
  for (const wRef of widgetRefs) {
    const wd = wRef.num === fieldRef.num ? field : (reader.dictAt(wRef) as PdfDict).clone()
    const rect = ((reader.resolve(wd.get('Rect')) as number[]) ?? [0, 0, 0, 0]).map(Number)
    const rotation = widgetRotation(reader, wd)
    const { width, height } = displaySize(rect, rotation)
    if (o.appearance && width > 0 && height > 0) {
      const strip = wRef.num !== fieldRef.num && isStrip(reader, wRef)
      const ap = await o.appearance.build(writer, reader, {
        index: i,
        kind: strip ? 'strip' : 'main',
        strip: strip ? { index: stripIndex++, count: stripCount } : undefined,
        width,
        height,
        rotation,
      })
      wd.set('AP', dict({ N: ap }))
    }
    if (wRef.num !== fieldRef.num) writer.set(wRef, wd)
    i++
  }
  writer.set(fieldRef, field)
}

/** Strip widgets carry `/QianyueStrip true` (set when they are created). */
function isStrip(reader: PdfReader, ref: PdfRef): boolean {
  return reader.dictAt(ref)?.get('QianyueStrip') === true
}
