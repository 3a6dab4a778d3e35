import { parsePhone } from '../identity/phone'
import type { Sheet } from './read-spreadsheet'

/** What bulk send needs of a template: its placeholders and its roles (the sender's role is filled by the sender, not the sheet). */
export type BulkTemplateShape = {
  placeholders: Array<{ key: string; label?: string; maxLength?: number; required?: boolean }>
  roles: Array<{ roleId: string; label: string; kind: 'person' | 'company'; sender?: true }>
}

/** One column the sheet must have, and where its value goes. */
export type BulkColumn =
  | { name: string; target: 'placeholder'; key: string; maxLength: number; required: boolean }
  | { name: string; target: 'name' | 'phone' | 'companyName'; roleId: string; maxLength: number; required: true }

export type BulkRowProblem = { column?: string; reason: 'MISSING_COLUMN' | 'EMPTY_REQUIRED' | 'PHONE_INVALID' | 'TOO_LONG'; message: string }

/** A row ready to send: placeholder values and each non-sender role's recipient. */
export type BulkRowData = { values: Record<string, string>; parties: Record<string, { name: string; phone: string; companyName?: string }> }

export type CheckedRow = { rowNumber: number; data: BulkRowData; problems: BulkRowProblem[] }

/** Longest text a placeholder takes when the template sets no bound (the template's own box may still refuse it at send). */
export const DEFAULT_PLACEHOLDER_MAX = 200
const NAME_MAX = 60
const COMPANY_MAX = 100

/**
 * The columns a template's sheet has (the rule written in docs/BULK-SEND.md and on the page): one
 * per placeholder key, named exactly as the key; for each role that is not the sender's,
 * `<角色名>姓名` and `<角色名>手机` (e.g. 乙方姓名, 乙方手机), and for a company role also
 * `<角色名>企业名称`. Column order is free; extra columns are ignored. A placeholder named like a
 * recipient column (a `{{乙方姓名}}` in the text) is filled from that same column.
 */
export function bulkColumns(t: BulkTemplateShape): BulkColumn[] {
  const columns: BulkColumn[] = t.placeholders.map((p) => ({ name: p.key, target: 'placeholder', key: p.key, maxLength: p.maxLength ?? DEFAULT_PLACEHOLDER_MAX, required: p.required ?? true }))
  for (const r of t.roles) {
    if (r.sender) continue
    columns.push({ name: `${r.label}姓名`, target: 'name', roleId: r.roleId, maxLength: NAME_MAX, required: true })
    columns.push({ name: `${r.label}手机`, target: 'phone', roleId: r.roleId, maxLength: 20, required: true })
    if (r.kind === 'company') columns.push({ name: `${r.label}企业名称`, target: 'companyName', roleId: r.roleId, maxLength: COMPANY_MAX, required: true })
  }
  return columns
}

/**
 * Every data row checked against the template's columns, without sending anything: a column the
 * header lacks is a problem of every row (`MISSING_COLUMN`), then per cell an empty required value,
 * a phone that is not a mainland mobile number (core/identity/phone.ts) or a value over its bound.
 * Phones come back normalised to 11 digits.
 */
export function checkRows(t: BulkTemplateShape, sheet: Sheet): { columns: BulkColumn[]; missingColumns: string[]; rows: CheckedRow[] } {
  const columns = bulkColumns(t)
  const index = new Map<string, number>()
  sheet.header.forEach((h, i) => {
    if (h && !index.has(h)) index.set(h, i)
  })
  const missingColumns = [...new Set(columns.filter((c) => !index.has(c.name)).map((c) => c.name))]
  const rows = sheet.rows.map((row): CheckedRow => {
    const problems: BulkRowProblem[] = missingColumns.map((name) => ({ column: name, reason: 'MISSING_COLUMN', message: `缺少列「${name}」` }))
    const data: BulkRowData = { values: {}, parties: {} }
    for (const c of columns) {
      const at = index.get(c.name)
      if (at === undefined) continue
      const value = (row.cells[at] ?? '').trim()
      if (value === '') {
        if (c.required) problems.push({ column: c.name, reason: 'EMPTY_REQUIRED', message: `「${c.name}」不能为空` })
        if (c.target === 'placeholder') data.values[c.key] = ''
        continue
      }
      if ([...value].length > c.maxLength) {
        problems.push({ column: c.name, reason: 'TOO_LONG', message: `「${c.name}」超过 ${c.maxLength} 个字` })
        continue
      }
      if (c.target === 'placeholder') {
        data.values[c.key] = value
        continue
      }
      const party = (data.parties[c.roleId] ??= { name: '', phone: '' })
      if (c.target === 'phone') {
        const phone = parsePhone(value, c.name)
        if (!phone.ok) problems.push({ column: c.name, reason: 'PHONE_INVALID', message: `「${c.name}」不是 11 位中国大陆手机号` })
        else party.phone = phone.value
      } else if (c.target === 'name') party.name = value
      else party.companyName = value
    }
    return { rowNumber: row.rowNumber, data, problems }
  })
  return { columns, missingColumns, rows }
}
