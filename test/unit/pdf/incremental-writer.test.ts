import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IncrementalWriter } from '../../../cloud-functions/core/pdf/incremental-writer'
import { PdfDict, PdfName, PdfString, dict } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'

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
