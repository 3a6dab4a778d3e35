import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadNotoSansSc } from '../../../cloud-functions/adapters/local/noto-sans-sc-font'
import { fillPlaceholders, layoutPlaceholder } from '../../../cloud-functions/core/templates/fill-placeholders'
import { checkPlaceholderValues, type TemplatePlaceholder } from '../../../cloud-functions/core/templates/template'
import { wrapText } from '../../../cloud-functions/core/templates/wrap-text'
import { makePdf } from '../../support/local-app'

const mono = (t: string) => [...t].length * 10

describe('wrapText: Chinese breaks per character, Latin at spaces', () => {
  it('breaks CJK between any two characters', () => {
    expect(wrapText('甲乙丙丁戊己庚', mono, 30)).toEqual(['甲乙丙', '丁戊己', '庚'])
  })
  it('keeps Latin words whole and drops the space at a break', () => {
    expect(wrapText('Zhang San Li', mono, 60)).toEqual(['Zhang', 'San Li'])
    expect(wrapText('乙方 Zhang San', mono, 50)).toEqual(['乙方', 'Zhang', 'San'])
  })
  it('breaks a word wider than the line inside it, and keeps new lines', () => {
    expect(wrapText('abcdefgh', mono, 30)).toEqual(['abc', 'def', 'gh'])
    expect(wrapText('一\n二', mono, 100)).toEqual(['一', '二'])
  })
})

describe('layoutPlaceholder: a value fits its box or is refused with its key', () => {
  const p: TemplatePlaceholder = { key: '月薪', page: 0, rect: [0, 0, 52, 30], fontSize: 10 }
  it('fits two lines of 10 pt in a 30 pt box', () => {
    const r = layoutPlaceholder(p, '一二三四五六七八九十', (t, s) => ([...t].length * s))
    expect(r.ok && r.value.lines).toEqual(['一二三四五', '六七八九十'])
  })
  it('refuses a third line', () => {
    const r = layoutPlaceholder(p, '一二三四五六七八九十十一', (t, s) => ([...t].length * s))
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('TEMPLATE_VALUE_TOO_LONG')
      expect(r.error.details?.key).toBe('月薪')
      expect(r.error.message).toContain('月薪')
    }
  })
})

describe('checkPlaceholderValues', () => {
  const ps = [{ key: '乙方姓名' }, { key: '月薪', maxLength: 5 }]
  it('wants every key, no unknown key, within maxLength', () => {
    expect(checkPlaceholderValues(ps, { 乙方姓名: ' 张三 ', 月薪: '8000' })).toEqual({ ok: true, value: { 乙方姓名: '张三', 月薪: '8000' } })
    expect(checkPlaceholderValues(ps, { 乙方姓名: '张三' })).toMatchObject({ ok: false, error: { code: 'TEMPLATE_VALUE_INVALID', details: { key: '月薪' } } })
    expect(checkPlaceholderValues(ps, { 乙方姓名: '张三', 月薪: '1', 其他: 'x' })).toMatchObject({ ok: false, error: { code: 'TEMPLATE_VALUE_INVALID', details: { key: '其他' } } })
    expect(checkPlaceholderValues(ps, { 乙方姓名: '张三', 月薪: '123456' })).toMatchObject({ ok: false, error: { code: 'TEMPLATE_VALUE_TOO_LONG', details: { key: '月薪' } } })
  })
})

describe('fillPlaceholders: the values in the PDF, in an embedded CJK subset font, as an incremental update', () => {
  const font = loadNotoSansSc()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpl-fill-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('draws wrapped Chinese and Latin text that pdftotext reads back; qpdf finds no error; pdffonts shows the embedded subset', async () => {
    const pdf = await makePdf('Labour contract', 2)
    const placeholders: TemplatePlaceholder[] = [
      { key: '乙方姓名', page: 0, rect: [72, 600, 200, 20] },
      { key: '岗位职责', page: 1, rect: [72, 400, 120, 80], fontSize: 10 },
    ]
    const r = fillPlaceholders(pdf, placeholders, { 乙方姓名: '张三丰', 岗位职责: '负责华东区的销售与客户维护 Key Account Manager' }, font)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    // An incremental update: the original bytes are untouched.
    expect(Buffer.from(r.value.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true)
    const file = path.join(dir, 'filled.pdf')
    fs.writeFileSync(file, r.value)
    execFileSync('qpdf', ['--check', file])
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8')
    expect(text).toContain('张三丰')
    expect(text).toContain('Labour contract - page 1')
    expect(text.replace(/\s+/g, '')).toContain('负责华东区的销售与客户维护')
    expect(text).toContain('Manager')
    const fonts = execFileSync('pdffonts', [file]).toString('utf8')
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
  })

  it('refuses a value too long for its box, naming the key', async () => {
    const pdf = await makePdf()
    const r = fillPlaceholders(pdf, [{ key: '乙方姓名', page: 0, rect: [72, 600, 60, 16] }], { 乙方姓名: '这是一个非常非常长的名字放不下' }, font)
    expect(r).toMatchObject({ ok: false, error: { code: 'TEMPLATE_VALUE_TOO_LONG', details: { key: '乙方姓名' } } })
  })

  it('refuses a character the font cannot show', async () => {
    const pdf = await makePdf()
    const r = fillPlaceholders(pdf, [{ key: '备注', page: 0, rect: [72, 600, 200, 20] }], { 备注: '\u{10FFFD}' }, font)
    expect(r).toMatchObject({ ok: false, error: { code: 'TEMPLATE_VALUE_INVALID', details: { key: '备注' } } })
  })

  it('draws upright on a rotated page', async () => {
    const { PDFDocument, degrees } = await import('pdf-lib')
    const doc = await PDFDocument.load(await makePdf())
    doc.getPage(0).setRotation(degrees(90))
    const pdf = await doc.save({ useObjectStreams: false })
    const r = fillPlaceholders(pdf, [{ key: '甲方名称', page: 0, rect: [50, 400, 300, 20] }], { 甲方名称: '签约科技有限公司' }, font)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const file = path.join(dir, 'rotated.pdf')
    fs.writeFileSync(file, r.value)
    execFileSync('qpdf', ['--check', file])
    expect(execFileSync('pdftotext', [file, '-']).toString('utf8')).toContain('签约科技有限公司')
  })
})
