import * as z from 'zod'

/**
 * Documents (bearer session required on every route; a document is its uploader's — anyone else
 * gets 404 `DOCUMENT_NOT_FOUND`): `POST /api/documents` (body: the PDF, `content-type: application/pdf`, name in
 * `x-file-name` URL-encoded; or `multipart/form-data` with a `file` part) → 201 `DocumentView`
 * (200 with the same view when the same user uploaded that exact file before; another user's
 * upload of the same bytes is a record of its own).
 * `GET /api/documents/{id}` → `DocumentView`; `GET /api/documents/{id}/content` → the PDF bytes;
 * `PATCH /api/documents/{id}` with `{ fileName, expectedVersion? }` → the renamed `DocumentView`
 * (409 `CONFLICT` when the record changed since `expectedVersion`).
 */
export type DocumentView = {
  /** Random (128 bits, lowercase hex): an id says nothing about the bytes. */
  id: string
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string
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

/** {@link DocumentView} for the OpenAPI document. */
export const ZDocumentView = z.object({
  id: z.string().describe('随机编号（128 位，小写十六进制）'),
  sha256: z.string().describe('内容的 SHA-256，小写十六进制'),
  fileName: z.string(),
  size: z.number().int(),
  pdfVersion: z.string(),
  uploadedAt: z.string().describe('ISO 8601'),
  version: z.number().int().describe('记录版本，用于 expectedVersion 条件更新'),
  downloadUrl: z.string().optional().describe('限时下载链接'),
}) satisfies z.ZodType<DocumentView>
