import * as z from 'zod'

/**
 * Bulk send (批量发起) from a CSV or XLSX: one template, one contract per row.
 *
 * - `POST /api/bulk-sends/preview` multipart `file` + {@link ZBulkUploadFields} → {@link BulkPreview} (nothing sent, nothing stored)
 * - `POST /api/bulk-sends` the same upload → 201 {@link BulkJobView} (a job; the same template + file bytes again → 200, the existing job)
 * - `GET /api/bulk-sends` → {@link BulkJobList} (my jobs, newest first)
 * - `GET /api/bulk-sends/{jobId}?cursor=&limit=&state=` → {@link BulkJobDetail} (counts + rows, paged)
 *
 * Columns: one per placeholder key (the key itself, e.g. `月薪`); for each role that is not the
 * sender's `<角色名>姓名` and `<角色名>手机` (e.g. 乙方姓名, 乙方手机), and `<角色名>企业名称` for a
 * company role. Row numbers are the spreadsheet's (the header is row 1).
 */

export const BULK_JOB_ID = /^bulk_[0-9a-f]{24}$/

export const ZBulkUploadFields = z.object({
  templateId: z.string().trim().min(1, '请选择模板').max(80),
  /** ISO 8601 instant: the signing deadline of every contract of the job (required to send; optional for a preview). */
  deadline: z.string().datetime({ offset: true, message: '截止时间格式不正确' }).optional(),
  title: z.string().trim().min(1).max(100, '标题不能超过 100 个字').optional(),
  senderCompanyId: z.string().trim().min(1).max(80).optional(),
  fileName: z.string().max(200).optional(),
})
export type BulkUploadFields = z.infer<typeof ZBulkUploadFields>

export const ZBulkRowProblem = z.object({
  column: z.string().optional(),
  reason: z.enum(['MISSING_COLUMN', 'EMPTY_REQUIRED', 'PHONE_INVALID', 'TOO_LONG']),
  message: z.string(),
})
export type BulkRowProblemView = z.infer<typeof ZBulkRowProblem>

export const ZBulkPreview = z.object({
  templateId: z.string(),
  fileSha256: z.string(),
  kind: z.enum(['csv', 'xlsx']),
  /** The columns the template needs, in order. */
  columns: z.array(z.string()),
  missingColumns: z.array(z.string()),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  invalidRows: z.number().int(),
  /** The first rows as they will be used (phones masked). */
  firstRows: z.array(z.object({ rowNumber: z.number().int(), cells: z.record(z.string(), z.string()) })),
  /** Every row that has a problem. */
  problems: z.array(z.object({ rowNumber: z.number().int(), problems: z.array(ZBulkRowProblem) })),
  /** This file was already sent with this template: the job it made. */
  existingJobId: z.string().optional(),
})
export type BulkPreview = z.infer<typeof ZBulkPreview>

export const BULK_JOB_STATUSES = ['queued', 'running', 'done'] as const
export const BULK_ROW_STATES = ['pending', 'sending', 'sent', 'failed', 'invalid'] as const

export const ZBulkCounts = z.object({ total: z.number().int(), pending: z.number().int(), sent: z.number().int(), failed: z.number().int(), invalid: z.number().int() })
export type BulkCounts = z.infer<typeof ZBulkCounts>

export const ZBulkJobView = z.object({
  jobId: z.string(),
  templateId: z.string(),
  fileName: z.string().optional(),
  fileSha256: z.string(),
  status: z.enum(BULK_JOB_STATUSES),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  counts: ZBulkCounts,
})
export type BulkJobView = z.infer<typeof ZBulkJobView>

export const ZBulkRowView = z.object({
  rowNumber: z.number().int(),
  state: z.enum(BULK_ROW_STATES),
  /** Recipients, masked: `乙方 张三 138****5678`. */
  recipients: z.array(z.string()),
  contractId: z.string().optional(),
  problems: z.array(ZBulkRowProblem).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
})
export type BulkRowView = z.infer<typeof ZBulkRowView>

export const ZBulkJobDetail = z.object({ job: ZBulkJobView, rows: z.array(ZBulkRowView), next: z.string().optional() })
export type BulkJobDetail = z.infer<typeof ZBulkJobDetail>

export const ZBulkJobList = z.object({ items: z.array(ZBulkJobView) })
export type BulkJobList = z.infer<typeof ZBulkJobList>

export const ZBulkRowsQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  state: z.enum(BULK_ROW_STATES).optional(),
})
