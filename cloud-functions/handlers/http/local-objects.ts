import { ContentAddressedCache } from '../../adapters/cache/content-addressed-cache'
import { FsObjectStore } from '../../adapters/local/fs-object-store'
import { binary, bodyBytes, errorResponse, fromDomainError, header, type HttpEvent, type HttpResult } from '../../runtime/http'
import { parseMultipart } from '../../runtime/multipart'
import type { Route } from '../../runtime/router'
import * as z from 'zod'

/** The query of a presigned link (`FsObjectStore.presign`). */
const ZPresignedQuery = z.object({ op: z.enum(['get', 'put']).optional().describe('链接用途'), expires: z.string().describe('过期时间（Unix 秒）'), sig: z.string().describe('HMAC 签名') })

/**
 * The local stand-in for S3 presigned URLs: `GET`/`PUT /api/objects/{key}?op=&expires=&ct=&sig=`
 * and the form upload `POST /api/objects-upload`. Only the local server mounts these (in AWS mode
 * clients talk to S3 directly); each link is checked by `FsObjectStore.verifyPresigned`.
 */
export const routes: Route[] = [
  {
    method: 'GET',
    path: '/api/objects/{key+}',
    doc: {
      summary: '本地对象存储：按预签名链接下载（代替 S3，仅本地服务）',
      tags: ['local'],
      auth: 'none',
      query: ZPresignedQuery,
      responseContentType: 'application/octet-stream',
      errors: ['LINK_INVALID', 'LINK_EXPIRED'],
    },
    handle: async (event, { deps, params }) => {
      const store = localStore(deps.objects)
      if (!store) return errorResponse('ROUTE_NOT_FOUND')
      const q = event.queryStringParameters ?? {}
      const verdict = store.verifyPresigned({ op: 'get', key: params.key!, expires: q.expires ?? '', sig: q.sig ?? '' })
      if (!verdict.ok) return errorResponse(verdict.code)
      const [bytes, info] = await Promise.all([store.get(params.key!), store.head(params.key!)])
      if (!bytes) return errorResponse('NOT_FOUND', '对象不存在')
      return binary(200, bytes, info?.contentType ?? 'application/octet-stream', { 'cache-control': 'private, no-store' })
    },
  },
  {
    method: 'PUT',
    path: '/api/objects/{key+}',
    doc: {
      summary: '本地对象存储：按预签名链接上传（代替 S3，仅本地服务）',
      tags: ['local'],
      auth: 'none',
      query: ZPresignedQuery.extend({ ct: z.string().describe('签名时的 Content-Type，请求须一致') }),
      contentType: 'application/octet-stream',
      errors: ['LINK_INVALID', 'LINK_EXPIRED'],
    },
    handle: async (event, { deps, params }) => {
      const store = localStore(deps.objects)
      if (!store) return errorResponse('ROUTE_NOT_FOUND')
      const q = event.queryStringParameters ?? {}
      const verdict = store.verifyPresigned({ op: 'put', key: params.key!, expires: q.expires ?? '', contentType: q.ct ?? '', sig: q.sig ?? '' })
      if (!verdict.ok) return errorResponse(verdict.code)
      if ((header(event, 'content-type') ?? '') !== q.ct) return errorResponse('LINK_INVALID', `Content-Type 必须是签名时的 ${q.ct}`)
      await store.put(params.key!, bodyBytes(event), { contentType: q.ct })
      return { statusCode: 200, headers: {}, body: '' }
    },
  },
  {
    method: 'POST',
    path: '/api/objects-upload',
    doc: {
      summary: '本地对象存储：表单上传（代替 S3 预签名 POST，仅本地服务）',
      tags: ['local'],
      auth: 'none',
      contentType: 'multipart/form-data',
      body: z.object({ key: z.string(), expires: z.string(), 'Content-Type': z.string(), maxBytes: z.string(), sig: z.string() }),
      responseStatus: 204,
      errors: ['LINK_INVALID', 'LINK_EXPIRED', 'MULTIPART_MALFORMED'],
    },
    handle: async (event, { deps }) => {
      const store = localStore(deps.objects)
      if (!store) return errorResponse('ROUTE_NOT_FOUND')
      return formUpload(store, event, deps.config.maxBodyBytes)
    },
  },
]

/** The local filesystem store (behind the process's cache of content-addressed PDFs, `runtime/container.ts`). */
function localStore(objects: unknown): FsObjectStore | undefined {
  const store = objects instanceof ContentAddressedCache ? objects.inner : objects
  return store instanceof FsObjectStore ? store : undefined
}

async function formUpload(store: FsObjectStore, event: HttpEvent, limit: number): Promise<HttpResult> {
  const type = header(event, 'content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data')) return errorResponse('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传')
  const parsed = await parseMultipart(bodyBytes(event), type, limit)
  if (!parsed.ok) return fromDomainError(parsed.error)
  const f = parsed.value.fields
  const verdict = store.verifyPresigned({ op: 'post', key: f.key ?? '', expires: f.expires ?? '', contentType: f['Content-Type'] ?? '', maxBytes: f.maxBytes ?? '', sig: f.sig ?? '' })
  if (!verdict.ok) return errorResponse(verdict.code)
  const file = parsed.value.files.find((x) => x.fieldName === 'file')
  if (!file) return errorResponse('VALIDATION_FAILED', '缺少名为 file 的文件字段', { field: 'file' })
  if (file.bytes.length > Number(f.maxBytes)) return errorResponse('PAYLOAD_TOO_LARGE', `文件超过上传链接允许的 ${f.maxBytes} 字节`)
  await store.put(f.key!, file.bytes, { contentType: f['Content-Type'] })
  return { statusCode: 204, headers: {}, body: '' }
}
