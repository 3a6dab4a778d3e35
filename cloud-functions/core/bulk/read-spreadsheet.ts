import type { CellValue } from 'exceljs'
import type JSZip from 'jszip'
import Papa from 'papaparse'
import { err, ok, type Result } from '../shared/result'

/** Bounds checked before any parser runs (bytes, rows) and while reading (cells). */
export const SPREADSHEET_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  /** Data rows (the header row not counted). */
  maxRows: 5000,
  maxColumns: 100,
  /** An XLSX is a zip: its parts together may not inflate past this (a zip bomb is refused before exceljs reads it). */
  maxXlsxInflatedBytes: 60 * 1024 * 1024,
  maxCellChars: 2000,
} as const

export type SpreadsheetKind = 'xlsx' | 'csv'

/** The header row and each data row as text cells; `rowNumber` is the row as a spreadsheet program numbers it (header = 1). */
export type Sheet = { kind: SpreadsheetKind; header: string[]; rows: Array<{ rowNumber: number; cells: string[] }> }

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

/**
 * What a file is, by its content (the declared type and name are not trusted): a zip (`PK\x03\x04`)
 * is an XLSX candidate; text in UTF-8 (with or without a BOM) or GBK without NUL bytes is CSV;
 * anything else is not a spreadsheet. Returns the CSV text already decoded.
 */
export function sniffSpreadsheet(bytes: Uint8Array): { kind: 'xlsx' } | { kind: 'csv'; text: string } | undefined {
  if (bytes.length >= 4 && ZIP_MAGIC.every((b, i) => bytes[i] === b)) return { kind: 'xlsx' }
  if (bytes.length === 0 || bytes.includes(0)) return undefined
  for (const encoding of ['utf-8', 'gbk']) {
    try {
      let text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes)
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      // Control characters other than tab / CR / LF mean a binary file.
      if (hasControlCharacters(text)) return undefined
      if (text.startsWith('%PDF')) return undefined
      return { kind: 'csv', text }
    } catch {
      // not this encoding
    }
  }
  return undefined
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true
  }
  return false
}

const tooLarge = (what: string, details: Record<string, unknown>) => err('SPREADSHEET_TOO_LARGE', what, details)

/**
 * Read a CSV or XLSX upload into text cells: the type by content, the byte size and row count
 * checked before parsing (`NOT_A_SPREADSHEET`, `SPREADSHEET_TOO_LARGE`), the first worksheet of an
 * XLSX, formula cells as their cached result (exceljs never evaluates formulas), dates as
 * `YYYY-MM-DD`, numbers as written. Cells are trimmed; fully empty rows are skipped.
 */
export async function readSpreadsheet(bytes: Uint8Array): Promise<Result<Sheet>> {
  if (bytes.length > SPREADSHEET_LIMITS.maxBytes) return tooLarge(`表格文件超过 ${SPREADSHEET_LIMITS.maxBytes / 1024 / 1024} MB 上限`, { maxBytes: SPREADSHEET_LIMITS.maxBytes })
  const sniffed = sniffSpreadsheet(bytes)
  if (!sniffed) return err('NOT_A_SPREADSHEET', '文件不是 CSV 或 XLSX 表格')
  const table = sniffed.kind === 'csv' ? readCsv(sniffed.text) : await readXlsx(bytes)
  if (!table.ok) return table
  const [first, ...rest] = table.value
  if (!first) return err('SPREADSHEET_UNREADABLE', '表格是空的：第 1 行应为列名')
  const header = first.cells.map((c) => c.trim())
  const rows = rest.filter((r) => r.cells.some((c) => c.trim() !== ''))
  if (rows.length > SPREADSHEET_LIMITS.maxRows) return tooLarge(`表格超过 ${SPREADSHEET_LIMITS.maxRows} 行上限`, { maxRows: SPREADSHEET_LIMITS.maxRows })
  return ok({ kind: sniffed.kind, header, rows })
}

type RawRow = { rowNumber: number; cells: string[] }

function readCsv(text: string): Result<RawRow[]> {
  // Row bound before parsing: a line count is an upper bound of the rows (quoted cells may hold newlines).
  let lines = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++
  if (lines > SPREADSHEET_LIMITS.maxRows * 2 + 10) return tooLarge(`表格超过 ${SPREADSHEET_LIMITS.maxRows} 行上限`, { maxRows: SPREADSHEET_LIMITS.maxRows })
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, dynamicTyping: false })
  const fatal = parsed.errors.find((e) => e.type === 'Quotes')
  if (fatal) return err('SPREADSHEET_UNREADABLE', `CSV 第 ${(fatal.row ?? 0) + 1} 行的引号不成对`, { row: (fatal.row ?? 0) + 1 })
  const rows: RawRow[] = []
  parsed.data.forEach((cells, i) => rows.push({ rowNumber: i + 1, cells: cells.slice(0, SPREADSHEET_LIMITS.maxColumns).map((c) => String(c ?? '').trim()) }))
  if (rows.length > SPREADSHEET_LIMITS.maxRows + 1 && rows.slice(SPREADSHEET_LIMITS.maxRows + 1).some((r) => r.cells.some((c) => c !== ''))) {
    return tooLarge(`表格超过 ${SPREADSHEET_LIMITS.maxRows} 行上限`, { maxRows: SPREADSHEET_LIMITS.maxRows })
  }
  return ok(rows)
}

async function readXlsx(bytes: Uint8Array): Promise<Result<RawRow[]>> {
  // exceljs and jszip load on the first XLSX, not with the handler (they are most of the bulk function's cold start).
  const [{ default: JSZipModule }, { Workbook }] = await Promise.all([import('jszip'), import('exceljs')])
  let zip: JSZip
  try {
    zip = await JSZipModule.loadAsync(bytes)
  } catch {
    return err('NOT_A_SPREADSHEET', '文件不是 CSV 或 XLSX 表格')
  }
  if (!zip.file('[Content_Types].xml') || !Object.keys(zip.files).some((n) => n.startsWith('xl/worksheets/'))) return err('NOT_A_SPREADSHEET', '文件不是 CSV 或 XLSX 表格（压缩包里没有工作表）')
  // The central directory's declared sizes: bounded before anything is inflated.
  let inflated = 0
  for (const f of Object.values(zip.files)) inflated += (f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0
  if (inflated > SPREADSHEET_LIMITS.maxXlsxInflatedBytes) return tooLarge('表格解压后过大', { maxInflatedBytes: SPREADSHEET_LIMITS.maxXlsxInflatedBytes })
  const workbook = new Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
  } catch {
    return err('SPREADSHEET_UNREADABLE', 'XLSX 文件已损坏，无法读取')
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) return err('SPREADSHEET_UNREADABLE', 'XLSX 文件里没有工作表')
  if (sheet.actualRowCount > SPREADSHEET_LIMITS.maxRows + 1) return tooLarge(`表格超过 ${SPREADSHEET_LIMITS.maxRows} 行上限`, { maxRows: SPREADSHEET_LIMITS.maxRows })
  const rows: RawRow[] = []
  const width = Math.min(sheet.columnCount, SPREADSHEET_LIMITS.maxColumns)
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value).trim())
    rows.push({ rowNumber, cells })
  })
  return ok(rows)
}

/** A cell as text: a formula's cached result (never evaluated), rich text joined, a date as YYYY-MM-DD. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)))
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('')
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: CellValue }).result ?? null)
    if ('text' in value && 'hyperlink' in value) return cellText((value as { text: CellValue }).text)
    if ('error' in value) return ''
  }
  return ''
}
