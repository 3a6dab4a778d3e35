import type { PackageVerification, VerifyResponse } from '@api/verification.types'
import { apiUploadFile } from './api-client'

/** Largest PDF the page uploads (the server refuses larger bodies with 413). */
export const MAX_VERIFY_BYTES = 20 * 1024 * 1024

/** `POST /api/verify` (multipart `file`): the verification report of a signed PDF. */
export function verifyPdf(file: { filePath: string; name?: string }): Promise<VerifyResponse> {
  return apiUploadFile<VerifyResponse>('/api/verify', { filePath: file.filePath, name: 'file', fileName: file.name, timeout: 120000 })
}

/** `POST /api/verify/evidence-package` (multipart `file`): the section-by-section check of an evidence package (证据包). */
export function verifyPackage(file: { filePath: string; name?: string }): Promise<PackageVerification> {
  return apiUploadFile<PackageVerification>('/api/verify/evidence-package', { filePath: file.filePath, name: 'file', fileName: file.name, timeout: 120000 })
}
