import type { BulkPreview } from '../../api/bulk.types'
import { maskPhone } from '../../core/shared/mask'
import { ok, type Result } from '../../core/shared/result'
import type { BulkDeps } from './deps'
import { readBulkFile } from './read-bulk-file'
import { bulkJobId, loadJob } from './records'

const FIRST_ROWS = 10

/**
 * The preview of a bulk send, before anything is sent or stored: the columns the template needs,
 * the first rows as they will be used (phones masked) and every row's problems (row number, column,
 * reason). When this user already sent this file with this template, the job it made.
 */
export async function previewBulkSend(deps: Pick<BulkDeps, 'templates' | 'metadata' | 'cpu'>, input: { userId: string; templateId: string; bytes: Uint8Array }): Promise<Result<BulkPreview>> {
  const file = await readBulkFile(deps, input)
  if (!file.ok) return file
  const { fileSha256, kind, columns, missingColumns, rows } = file.value
  const existing = await loadJob(deps.metadata, bulkJobId(input.userId, input.templateId, fileSha256))
  const firstRows = rows.slice(0, FIRST_ROWS).map((r) => {
    const cells: Record<string, string> = {}
    for (const c of columns) {
      if (c.target === 'placeholder') cells[c.name] ??= r.data.values[c.key] ?? ''
      else {
        const party = r.data.parties[c.roleId]
        const v = party?.[c.target] ?? ''
        cells[c.name] = c.target === 'phone' && v ? maskPhone(v) : v
      }
    }
    return { rowNumber: r.rowNumber, cells }
  })
  const problems = rows.filter((r) => r.problems.length > 0).map((r) => ({ rowNumber: r.rowNumber, problems: r.problems }))
  return ok({
    templateId: input.templateId,
    fileSha256,
    kind,
    columns: [...new Set(columns.map((c) => c.name))],
    missingColumns,
    totalRows: rows.length,
    validRows: rows.length - problems.length,
    invalidRows: problems.length,
    firstRows,
    problems,
    ...(existing ? { existingJobId: existing.job.jobId } : {}),
  })
}
