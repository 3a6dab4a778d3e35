/**
 * The published attacks on PDF signatures, each built as a file from the papers' descriptions and
 * each flagged — while pdfsig, which does no difference analysis, still prints "Signature is
 * Valid." for most of them:
 * - Mladenov et al., "1 Trillion Dollar Refund", CCS 2019: universal signature forgery (USF),
 *   incremental saving attacks (ISA), signature wrapping (SWA);
 * - Mainka et al., "Shadow Attacks", NDSS 2021: hide, replace, hide-and-replace;
 * - Mainka et al., "Breaking the Specification: PDF Certification", IEEE S&P 2021: evil annotation
 *   (EAA) and sneaky signature (SSA) attacks on certified documents.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { PdfDict, PdfName, PdfRef, PdfString, dict, serializeValue } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { verifyPdf } from '../../../cloud-functions/core/verification/verify-pdf'
import type { VerificationReport } from '../../../cloud-functions/api/verification.types'
import { makePdf } from '../../support/local-app'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { requireTools, tempDir } from '../../support/pdf-tools'
import { addAnnotation, addCustomSignature, addStream, appendRevision, engineCms, expectAgreesWithPdfsig } from '../../support/pdf-verify-kit'

jest.setTimeout(120_000)

let pki: PdfTestPki
let dir: string
beforeAll(async () => {
  requireTools('pdfsig')
  pki = await createPdfTestPki()
  dir = tempDir('qianyue-attacks-')
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

type Judged = { report: VerificationReport | undefined; error?: string; pdfsig: ReturnType<typeof expectAgreesWithPdfsig> }

async function judge(name: string, bytes: Uint8Array): Promise<Judged> {
  const file = join(dir, `${name}.pdf`)
  writeFileSync(file, bytes)
  const r = await verifyPdf(bytes, { trustRoots: [pki.ca.root.certificateDer], now: new Date() })
  if (!r.ok) {
    // Unreadable as a PDF: `esign verify` exits 2, never "valid".
    return { report: undefined, error: r.error.message, pdfsig: [] }
  }
  return { report: r.value, pdfsig: expectAgreesWithPdfsig(file, r.value) }
}

const pdfsigSaysValid = (j: Judged, field: string): boolean => j.pdfsig.some((s) => s.fieldName === field && s.valid)

/** A signed one-page contract that says "Pay 100 EUR". */
async function signedContract(): Promise<Buffer> {
  return signAs(pki, await makePdf('Pay 100 EUR'), '张三')
}

describe('universal signature forgery (USF, CCS 2019): the signature dictionary is redefined with missing, empty or zeroed values', () => {
  const variants: Array<[string, (sig: PdfDict) => PdfDict]> = [
    ['no /Contents', (d) => del(d, 'Contents')],
    ['/Contents null', (d) => d.set('Contents', null)],
    ['/Contents <>', (d) => d.set('Contents', new PdfString(new Uint8Array(), true))],
    ['/Contents zeroed', (d) => d.set('Contents', new PdfString(new Uint8Array(4096), true))],
    ['no /ByteRange', (d) => del(d, 'ByteRange')],
    ['/ByteRange null', (d) => d.set('ByteRange', null)],
    ['/ByteRange []', (d) => d.set('ByteRange', [])],
    ['/ByteRange [0 0 0 0]', (d) => d.set('ByteRange', [0, 0, 0, 0])],
    ['/ByteRange [0 -1 0 -1]', (d) => d.set('ByteRange', [0, -1, 0, -1])],
  ]
  it.each(variants)('%s: not valid, and the document is not valid', async (name, mutate) => {
    const signed = await signedContract()
    const forged = appendRevision(signed, (reader, writer) => {
      const field = reader.signatureFields()[0]
      const sigRef = field.value as PdfRef
      writer.set(sigRef, mutate((reader.dictAt(sigRef) as PdfDict).clone()))
      const page = reader.pageRef(0)
      writer.set(page, (reader.dictAt(page) as PdfDict).clone().set('Contents', addStream(writer, 'BT /F1 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET')))
    })
    const j = await judge(`usf-${name.replace(/\W+/g, '_')}`, forged)
    const report = j.report as VerificationReport
    expect(report.valid).toBe(false)
    const current = report.signatures.filter((s) => s.field === 'Signature1')
    const forgedView = current[current.length - 1]
    expect(forgedView).toMatchObject({ intact: false, valid: false, trusted: false })
    expect(forgedView.problems.map((p) => p.code).some((c) => ['CONTENTS_MISSING', 'BYTE_RANGE_INVALID', 'SIGNATURE_DICTIONARY_INVALID'].includes(c))).toBe(true)
  })
})

describe('incremental saving attacks (ISA, CCS 2019)', () => {
  it('ISA 1: an appended revision changes the page text — pdfsig: valid; verifier: disallowed', async () => {
    const signed = await signedContract()
    const evil = appendRevision(signed, (reader, writer) => {
      const page = reader.pageRef(0)
      writer.set(page, (reader.dictAt(page) as PdfDict).clone().set('Contents', addStream(writer, 'BT /F1 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET')))
    })
    const j = await judge('isa-1', evil)
    expect(pdfsigSaysValid(j, 'Signature1')).toBe(true)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.signatures[0]).toMatchObject({ intact: true, valid: true, modification: 'disallowed' })
  })

  it('ISA 2: new objects appended without an xref or trailer (viewers repair them in) — trailing bytes are disallowed', async () => {
    const signed = await signedContract()
    const r = PdfReader.open(signed)
    const pageNum = r.pageRef(0).num
    const page = (r.dictAt(r.pageRef(0)) as PdfDict).clone().set('Contents', new PdfRef(r.size, 0))
    const ops = 'BT /F1 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET'
    const body = `\n${r.size} 0 obj\n<</Length ${ops.length}>>stream\n${ops}\nendstream\nendobj\n${pageNum} 0 obj\n${serializeValue(page)}\nendobj\n`
    const evil = Buffer.concat([signed, Buffer.from(body, 'latin1')])
    const j = await judge('isa-2', evil)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.problems.map((p) => p.code)).toContain('TRAILING_BYTES')
    expect(j.report?.signatures[0].modification).toBe('disallowed')
  })

  it('ISA 3: the appended revision also copies the signature dictionary so the signature seems to cover the file — the copy is not where its /ByteRange says', async () => {
    const signed = await signedContract()
    const evil = appendRevision(signed, (reader, writer) => {
      const field = reader.signatureFields()[0]
      const sigRef = field.value as PdfRef
      writer.set(sigRef, (reader.dictAt(sigRef) as PdfDict).clone())
      const page = reader.pageRef(0)
      writer.set(page, (reader.dictAt(page) as PdfDict).clone().set('Contents', addStream(writer, 'BT /F1 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET')))
    })
    const j = await judge('isa-3', evil)
    expect(pdfsigSaysValid(j, 'Signature1')).toBe(true)
    expect(j.report?.valid).toBe(false)
    const last = j.report!.signatures[j.report!.signatures.length - 1]
    expect(last).toMatchObject({ intact: true, valid: false })
    expect(last.problems.map((p) => p.code)).toContain('BYTE_RANGE_INVALID')
  })
})

describe('signature wrapping (SWA, CCS 2019)', () => {
  it('SWA 1: the second signed part is moved behind inserted objects and a new /ByteRange (in unsigned bytes) points at it', async () => {
    const signed = await signedContract()
    const r = PdfReader.open(signed)
    const field = r.signatureFields()[0]
    const sigRef = field.value as PdfRef
    const [, b, c, d] = ((r.dictAt(sigRef) as PdfDict).get('ByteRange') as number[]).map(Number)
    // Inserted objects: a new page content and the page pointing at it.
    const pageRef = r.pageRef(0)
    const evilNum = r.size
    const ops = 'BT /F1 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET'
    const pageDict = (r.dictAt(pageRef) as PdfDict).clone().set('Contents', new PdfRef(evilNum, 0))
    const inserted = Buffer.from(
      `\n${evilNum} 0 obj\n<</Length ${ops.length}>>stream\n${ops}\nendstream\nendobj\n${pageRef.num} 0 obj\n${serializeValue(pageDict)}\nendobj\n`,
      'latin1',
    )
    const shift = inserted.length
    const cPrime = c + shift
    const prefix = signed.subarray(0, c) // part 1 and the original /Contents
    const part2 = signed.subarray(c, c + d)
    const head = Buffer.concat([prefix, inserted, part2])
    // A new revision: the signature dictionary again, with the moved /ByteRange, and an xref that
    // re-addresses everything the move shifted plus the inserted objects.
    const sig = (r.dictAt(sigRef) as PdfDict).clone().set('ByteRange', [0, b, cPrime, d])
    const entries = new Map<number, number>()
    for (const num of r.objectNumbers()) {
      const e = r.entry(num)
      if (e?.type === 1 && e.offset >= c) entries.set(num, e.offset + shift)
    }
    entries.set(evilNum, c + 1)
    entries.set(pageRef.num, c + inserted.indexOf(`${pageRef.num} 0 obj`))
    let tail = '\n'
    entries.set(sigRef.num, head.length + tail.length)
    tail += `${sigRef.num} 0 obj\n${serializeValue(sig)}\nendobj\n`
    const xrefAt = head.length + tail.length
    tail += 'xref\n'
    for (const num of [...entries.keys()].sort((x, y) => x - y)) tail += `${num} 1\n${String(entries.get(num)).padStart(10, '0')} 00000 n\r\n`
    tail += `trailer\n<</Size ${evilNum + 1} /Root ${r.rootRef.num} 0 R /Prev ${r.startxref + (r.startxref >= c ? shift : 0)}>>\nstartxref\n${xrefAt}\n%%EOF\n`
    const wrapped = Buffer.concat([head, Buffer.from(tail, 'latin1')])
    const j = await judge('swa-1', wrapped)
    expect(j.report).toBeDefined()
    expect(j.report?.valid).toBe(false)
    const s = j.report!.signatures[j.report!.signatures.length - 1]
    // The signed bytes are the original ones (pdfsig: valid), but the gap is not this dictionary's /Contents.
    expect(s.intact).toBe(true)
    expect(s.valid).toBe(false)
    expect(s.problems.map((p) => p.message).join(' ')).toMatch(/not exactly this signature's \/Contents/)
  })

  it('SWA 2: objects hidden in the zero padding of /Contents, made live by an appended xref', async () => {
    const { signer } = await pki.issue('张三')
    const signed = await addCustomSignature(await makePdf('Pay 100 EUR'), { cms: engineCms(signer), fieldName: 'Signature1', contentsLast: true })
    const r = PdfReader.open(signed)
    const sigRef = r.signatureFields()[0].value as PdfRef
    const [, b, c] = ((r.dictAt(sigRef) as PdfDict).get('ByteRange') as number[]).map(Number)
    const hex = signed.subarray(b + 1, c - 1).toString('latin1')
    const used = hex.replace(/(00)+$/, '').length + 64 // keep the DER and a little padding
    const evilNum = r.size
    const ops = 'BT /F1 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET'
    const payload = `>>>\nendobj\n${evilNum} 0 obj\n<</Length ${ops.length}>>stream\n${ops}\nendstream\nendobj\n${evilNum + 1} 0 obj\n<</Pad <`
    const at = b + 1 + used
    const wrapped = Buffer.from(signed)
    wrapped.write(payload, at, 'latin1')
    const evilAt = at + payload.indexOf(`${evilNum} 0 obj`)
    const withXref = appendRevision(wrapped, (reader, writer) => {
      const page = reader.pageRef(0)
      writer.set(page, (reader.dictAt(page) as PdfDict).clone().set('Contents', new PdfRef(evilNum, 0)))
      writer.advanceTo(evilNum + 2)
    })
    // Point the appended xref at the hidden object as well (a hand edit of the table the writer made).
    const text = withXref.toString('latin1')
    const xrefPos = text.lastIndexOf('\nxref\n') + 1
    const tableEnd = text.indexOf('trailer', xrefPos)
    const patched = text.slice(0, tableEnd) + `${evilNum} 1\n${String(evilAt).padStart(10, '0')} 00000 n\r\n` + text.slice(tableEnd)
    const j = await judge('swa-2', Buffer.from(patched, 'latin1'))
    expect(j.report?.valid).toBe(false)
    const s = j.report!.signatures[0]
    expect(s.intact).toBe(true)
    expect(s.valid).toBe(false)
    expect(s.problems.map((p) => p.code)).toContain('BYTE_RANGE_INVALID')
    expect(pdfsigSaysValid(j, 'Signature1')).toBe(true)
  })
})

describe('shadow attacks (NDSS 2021): content prepared before signing, switched after', () => {
  /**
   * The attacker's document: two content streams — the real text, then an opaque overlay with the
   * harmless text on top — and a text field already showing a value. Signed as is.
   */
  async function shadowDocument(): Promise<Buffer> {
    const doc = await PDFDocument.create()
    const page = doc.addPage([595, 842])
    const form = doc.getForm()
    const amount = form.createTextField('amount')
    amount.setText('100 EUR')
    amount.addToPage(page, { x: 50, y: 700, width: 200, height: 24 })
    const prepared = appendRevision(await doc.save({ useObjectStreams: false }), (reader, writer) => {
      const pageRef = reader.pageRef(0)
      const font = writer.allocate()
      writer.set(font, dict({ Type: PdfName.of('Font'), Subtype: PdfName.of('Type1'), BaseFont: PdfName.of('Helvetica') }))
      const real = addStream(writer, 'BT /FS 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET')
      const overlay = addStream(writer, 'q 1 1 1 rg 40 770 300 30 re f Q BT /FS 14 Tf 50 780 Td (Pay 100 EUR) Tj ET')
      const pd = (reader.dictAt(pageRef) as PdfDict).clone()
      pd.set('Contents', [real, overlay]).set('Resources', dict({ Font: dict({ FS: font }) }))
      writer.set(pageRef, pd)
    })
    return signAs(pki, prepared, '张三')
  }

  it('hide: the overlay is dropped from the page content array', async () => {
    const signed = await shadowDocument()
    const evil = appendRevision(signed, (reader, writer) => {
      const page = reader.pageRef(0)
      const pd = reader.dictAt(page) as PdfDict
      const contents = reader.resolve(pd.get('Contents'))
      const first = Array.isArray(contents) ? contents[0] : pd.get('Contents')
      writer.set(page, pd.clone().set('Contents', [first as PdfRef]))
    })
    const j = await judge('shadow-hide', evil)
    expect(pdfsigSaysValid(j, 'Signature1')).toBe(true)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.signatures[0].changes.map((c) => c.kind)).toContain('page-content-changed')
  })

  it('hide via referencing: the overlay stream object itself is overwritten, the page dictionary untouched', async () => {
    const signed = await shadowDocument()
    const evil = appendRevision(signed, (reader, writer) => {
      const pd = reader.dictAt(reader.pageRef(0)) as PdfDict
      const contents = reader.resolve(pd.get('Contents'))
      const target = (Array.isArray(contents) ? contents[contents.length - 1] : pd.get('Contents')) as PdfRef
      writer.setStream(target, dict({}), Buffer.from('BT /F1 14 Tf 50 780 Td () Tj ET'))
    })
    const j = await judge('shadow-hide-ref', evil)
    expect(pdfsigSaysValid(j, 'Signature1')).toBe(true)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.signatures[0].changes.map((c) => c.kind)).toContain('page-content-changed')
  })

  it('replace via overlay: a form field that already showed a value is given another', async () => {
    const signed = await shadowDocument()
    const evil = appendRevision(signed, (reader, writer) => {
      const form = reader.dictAt(reader.catalog().get('AcroForm')) as PdfDict
      for (const f of reader.resolve(form.get('Fields')) as PdfRef[]) {
        const d = reader.dictAt(f) as PdfDict
        if ((d.get('T') as PdfString).toText() !== 'amount') continue
        const ap = addStream(writer, '/Tx BMC BT /Helv 12 Tf 2 6 Td (1,000,000 EUR) Tj ET EMC', { Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: [0, 0, 200, 24] })
        writer.set(f, d.clone().set('V', PdfString.text('1,000,000 EUR')).set('AP', dict({ N: ap })))
      }
    })
    const j = await judge('shadow-replace', evil)
    expect(pdfsigSaysValid(j, 'Signature1')).toBe(true)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.signatures[0].changes).toContainEqual(expect.objectContaining({ level: 'disallowed', kind: 'form-field-changed', detail: expect.stringMatching(/"amount" changed after signing: "100 EUR" → "1,000,000 EUR"/) }))
  })

  it('replace via font: the font the page uses is redefined', async () => {
    const signed = await shadowDocument()
    const evil = appendRevision(signed, (reader, writer) => {
      const pd = reader.dictAt(reader.pageRef(0)) as PdfDict
      const res = reader.dictAt(pd.get('Resources')) as PdfDict
      const fonts = reader.dictAt(res.get('Font')) as PdfDict
      const [fontRef] = [...fonts.map.values()] as PdfRef[]
      writer.set(fontRef, (reader.dictAt(fontRef) as PdfDict).clone().set('BaseFont', PdfName.of('Symbol')))
    })
    const j = await judge('shadow-replace-font', evil)
    expect(pdfsigSaysValid(j, 'Signature1')).toBe(true)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.signatures[0].changes.map((c) => c.kind)).toContain('page-content-changed')
  })

  it('hide-and-replace: a second, unreferenced document inside the signed file becomes the document (/Root switched)', async () => {
    const contract = await makePdf('Pay 100 EUR')
    // The attacker's preparation: a whole second catalog and page tree, referenced by nothing.
    const prepared = appendRevision(contract, (reader, writer) => {
      const font = writer.allocate()
      writer.set(font, dict({ Type: PdfName.of('Font'), Subtype: PdfName.of('Type1'), BaseFont: PdfName.of('Helvetica') }))
      const content = addStream(writer, 'BT /F1 14 Tf 50 780 Td (Pay 1,000,000 EUR) Tj ET')
      const pages = writer.allocate()
      const page = writer.allocate()
      writer.set(page, dict({ Type: PdfName.of('Page'), Parent: pages, MediaBox: [0, 0, 595, 842], Contents: content, Resources: dict({ Font: dict({ F1: font }) }) }))
      writer.set(pages, dict({ Type: PdfName.of('Pages'), Kids: [page], Count: 1 }))
      const shadowCatalog = writer.allocate()
      writer.set(shadowCatalog, dict({ Type: PdfName.of('Catalog'), Pages: pages }))
      void reader
    })
    const signed = await signAs(pki, prepared, '张三')
    const shadowCatalogNum = PdfReader.open(prepared).size - 1
    // After signing: only a new trailer whose /Root is the shadow catalog (with the form, so the signature still shows).
    const switched = appendRevision(signed, (reader, writer) => {
      const shadow = (reader.getObject(shadowCatalogNum) as PdfDict).clone().set('AcroForm', reader.catalog().get('AcroForm') as PdfRef)
      writer.set(new PdfRef(shadowCatalogNum, 0), shadow)
      ;(reader.trailer as PdfDict).set('Root', new PdfRef(shadowCatalogNum, 0))
    })
    const j = await judge('shadow-hide-and-replace', switched)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.signatures[0].changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['trailer-changed', 'pages-changed']))
  })
})

describe('attacks on certified documents (IEEE S&P 2021)', () => {
  async function certified(p: 1 | 2 | 3): Promise<Buffer> {
    return signAs(pki, await makePdf('Pay 100 EUR'), 'Qianyue Platform', { fieldName: 'Certification', certify: { permissions: p } })
  }

  function withAnnotation(pdf: Buffer, subtype: string, text: string): Buffer {
    return appendRevision(pdf, (reader, writer) => {
      const page = reader.pageRef(0)
      const ap = addStream(writer, `q 1 1 1 rg 0 0 300 30 re f Q BT /Helv 14 Tf 10 10 Td (${text}) Tj ET`, { Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: [0, 0, 300, 30] })
      const annot = writer.allocate()
      writer.set(annot, dict({ Type: PdfName.of('Annot'), Subtype: PdfName.of(subtype), Rect: [40, 770, 340, 800], Contents: PdfString.text(text), F: 4, P: page, AP: dict({ N: ap }) }))
      addAnnotation(reader, writer, page, annot)
    })
  }

  it.each([2, 3] as const)('evil annotation: a FreeText annotation covering the text of a P=%i certified document', async (p) => {
    const evil = withAnnotation(await certified(p), 'FreeText', 'Pay 1,000,000 EUR')
    const j = await judge(`eaa-p${p}`, evil)
    expect(pdfsigSaysValid(j, 'Certification')).toBe(true)
    expect(j.report?.valid).toBe(false)
    expect(j.report?.signatures[0]).toMatchObject({ kind: 'certification', docMdp: p, modification: 'disallowed' })
    expect(j.report?.signatures[0].changes[0].kind).toBe('annotation-added')
  })

  it('control: a sticky note on a P=3 certified document is an allowed change', async () => {
    const ok = withAnnotation(await certified(3), 'Text', 'Looks good')
    const j = await judge('eaa-control', ok)
    expect(j.report?.valid).toBe(true)
    expect(j.report?.signatures[0].changes).toEqual([expect.objectContaining({ level: 'allowed', kind: 'annotation-added' })])
  })

  it('sneaky signature: a new visible signature field whose appearance draws over the content (unsigned, and signed)', async () => {
    const doc = await certified(2)
    const overlay = 'q 1 1 1 rg 0 0 300 30 re f Q BT /Helv 14 Tf 10 10 Td (Pay 1,000,000 EUR) Tj ET'
    const unsigned = appendRevision(doc, (reader, writer) => {
      const page = reader.pageRef(0)
      const ap = addStream(writer, overlay, { Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: [0, 0, 300, 30] })
      const field = writer.allocate()
      writer.set(field, dict({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.text('Sneaky'), Rect: [40, 770, 340, 800], F: 4, P: page, AP: dict({ N: ap }) }))
      addAnnotation(reader, writer, page, field)
      const formRef = reader.catalog().get('AcroForm') as PdfRef
      const form = (reader.dictAt(formRef) as PdfDict).clone()
      form.set('Fields', [...(reader.resolve(form.get('Fields')) as PdfRef[]), field])
      writer.set(formRef, form)
    })
    const { signer } = await pki.issue('Attacker')
    const signed = await addCustomSignature(doc, { cms: engineCms(signer), fieldName: 'Sneaky', visible: { rect: [40, 770, 300, 30], appearance: overlay } })
    for (const [name, bytes] of [['ssa-unsigned', unsigned], ['ssa-signed', signed]] as const) {
      const j = await judge(name, bytes)
      expect(pdfsigSaysValid(j, 'Certification')).toBe(true)
      expect({ name, valid: j.report?.valid }).toEqual({ name, valid: false })
      expect(j.report?.signatures[0].changes).toContainEqual(expect.objectContaining({ level: 'disallowed', kind: 'signature-field-added', detail: expect.stringMatching(/sneaky signature/) }))
    }
  })
})

function del(d: PdfDict, key: string): PdfDict {
  d.delete(key)
  return d
}
