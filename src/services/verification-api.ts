import type { VerifyResponse } from '@api/verification.types'
import { apiUploadFile } from './api-client'

/** Largest PDF the page uploads (the server refuses larger bodies with 413). */
export const MAX_VERIFY_BYTES = 20 * 1024 * 1024

/** `POST /api/verify` (multipart `file`): the verification report of a signed PDF. */
export function verifyPdf(file: { filePath: string; name?: string }): Promise<VerifyResponse> {
  return apiUploadFile<VerifyResponse>('/api/verify', { filePath: file.filePath, name: 'file', fileName: file.name, timeout: 120000 })
}
