import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ObjectParser } from '../../../cloud-functions/core/pdf/object-parser'
import { PdfFormatError } from '../../../cloud-functions/core/pdf/pdf-errors'
import { PdfDict, PdfName, PdfRef, PdfString, serializeValue } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'

const FIXTURES = join(__dirname, '../../fixtures/pdf')
const fixture = (n: string): Buffer => readFileSync(join(FIXTURES, n))

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return e instanceof PdfFormatError ? e.code : `other: ${(e as Error).message}`
  }
  return undefined
}

describe('ObjectParser', () => {
  it('parses dictionaries, arrays, references, names with #xx, literal and hex strings', () => {
    const src = Buffer.from('<< /Type /Annot /N#20x (a\\(b\\) \\101\\n) /H <FEFF4E2D> /K [1 0 R 2 -3.5 true null] /D << /X 7 0 R >> >>')
    const d = new ObjectParser(src).parseValue() as PdfDict
    expect(d.name('Type')).toBe('Annot')
    expect((d.get('N x') as PdfString).toText()).toBe('a(b) A\n')
    expect((d.get('H') as PdfString).toText()).toBe('中')
    expect(d.get('K')).toEqual([new PdfRef(1, 0), 2, -3.5, true, null])
    expect(((d.get('D') as PdfDict).get('X') as PdfRef).num).toBe(7)
  })

  it('round-trips values through serializeValue', () => {
    const src = '<</A /B#20C/S (x\\)y)/H <00ff>/R 12 0 R/Arr [1 2.5 /N]>>'
    const v = new ObjectParser(Buffer.from(src)).parseValue()
    const again = new ObjectParser(Buffer.from(serializeValue(v), 'latin1')).parseValue()
    expect(again).toEqual(v)
    expect(serializeValue(PdfName.of('a b'))).toBe('/a#20b')
  })
})

describe('PdfReader', () => {
  it('reads a classic xref table (LibreOffice) and finds pages through /Count', () => {
    const r = PdfReader.open(fixture('labor-libreoffice.pdf'))
    expect(r.xrefStyle).toBe('table')
    expect(r.pageCount()).toBe(2)
    expect((r.dictAt(r.pageRef(1)) as PdfDict).name('Type')).toBe('Page')
  })

  it('reads xref streams with PNG predictors and objects inside object streams', () => {
    const bytes = fixture('po-objstm.pdf')
    const r = PdfReader.open(bytes)
    expect(r.xrefStyle).toBe('stream')
    const rootEntry = r.entry(r.rootRef.num)
    expect(rootEntry?.type).toBe(2) // the catalog lives in an object stream
    expect(r.catalog().name('Type')).toBe('Catalog')
    expect(r.pageCount()).toBe(1)
  })

  it('follows the /Prev chain of a linearized file from the first-page xref', () => {
    const r = PdfReader.open(fixture('labor-linearized.pdf'))
    expect(r.sections.length).toBe(2)
    expect(r.startxref).toBeLessThan(2000) // the first-page section sits near the start
    expect(r.pageCount()).toBe(2)
    expect((r.dictAt(r.pageRef(1)) as PdfDict).name('Type')).toBe('Page')
  })

  it('reads hybrid files (classic table + /XRefStm)', () => {
    // Build a hybrid-reference file by hand: objects 1-3 in the table, object 4 only in the xref stream.
    const parts: string[] = ['%PDF-1.5\n']
    const off: number[] = []
    const add = (s: string): void => {
      off.push(parts.join('').length)
      parts.push(s)
    }
    add('1 0 obj\n<</Type/Catalog/Pages 2 0 R/Extra 4 0 R>>\nendobj\n')
    add('2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n')
    add('3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>\nendobj\n')
    add('5 0 obj\n<</Type/ObjStm/N 1/First 4/Length 13>>\nstream\n4 0 (hidden)\nendstream\nendobj\n')
    const row = (t: number, a: number, b: number): number[] => [t, (a >> 8) & 255, a & 255, b]
    const xs = Buffer.from([...row(2, 5, 0)])
    const xrefStmOff = parts.join('').length
    parts.push(`6 0 obj\n<</Type/XRef/Size 7/W[1 2 1]/Index[4 1]/Length ${xs.length}>>\nstream\n${xs.toString('latin1')}\nendstream\nendobj\n`)
    const tableOff = parts.join('').length
    const e = (o: number): string => `${String(o).padStart(10, '0')} 00000 n \n`
    parts.push(`xref\n0 4\n0000000000 65535 f \n${e(off[0])}${e(off[1])}${e(off[2])}5 1\n${e(off[3])}6 1\n${e(xrefStmOff)}`)
    parts.push(`trailer\n<</Size 7/Root 1 0 R/XRefStm ${xrefStmOff}>>\nstartxref\n${tableOff}\n%%EOF\n`)
    const r = PdfReader.open(Buffer.from(parts.join(''), 'latin1'))
    expect(r.xrefStyle).toBe('table')
    expect((r.getObject(4) as PdfString).toText()).toBe('hidden')
  })

  it('refuses input that is not a usable PDF with a precise code', () => {
    const good = fixture('po-chrome.pdf')
    expect(codeOf(() => PdfReader.open(Buffer.from('hello world')))).toBe('NOT_PDF')
    expect(codeOf(() => PdfReader.open(good.subarray(0, good.length - 2000)))).toBe('TRUNCATED')
    expect(codeOf(() => PdfReader.open(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20)])))).toBe('TRUNCATED')
    const nl = good.indexOf(0x0a) + 1
    const shifted = Buffer.concat([good.subarray(0, nl), Buffer.from('%x\n'), good.subarray(nl)])
    expect(codeOf(() => PdfReader.open(shifted))).toBe('BROKEN_XREF')
  })

  it('refuses encrypted files (made by qpdf --encrypt)', () => {
    const r = spawnSync('qpdf', ['--encrypt', 'u', 'o', '256', '--', join(FIXTURES, 'po-chrome.pdf'), '-'], { maxBuffer: 1 << 26 })
    if (r.status !== 0) throw new Error(`qpdf is required for this test (apt-get install -y qpdf): ${r.stderr}`)
    expect(codeOf(() => PdfReader.open(r.stdout))).toBe('ENCRYPTED')
  })

  it('lists signature fields of a file signed by another tool', () => {
    const r = PdfReader.open(fixture('po-presigned.pdf'))
    const fields = r.signatureFields()
    expect(fields).toHaveLength(1)
    expect(fields[0].value).toBeDefined()
    expect(r.hasSignatures()).toBe(true)
  })
})
