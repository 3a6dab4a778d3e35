import { z } from 'zod'

/** `PATCH /api/documents/{id}` body. `expectedVersion` (optional) makes the rename conditional. */
export const ZRenameDocumentRequest = z
  .object({
    fileName: z.string().trim().min(1, '文件名不能为空').max(200, '文件名最多 200 个字符'),
    expectedVersion: z.number().int().positive().optional(),
  })
  .strict()

export type RenameDocumentRequest = z.infer<typeof ZRenameDocumentRequest>
