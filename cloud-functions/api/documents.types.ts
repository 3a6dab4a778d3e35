import { z } from 'zod'

/**
 * Documents: `POST /api/documents` (body: the PDF, `content-type: application/pdf`, name in
 * `x-file-name` URL-encoded; or `multipart/form-data` with a `file` part) → 201 `DocumentView`
 * (200 with the same view when that exact file was uploaded before).
 * `GET /api/documents/{id}` → `DocumentView`; `GET /api/documents/{id}/content` → the PDF bytes;
 * `PATCH /api/documents/{id}` with `{ fileName, expectedVersion? }` → the renamed `DocumentView`
 * (409 `CONFLICT` when the record changed since `expectedVersion`).
 */
export type DocumentView = {
  /** SHA-256 of the bytes, lowercase hex: documents are content-addressed. */
  id: string
  fileName: string
  size: number
  pdfVersion: string
  /** ISO 8601. */
  uploadedAt: string
  /** Record version, for conditional updates (`expectedVersion`). */
  version: number
  /** A time-limited link to the bytes. */
  downloadUrl?: string
}

/** `PATCH /api/documents/{id}` body. `expectedVersion` (optional) makes the rename conditional. */
export const ZRenameDocumentRequest = z
  .object({
    fileName: z.string().trim().min(1, '文件名不能为空').max(200, '文件名最多 200 个字符'),
    expectedVersion: z.number().int().positive().optional(),
  })
  .strict()

export type RenameDocumentRequest = z.infer<typeof ZRenameDocumentRequest>
