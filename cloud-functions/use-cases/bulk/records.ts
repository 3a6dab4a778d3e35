import { createHash } from 'node:crypto'
import type { BulkCounts, BulkJobView, BulkRowProblemView, BulkRowView } from '../../api/bulk.types'
import type { BulkRowData } from '../../core/bulk/check-rows'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { decryptPersonalData, encryptPersonalData, type PersonalDataKeys } from '../../core/identity/personal-data'
import type { Item, MetadataStore, Page, TransactOperation, WriteResult } from '../../ports/metadata-store'

/**
 * Bulk send's keys:
 * - `BULK#<jobId>` / `JOB`: the job (gsi1 `BULKUSER#<userId>` / `<createdAt>#<jobId>`: my jobs, newest first);
 * - `BULK#<jobId>` / `ROW#<rowNumber, 6 digits>`: one row, its recipient data encrypted, its state;
 * - `BULK#ACTIVE` / `<jobId>`: the jobs not finished (the local runtime resumes them on start).
 * The job id is derived from the user, the template and the file's SHA-256, so the same file
 * uploaded again for the same template lands on the same job (never a second send).
 */
export type BulkRowState = 'pending' | 'sending' | 'sent' | 'failed' | 'invalid'
export type BulkJobStatus = 'queued' | 'running' | 'done'

export type BulkJob = {
  jobId: string
  userId: string
  templateId: string
  fileSha256: string
  fileName?: string
  status: BulkJobStatus
  createdAt: string
  finishedAt?: string
  deadline: string
  title?: string
  senderCompanyId?: string
  request?: EvidenceContext
  counts: BulkCounts
}

export type BulkRow = {
  rowNumber: number
  state: BulkRowState
  /** Encrypted {@link BulkRowData} (names and phones are personal data). */
  sealed: string
  recipients: string[]
  problems?: BulkRowProblemView[]
  contractId?: string
  error?: { code: string; message: string }
  /** While `sending`: until when this claim holds (ISO). */
  leaseUntil?: string
}

const jobPk = (jobId: string) => `BULK#${jobId}`
const ACTIVE_PK = 'BULK#ACTIVE'
const rowSk = (rowNumber: number) => `ROW#${String(rowNumber).padStart(6, '0')}`

export const bulkJobId = (userId: string, templateId: string, fileSha256: string) => `bulk_${createHash('sha256').update(`${userId}\0${templateId}\0${fileSha256}`).digest('hex').slice(0, 24)}`

export function sealRowData(keys: PersonalDataKeys, data: BulkRowData): string {
  return encryptPersonalData(keys, 'phone', JSON.stringify(data))
}
export function openRowData(keys: PersonalDataKeys, sealed: string): BulkRowData {
  return JSON.parse(decryptPersonalData(keys, 'phone', sealed)) as BulkRowData
}

function jobItem(job: BulkJob) {
  return { pk: jobPk(job.jobId), sk: 'JOB', gsi1pk: `BULKUSER#${job.userId}`, gsi1sk: `${job.createdAt}#${job.jobId}`, job }
}
const rowItem = (jobId: string, row: BulkRow) => ({ pk: jobPk(jobId), sk: rowSk(row.rowNumber), row })

export async function loadJob(metadata: MetadataStore, jobId: string): Promise<{ job: BulkJob; version: number } | undefined> {
  const item = await metadata.get(jobPk(jobId), 'JOB')
  return item ? { job: item.job as BulkJob, version: item.version } : undefined
}

/** Rows written before their job exists: each batch checks the job is still absent, so a row of a running job is never reset. */
export async function writeRowsBeforeJob(metadata: MetadataStore, jobId: string, rows: BulkRow[]): Promise<WriteResult> {
  for (let i = 0; i < rows.length; i += 24) {
    const ops: TransactOperation[] = [{ check: { pk: jobPk(jobId), sk: 'JOB' }, condition: { mustNotExist: true } }, ...rows.slice(i, i + 24).map((r) => ({ put: rowItem(jobId, r) }))]
    const written = await metadata.transact(ops)
    if (!written.ok) return written
  }
  return { ok: true }
}

/** The job and its "active" marker, created together (CONFLICT: the job exists already). */
export function createJob(metadata: MetadataStore, job: BulkJob): Promise<WriteResult> {
  return metadata.transact([
    { put: jobItem(job), condition: { mustNotExist: true } },
    { put: { pk: ACTIVE_PK, sk: job.jobId, userId: job.userId } },
  ])
}

export function saveJob(metadata: MetadataStore, job: BulkJob, version: number): Promise<WriteResult> {
  if (job.status === 'done') return metadata.transact([{ put: jobItem(job), condition: { expectedVersion: version } }, { delete: { pk: ACTIVE_PK, sk: job.jobId } }])
  return metadata.put(jobItem(job), { expectedVersion: version })
}

export async function activeJobIds(metadata: MetadataStore): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  do {
    const page = await metadata.query(ACTIVE_PK, { limit: 100, ...(cursor ? { cursor } : {}) })
    ids.push(...page.items.map((i) => i.sk))
    cursor = page.next
  } while (cursor)
  return ids
}

export type StoredRow = { row: BulkRow; version: number }
const toStoredRow = (i: Item): StoredRow => ({ row: i.row as BulkRow, version: i.version })

export async function rowsPage(metadata: MetadataStore, jobId: string, o: { limit: number; cursor?: string }): Promise<{ rows: StoredRow[]; next?: string }> {
  const page: Page = await metadata.query(jobPk(jobId), { skPrefix: 'ROW#', limit: o.limit, ...(o.cursor ? { cursor: o.cursor } : {}) })
  return { rows: page.items.map(toStoredRow), ...(page.next ? { next: page.next } : {}) }
}

/** A row's next state, only if nobody changed it since it was read (a row is claimed once). */
export function updateRow(metadata: MetadataStore, jobId: string, row: BulkRow, version: number): Promise<WriteResult> {
  return metadata.put(rowItem(jobId, row), { expectedVersion: version })
}

export async function listUserJobs(metadata: MetadataStore, userId: string, limit: number): Promise<BulkJob[]> {
  const page = await metadata.queryIndex(`BULKUSER#${userId}`, { reverse: true, limit })
  return page.items.map((i) => i.job as BulkJob)
}

export const toJobView = (j: BulkJob): BulkJobView => ({
  jobId: j.jobId,
  templateId: j.templateId,
  ...(j.fileName ? { fileName: j.fileName } : {}),
  fileSha256: j.fileSha256,
  status: j.status,
  createdAt: j.createdAt,
  ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}),
  counts: j.counts,
})

export const toRowView = (r: BulkRow): BulkRowView => ({
  rowNumber: r.rowNumber,
  state: r.state,
  recipients: r.recipients,
  ...(r.contractId ? { contractId: r.contractId } : {}),
  ...(r.problems?.length ? { problems: r.problems } : {}),
  ...(r.error ? { error: r.error } : {}),
})
