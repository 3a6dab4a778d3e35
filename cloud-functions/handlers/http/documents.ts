import { getDocument, getDocumentContent } from '../../use-cases/documents/get-document'
import { renameDocument } from '../../use-cases/documents/rename-document'
import { uploadDocument } from '../../use-cases/documents/upload-document'
import { ZDocumentView, ZRenameDocumentRequest } from '../../api/documents.types'
import * as z from 'zod'
import { lambdaHandler } from '../../runtime/bootstrap'
import { getCpuWork } from '../../runtime/cpu-work'
import { binary, fromDomainError, fromResult, json, parseJsonBody } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { readUpload } from '../read-upload'
import { signedIn } from '../signed-in'

/** The multipart text field besides `file` (the raw upload names the file in `x-file-name`). */
const ZUploadFields = z.object({ fileName: z.string().optional().describe('文件名（缺省时取上传文件名或 document.pdf）') })

/** Contract documents: upload a PDF, read its record, rename it, download it. Signed-in callers only; each document is its owner's. */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/documents',
    doc: {
      summary: '上传合同 PDF',
      description: '请求体为 PDF 原始字节（文件名放在 URL 编码的 `x-file-name` 头），或 multipart/form-data 的 `file` 字段。新建返回 201；同一用户重复上传同一文件返回 200 和原记录。',
      tags: ['documents'],
      contentType: ['application/pdf', 'multipart/form-data'],
      body: ZUploadFields,
      response: ZDocumentView,
      responseStatus: 201,
      errors: ['NOT_A_PDF', 'MULTIPART_MALFORMED', 'TOO_MANY_REVISIONS'],
    },
    handle: signedIn(async (event, { deps, session }) => {
      const upload = await readUpload(event, {
        rawTypes: ['application/pdf', 'application/octet-stream'],
        maxBytes: deps.config.maxBodyBytes,
        limitRaw: false,
        headerFields: { 'x-file-name': 'fileName' },
        unsupported: '请以 application/pdf 或 multipart/form-data 上传 PDF',
      })
      if (!upload.ok) return fromDomainError(upload.error)
      const { bytes, fileName, fields } = upload.value
      const result = await uploadDocument({ ...deps, cpu: await getCpuWork(deps) }, { bytes, fileName: fileName ?? fields.fileName ?? 'document.pdf', ownerId: session.sub })
      if (!result.ok) return fromDomainError(result.error)
      return json(result.value.created ? 201 : 200, result.value.document)
    }),
  },
  {
    method: 'GET',
    path: '/api/documents/{id}',
    doc: { summary: '文档记录', tags: ['documents'], response: ZDocumentView, errors: ['DOCUMENT_NOT_FOUND'] },
    handle: signedIn(async (_event, { deps, params, session }) => {
      return fromResult(await getDocument(deps, { id: params.id!, userId: session.sub }))
    }),
  },
  {
    method: 'PATCH',
    path: '/api/documents/{id}',
    doc: { summary: '重命名文档（可带 expectedVersion 条件更新）', tags: ['documents'], body: ZRenameDocumentRequest, response: ZDocumentView, errors: ['DOCUMENT_NOT_FOUND'] },
    handle: signedIn(async (event, { deps, params, session }) => {
      const body = parseJsonBody(event, ZRenameDocumentRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await renameDocument(deps, { id: params.id!, userId: session.sub, ...body.value }))
    }),
  },
  {
    method: 'GET',
    path: '/api/documents/{id}/content',
    doc: { summary: '下载文档 PDF', tags: ['documents'], responseContentType: 'application/pdf', errors: ['DOCUMENT_NOT_FOUND'] },
    handle: signedIn(async (_event, { deps, params, session }) => {
      const result = await getDocumentContent(deps, { id: params.id!, userId: session.sub })
      if (!result.ok) return fromDomainError(result.error)
      const name = encodeURIComponent(result.value.fileName)
      return binary(200, result.value.bytes, 'application/pdf', { 'content-disposition': `attachment; filename*=UTF-8''${name}`, 'cache-control': 'private, no-store' })
    }),
  },
]

export const handler = lambdaHandler(routes)
