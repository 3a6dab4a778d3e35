import { getDocument, getDocumentContent } from '../../use-cases/documents/get-document'
import { getDocumentPageImage } from '../../use-cases/documents/get-document-page-image'
import { renameDocument } from '../../use-cases/documents/rename-document'
import { uploadDocument } from '../../use-cases/documents/upload-document'
import { ZDocumentView, ZRenameDocumentRequest } from '../../api/documents.types'
import { ZPageImageQuery } from '../../api/contracts.types'
import * as z from 'zod'
import { lambdaHandler } from '../../runtime/bootstrap'
import { getCpuWork } from '../../runtime/cpu-work'
import { binary, errorResponse, fromDomainError, fromResult, json, parseJsonBody } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { readUpload } from '../read-upload'
import { signedIn } from '../signed-in'

const PAGE_INDEX = /^(0|[1-9]\d{0,3})$/

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
  {
    method: 'GET',
    path: '/api/documents/{id}/pages/{page}',
    doc: {
      summary: '已上传文档的页面图片（仅上传者；页码从 0 开始，按宽度缩放的 PNG，缓存于对象存储），用于模板编辑器放置签署位置',
      tags: ['documents'],
      query: ZPageImageQuery,
      responseContentType: 'image/png',
      errors: ['DOCUMENT_NOT_FOUND', 'PAGE_OUT_OF_RANGE', 'RENDER_WIDTH_INVALID', 'RENDER_TOO_MANY_PIXELS', 'NOT_A_PDF', 'UNAVAILABLE', 'VALIDATION_FAILED'],
    },
    handle: signedIn(async (event, { deps, params, session }) => {
      if (!PAGE_INDEX.test(params.page ?? '')) return errorResponse('PAGE_OUT_OF_RANGE', '页码应为从 0 开始的整数', { page: params.page })
      const query = ZPageImageQuery.safeParse(event.queryStringParameters ?? {})
      if (!query.success) return errorResponse('RENDER_WIDTH_INVALID', '图片宽度 width 应为 100 到 2000 之间的整数', { field: 'width', minWidth: 100, maxWidth: 2000 })
      const image = await getDocumentPageImage({ ...deps, cpu: await getCpuWork(deps) }, { userId: session.sub, id: params.id!, page: Number(params.page), width: query.data.width })
      if (!image.ok) return fromDomainError(image.error)
      return binary(200, image.value.png, 'image/png', { 'cache-control': 'private, no-cache', etag: `"${image.value.sha256}-${params.page}-${query.data.width}"` })
    }),
  },
]

export const handler = lambdaHandler(routes)
