import type { BulkJobView } from '../../api/bulk.types'
import type { BulkRowData } from '../../core/bulk/check-rows'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { maskPhone } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import type { BulkDeps } from './deps'
import { readBulkFile } from './read-bulk-file'
import { bulkJobId, createJob, loadJob, sealRowData, toJobView, writeRowsBeforeJob, type BulkJob, type BulkRow } from './records'

export type StartBulkSendInput = {
  userId: string
  templateId: string
  bytes: Uint8Array
  fileName?: string
  deadline: string
  title?: string
  senderCompanyId?: string
  request?: EvidenceContext
}

/** `乙方 张三 138****5678` for each recipient of a row. */
export function recipientsOf(data: BulkRowData, labels: Map<string, string>): string[] {
  return Object.entries(data.parties).map(([roleId, p]) => [labels.get(roleId) ?? roleId, p.companyName, p.name, p.phone ? maskPhone(p.phone) : ''].filter(Boolean).join(' '))
}

/**
 * Confirm a bulk send: the file is read and checked again (the preview stored nothing), every row
 * is stored (good rows `pending`, bad rows `invalid` with their problems), then the job, and the
 * job is queued. The same user, template and file bytes again answer the existing job
 * (`created: false`): a re-upload never sends twice.
 */
export async function startBulkSend(deps: BulkDeps, input: StartBulkSendInput): Promise<Result<{ job: BulkJobView; created: boolean }>> {
  const file = await readBulkFile(deps, input)
  if (!file.ok) return file
  const { fileSha256, rows, roleLabels } = file.value
  const jobId = bulkJobId(input.userId, input.templateId, fileSha256)
  const existing = await loadJob(deps.metadata, jobId)
  if (existing) return ok({ job: toJobView(existing.job), created: false })
  if (rows.length === 0) return err('SPREADSHEET_UNREADABLE', '表格里没有数据行')
  const stored: BulkRow[] = rows.map((r) => ({
    rowNumber: r.rowNumber,
    state: r.problems.length ? 'invalid' : 'pending',
    sealed: sealRowData(deps.personalData, r.data),
    recipients: recipientsOf(r.data, roleLabels),
    ...(r.problems.length ? { problems: r.problems } : {}),
  }))
  const invalid = stored.filter((r) => r.state === 'invalid').length
  const job: BulkJob = {
    jobId,
    userId: input.userId,
    templateId: input.templateId,
    fileSha256,
    ...(input.fileName ? { fileName: input.fileName } : {}),
    status: 'queued',
    createdAt: deps.clock.now().toISOString(),
    deadline: input.deadline,
    ...(input.title ? { title: input.title } : {}),
    ...(input.senderCompanyId ? { senderCompanyId: input.senderCompanyId } : {}),
    ...(input.request ? { request: input.request } : {}),
    counts: { total: stored.length, pending: stored.length - invalid, sent: 0, failed: 0, invalid },
  }
  const rowsWritten = await writeRowsBeforeJob(deps.metadata, jobId, stored)
  const created = rowsWritten.ok ? await createJob(deps.metadata, job) : rowsWritten
  if (!created.ok) {
    // Someone else confirmed the same file a moment earlier: theirs is the job.
    const other = await loadJob(deps.metadata, jobId)
    if (other) return ok({ job: toJobView(other.job), created: false })
    return err('CONFLICT', '批量发起正在创建，请稍后刷新')
  }
  await deps.bulkQueue.enqueue(jobId)
  return ok({ job: toJobView(job), created: true })
}
