import { createHash } from 'node:crypto'
import { checkRows, type BulkColumn, type CheckedRow } from '../../core/bulk/check-rows'
import type { SpreadsheetKind } from '../../core/bulk/read-spreadsheet'
import { ok, type Result } from '../../core/shared/result'
import type { BulkDeps } from './deps'

export type BulkFile = { fileSha256: string; kind: SpreadsheetKind; columns: BulkColumn[]; missingColumns: string[]; rows: CheckedRow[]; roleLabels: Map<string, string> }

/** An upload checked against a template: the file read on the CPU pool (type, size and rows bounded first), every row's problems found. */
export async function readBulkFile(deps: Pick<BulkDeps, 'templates' | 'cpu'>, input: { userId: string; templateId: string; bytes: Uint8Array }): Promise<Result<BulkFile>> {
  const template = await deps.templates.shape({ userId: input.userId, templateId: input.templateId })
  if (!template.ok) return template
  const sheet = await deps.cpu.readSpreadsheet(input.bytes)
  if (!sheet.ok) return sheet
  const checked = checkRows(template.value, sheet.value)
  const fileSha256 = createHash('sha256').update(input.bytes).digest('hex')
  return ok({ fileSha256, kind: sheet.value.kind, ...checked, roleLabels: new Map(template.value.roles.map((r) => [r.roleId, r.label])) })
}
