/**
 * The first revision of generated documents (core/pdf/blank-pdf.ts), judged by qpdf and poppler's pdfinfo.
 */
import fs from 'node:fs'
import path from 'node:path'
import { blankPage, blankPageRef, blankPdf } from '../../../cloud-functions/core/pdf/blank-pdf'
import { PdfString, serializeValue } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { qpdfCheck, requireTools, run, tempDir } from '../../support/pdf-tools'

beforeAll(() => requireTools('qpdf', 'pdfinfo'))

it('writes a valid file of the pages, page size and information asked for', () => {
  const dir = tempDir()
  for (const pages of [1, 4, 23]) {
    const file = path.join(dir, `blank-${pages}.pdf`)
    fs.writeFileSync(file, blankPdf(pages, 595.28, 841.89, { Producer: PdfString.latin1('Qianyue'), CreationDate: PdfString.latin1('D:20261207031900Z'), Title: PdfString.text('证据报告') }))
    const check = qpdfCheck(file)
    expect(check.output).toContain('No syntax or stream encoding errors found')
    expect(check.ok).toBe(true)
    const info = run('pdfinfo', [file])
    expect(info).toMatch(new RegExp(`^Pages:\\s+${pages}$`, 'm'))
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m)
    expect(info).toMatch(/^Producer:\s+Qianyue$/m)
    expect(info).toMatch(/^Title:\s+证据报告$/m)
    expect(info).toMatch(/^CreationDate:\s+.*2026/m)
    expect(PdfReader.open(fs.readFileSync(file)).pageCount()).toBe(pages)
  }
})

it('refuses a page count that is not a positive integer', () => {
  for (const pages of [0, -1, 1.5, Number.NaN]) expect(() => blankPdf(pages, 100, 100, {})).toThrow(RangeError)
})

it('blankPageRef and blankPage name each page object as the file has it (an update replaces pages without reading them back)', () => {
  const bytes = blankPdf(3, 595.28, 841.89, {})
  const reader = PdfReader.open(bytes)
  for (let i = 0; i < 3; i++) {
    expect(reader.pageRef(i)).toEqual(blankPageRef(i))
    expect(serializeValue(reader.dictAt(reader.pageRef(i))!)).toBe(serializeValue(blankPage(595.28, 841.89)))
  }
})
