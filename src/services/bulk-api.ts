import type { BulkJobDetail, BulkJobList, BulkJobView, BulkPreview, BulkRowView } from '@api/bulk.types'
import { apiRequest, apiUploadFile } from './api-client'

export type BulkUpload = { filePath: string; fileName: string; templateId: string; deadline?: string; title?: string }

const fields = (u: BulkUpload): Record<string, string> => ({
  templateId: u.templateId,
  fileName: u.fileName,
  ...(u.deadline ? { deadline: u.deadline } : {}),
  ...(u.title ? { title: u.title } : {}),
})

/** Bulk send from a spreadsheet (see cloud-functions/api/bulk.types.ts). */
export const bulkApi = {
  preview: (u: BulkUpload) => apiUploadFile<BulkPreview>('/api/bulk-sends/preview', { filePath: u.filePath, fileName: u.fileName, formData: fields(u) }),
  start: (u: BulkUpload) => apiUploadFile<BulkJobView>('/api/bulk-sends', { filePath: u.filePath, fileName: u.fileName, formData: fields(u) }),
  list: () => apiRequest<BulkJobList>('GET', '/api/bulk-sends'),
  get: (jobId: string, o: { cursor?: string; state?: BulkRowView['state'] } = {}) =>
    apiRequest<BulkJobDetail>('GET', `/api/bulk-sends/${encodeURIComponent(jobId)}?limit=50${o.cursor ? `&cursor=${encodeURIComponent(o.cursor)}` : ''}${o.state ? `&state=${o.state}` : ''}`),
}
