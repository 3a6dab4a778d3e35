import ExcelJS from 'exceljs'
import { checkRows, type BulkTemplateShape } from '../../../cloud-functions/core/bulk/check-rows'
import { readSpreadsheet, SPREADSHEET_LIMITS } from '../../../cloud-functions/core/bulk/read-spreadsheet'

const template: BulkTemplateShape = {
  placeholders: [{ key: '月薪', maxLength: 10 }, { key: '入职日期' }],
  roles: [
    { roleId: 'a', label: '甲方', kind: 'company', sender: true },
    { roleId: 'b', label: '乙方', kind: 'person' },
  ],
}

async function xlsx(fill: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook()
  fill(wb.addWorksheet('Sheet1'))
  return new Uint8Array(await wb.xlsx.writeBuffer())
}

const utf8 = (s: string) => new TextEncoder().encode(s)

describe('readSpreadsheet', () => {
  it('reads UTF-8 CSV with and without a BOM, and GBK CSV', async () => {
    const text = '乙方姓名,乙方手机,月薪,入职日期\n张三,13812345678,8000,2026-01-01\n'
    for (const bytes of [utf8(text), new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)])]) {
      const r = await readSpreadsheet(bytes)
      expect(r.ok && r.value.header).toEqual(['乙方姓名', '乙方手机', '月薪', '入职日期'])
      expect(r.ok && r.value.rows).toEqual([{ rowNumber: 2, cells: ['张三', '13812345678', '8000', '2026-01-01'] }])
    }
    // "张三" in GBK: D5 C5 C8 FD
    const gbk = new Uint8Array([...utf8('name\n'), 0xd5, 0xc5, 0xc8, 0xfd, 0x0a])
    const r = await readSpreadsheet(gbk)
    expect(r.ok && r.value.rows[0]!.cells).toEqual(['张三'])
  })

  it('refuses what is not a CSV or XLSX by content, before parsing', async () => {
    const pdf = utf8('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
    const zipNotXlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4])
    for (const bytes of [pdf, png, zipNotXlsx, new Uint8Array(0)]) {
      const r = await readSpreadsheet(bytes)
      expect(!r.ok && r.error.code).toBe('NOT_A_SPREADSHEET')
    }
  })

  it('refuses a file over the byte or row limit', async () => {
    const big = new Uint8Array(SPREADSHEET_LIMITS.maxBytes + 1).fill(0x61)
    const r1 = await readSpreadsheet(big)
    expect(!r1.ok && r1.error.code).toBe('SPREADSHEET_TOO_LARGE')
    const rows = 'a,b\n' + '1,2\n'.repeat(SPREADSHEET_LIMITS.maxRows + 1)
    const r2 = await readSpreadsheet(utf8(rows))
    expect(!r2.ok && r2.error.code).toBe('SPREADSHEET_TOO_LARGE')
    const ok = await readSpreadsheet(utf8('a,b\n' + '1,2\n'.repeat(SPREADSHEET_LIMITS.maxRows)))
    expect(ok.ok && ok.value.rows.length).toBe(SPREADSHEET_LIMITS.maxRows)
  })

  it('reads XLSX: a formula cell as its cached value (never evaluated), numbers, dates, rich text', async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(['乙方姓名', '乙方手机', '月薪', '入职日期', '备注'])
      const row = ws.addRow(['张三', 13812345678, null, new Date(Date.UTC(2026, 0, 15)), { richText: [{ text: '富' }, { text: '文本' }] }])
      // The cached result disagrees with what the formula would compute: only a reader that never evaluates answers 7777.
      row.getCell(3).value = { formula: 'B2*1000', result: 7777 } as ExcelJS.CellFormulaValue
      ws.addRow(['李四', '13912345678', { formula: 'NOW()' } as ExcelJS.CellFormulaValue, '2026-02-01', ''])
    })
    const r = await readSpreadsheet(bytes)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.kind).toBe('xlsx')
    expect(r.value.rows).toEqual([
      { rowNumber: 2, cells: ['张三', '13812345678', '7777', '2026-01-15', '富文本'] },
      { rowNumber: 3, cells: ['李四', '13912345678', '', '2026-02-01', ''] },
    ])
  })
})

describe('checkRows', () => {
  it('lists every row problem with its row number, and normalises phones', async () => {
    const csv = ['乙方姓名,乙方手机,月薪,入职日期', '张三,+86 138-1234-5678,8000,2026-01-01', ',13812345678,8000,2026-01-01', '王五,12345678901,8000,2026-01-01', '赵六,13712345678,12345678901,2026-01-01'].join('\n')
    const sheet = await readSpreadsheet(utf8(csv))
    if (!sheet.ok) throw new Error(sheet.error.message)
    const { rows, missingColumns, columns } = checkRows(template, sheet.value)
    expect(columns.map((c) => c.name)).toEqual(['月薪', '入职日期', '乙方姓名', '乙方手机'])
    expect(missingColumns).toEqual([])
    expect(rows[0]).toEqual({ rowNumber: 2, data: { values: { 月薪: '8000', 入职日期: '2026-01-01' }, parties: { b: { name: '张三', phone: '13812345678' } } }, problems: [] })
    expect(rows.slice(1).map((r) => [r.rowNumber, r.problems.map((p) => p.reason)])).toEqual([
      [3, ['EMPTY_REQUIRED']],
      [4, ['PHONE_INVALID']],
      [5, ['TOO_LONG']],
    ])
  })

  it('a missing column is a problem of every row', async () => {
    const sheet = await readSpreadsheet(utf8('乙方姓名,月薪,入职日期\n张三,1,2\n李四,1,2\n'))
    if (!sheet.ok) throw new Error(sheet.error.message)
    const { rows, missingColumns } = checkRows(template, sheet.value)
    expect(missingColumns).toEqual(['乙方手机'])
    expect(rows.every((r) => r.problems.some((p) => p.reason === 'MISSING_COLUMN' && p.column === '乙方手机'))).toBe(true)
  })
})
