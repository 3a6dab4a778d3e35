import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IncrementalWriter } from '../../../cloud-functions/core/pdf/incremental-writer'
import { PdfDict, PdfName, PdfRef, PdfString, dict, serializeValue } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { rawPdf } from '../../support/pdf-verify-kit'

const FIXTURES = join(__dirname, '../../fixtures/pdf')

function appendNote(file: string): { before: Buffer; after: Buffer; num: number } {
  const before = readFileSync(join(FIXTURES, file))
  const reader = PdfReader.open(before)
  const w = new IncrementalWriter(reader)
  const ref = w.allocate()
  w.set(ref, dict({ Type: PdfName.of('Note'), Text: PdfString.text('追加') }))
  const cat = reader.catalog().clone().set('QianyueNote', ref)
  w.set(reader.rootRef, cat)
  const { appended } = w.build()
  return { before, after: Buffer.concat([before, appended]), num: ref.num }
}

describe('IncrementalWriter', () => {
  it('setInfo replaces /Info entries in the update and buildFile is the original bytes followed by it', () => {
    const before = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const reader = PdfReader.open(before)
    const infoRef = reader.trailer.get('Info') as PdfRef
    const oldInfo = reader.dictAt(infoRef) as PdfDict
    const w = new IncrementalWriter(reader)
    w.setInfo({ Title: PdfString.text('劳动合同（签署版）'), Keywords: PdfString.latin1('K-1') })
    const file = Buffer.from(w.buildFile())
    expect(Buffer.compare(file.subarray(0, before.length), before)).toBe(0)
    const r = PdfReader.open(file)
    const info = r.dictAt(r.trailer.get('Info')) as PdfDict
    expect((info.get('Title') as PdfString).toText()).toBe('劳动合同（签署版）')
    expect((info.get('Keywords') as PdfString).toText()).toBe('K-1')
    // Entries not named stay as they were.
    expect(oldInfo.has('Producer')).toBe(true)
    expect(serializeValue(info.get('Producer')!)).toBe(serializeValue(oldInfo.get('Producer')!))
  })

  it.each([
    ['labor-libreoffice.pdf', 'table'],
    ['po-objstm.pdf', 'stream'],
    ['labor-linearized.pdf', 'table'],
    ['po-presigned.pdf', 'table'],
  ])('appends to %s in the previous xref style (%s), with /Prev, /Root and /ID kept', (file, style) => {
    const { before, after, num } = appendNote(file)
    expect(Buffer.compare(after.subarray(0, before.length), before)).toBe(0)
    const prev = PdfReader.open(before)
    const r = PdfReader.open(after)
    expect(r.xrefStyle).toBe(style)
    expect(r.trailer.get('Prev')).toBe(prev.startxref)
    expect(r.rootRef).toEqual(prev.rootRef)
    expect(r.trailer.get('ID')).toEqual(prev.trailer.get('ID'))
    expect(r.size).toBeGreaterThan(num)
    const note = r.dictAt(r.catalog().get('QianyueNote')) as PdfDict
    expect((note.get('Text') as PdfString).toText()).toBe('追加')
    expect(r.pageCount()).toBe(prev.pageCount())
  })

  it('writes 20-byte classic xref entries', () => {
    const { before, after } = appendNote('labor-libreoffice.pdf')
    const tail = after.subarray(before.length).toString('latin1')
    const entries = tail.match(/^\d{10} \d{5} n\r\n/gm) ?? []
    expect(entries.length).toBe(2)
    entries.forEach((e) => expect(e.length).toBe(20))
  })
})

describe('IncrementalWriter: values read from the file are written back as they were', () => {
  const page = '<</Type /Page /MediaBox [0 0 595.303937007874 841.889763779528] /UserUnit 1.0 /T <4A4B> /N /A#20B>>'
  const read = (): PdfDict => {
    const reader = PdfReader.open(rawPdf({ 1: '<</Type /Catalog>>', 2: page }))
    return (reader.dictAt(new PdfRef(2, 0)) as PdfDict).clone()
  }

  it('keeps number lexemes, hex strings and name spellings of an unchanged value', () => {
    expect(serializeValue(read())).toBe('<</Type /Page/MediaBox [0 0 595.303937007874 841.889763779528]/UserUnit 1.0/T <4A4B>/N /A#20B>>')
  })

  it('writes a value the caller changed as the new value, never the stale lexeme', () => {
    const d = read()
    const box = d.get('MediaBox') as number[]
    box[2] = 600.5
    d.set('UserUnit', 2)
    d.set('T', PdfString.latin1('JK'))
    d.set('N', PdfName.of('A B'))
    expect(serializeValue(d)).toBe('<</Type /Page/MediaBox [0 0 600.5 841.889763779528]/UserUnit 2/T (JK)/N /A#20B>>')
  })
})
