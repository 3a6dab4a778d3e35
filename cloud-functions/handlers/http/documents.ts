import { getDocument, getDocumentContent } from '../../use-cases/documents/get-document'
import { renameDocument } from '../../use-cases/documents/rename-document'
import { uploadDocument } from '../../use-cases/documents/upload-document'
import { ZRenameDocumentRequest } from '../../api/rename-document.types'
import { lambdaHandler } from '../../runtime/bootstrap'
import { getCpuWork } from '../../runtime/cpu-work'
import { binary, bodyBytes, errorResponse, fromDomainError, fromResult, header, json, parseJsonBody, type HttpEvent } from '../../runtime/http'
import { parseMultipart } from '../../runtime/multipart'
import type { Route } from '../../runtime/router'

/** Contract documents: upload a PDF, read its record, rename it, download it. */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/documents',
    handle: async (event, { deps }) => {
      const upload = await readUpload(event, deps.config.maxBodyBytes)
      if (!upload.ok) return upload.response
      const result = await uploadDocument({ ...deps, cpu: await getCpuWork(deps) }, upload.value)
      if (!result.ok) return fromDomainError(result.error)
      return json(result.value.created ? 201 : 200, result.value.document)
    },
  },
  {
    method: 'GET',
    path: '/api/documents/{id}',
    handle: async (_event, { deps, params }) => fromResult(await getDocument(deps, { id: params.id! })),
  },
  {
    method: 'PATCH',
    path: '/api/documents/{id}',
    handle: async (event, { deps, params }) => {
      const body = parseJsonBody(event, ZRenameDocumentRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await renameDocument(deps, { id: params.id!, ...body.value }))
    },
  },
  {
    method: 'GET',
    path: '/api/documents/{id}/content',
    handle: async (_event, { deps, params }) => {
      const result = await getDocumentContent(deps, { id: params.id! })
      if (!result.ok) return fromDomainError(result.error)
      const name = encodeURIComponent(result.value.fileName)
      return binary(200, result.value.bytes, 'application/pdf', { 'content-disposition': `attachment; filename*=UTF-8''${name}` })
    },
  },
]

export const handler = lambdaHandler(routes)

type Upload = { bytes: Uint8Array; fileName: string }

/** The PDF from a raw `application/pdf` body or the `file` part of a multipart form. */
async function readUpload(event: HttpEvent, maxBytes: number): Promise<{ ok: true; value: Upload } | { ok: false; response: ReturnType<typeof errorResponse> }> {
  const type = (header(event, 'content-type') ?? '').toLowerCase()
  if (type.startsWith('application/pdf') || type.startsWith('application/octet-stream')) {
    const rawName = header(event, 'x-file-name') ?? 'document.pdf'
    let fileName: string
    try {
      fileName = decodeURIComponent(rawName)
    } catch {
      return { ok: false, response: errorResponse('VALIDATION_FAILED', 'x-file-name 不是有效的 URL 编码', { field: 'x-file-name' }) }
    }
    return { ok: true, value: { bytes: bodyBytes(event), fileName } }
  }
  if (type.startsWith('multipart/form-data')) {
    const parsed = await parseMultipart(bodyBytes(event), header(event, 'content-type')!, maxBytes)
    if (!parsed.ok) return { ok: false, response: fromDomainError(parsed.error) }
    const file = parsed.value.files.find((f) => f.fieldName === 'file')
    if (!file) return { ok: false, response: errorResponse('VALIDATION_FAILED', '缺少名为 file 的文件字段', { field: 'file' }) }
    return { ok: true, value: { bytes: file.bytes, fileName: file.fileName } }
  }
  return { ok: false, response: errorResponse('UNSUPPORTED_MEDIA_TYPE', '请以 application/pdf 或 multipart/form-data 上传 PDF') }
}
