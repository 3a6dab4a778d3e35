import { getDocument, getDocumentContent } from '../../use-cases/documents/get-document'
import { renameDocument } from '../../use-cases/documents/rename-document'
import { uploadDocument } from '../../use-cases/documents/upload-document'
import { ZRenameDocumentRequest } from '../../api/documents.types'
import { lambdaHandler } from '../../runtime/bootstrap'
import { getCpuWork } from '../../runtime/cpu-work'
import { binary, fromDomainError, fromResult, json, parseJsonBody } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { readUpload } from '../read-upload'

/** Contract documents: upload a PDF, read its record, rename it, download it. */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/documents',
    handle: async (event, { deps }) => {
      const upload = await readUpload(event, {
        rawTypes: ['application/pdf', 'application/octet-stream'],
        maxBytes: deps.config.maxBodyBytes,
        limitRaw: false,
        headerFields: { 'x-file-name': 'fileName' },
        unsupported: '请以 application/pdf 或 multipart/form-data 上传 PDF',
      })
      if (!upload.ok) return fromDomainError(upload.error)
      const { bytes, fileName, fields } = upload.value
      const result = await uploadDocument({ ...deps, cpu: await getCpuWork(deps) }, { bytes, fileName: fileName ?? fields.fileName ?? 'document.pdf' })
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
