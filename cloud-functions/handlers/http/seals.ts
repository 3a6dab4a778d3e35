import {
  ZCheckSealUseRequest,
  ZCreatePersonalSealRequest,
  ZCreateSealRequest,
  ZCreateSealUseRequest,
  ZDecideSealRequest,
  ZGrantSealRequest,
  ZHandwritingRequest,
  ZId,
  ZSealSpec,
  ZUpdateSealRequest,
  ZMySealsResponse,
  ZPersonalSignatureListResponse,
  ZPersonalSignatureView,
  ZSealCheckResponse,
  ZSealGrantListResponse,
  ZSealGrantView,
  ZSealListResponse,
  ZSealRequestListResponse,
  ZSealRequestView,
  ZSealUseListResponse,
  ZSealView,
  COMPANY_SEAL_TYPE_VALUES,
} from '../../api/seals.types'
import * as z from 'zod'
import { IMAGE_LIMITS } from '../../core/seals/image-limits'
import { ok, type Result } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { binary, errorResponse, fromDomainError, fromResult, json, parseJsonBody, type HttpEvent, type HttpResult } from '../../runtime/http'
import type { Route, RouteContext } from '../../runtime/router'
import { withSealServices } from '../../runtime/services'
import { getCpuWork } from '../../runtime/cpu-work'
import type { Container } from '../../runtime/container'
import type { CpuWork } from '../../ports/cpu-work'
import { readUpload } from '../read-upload'
import { signedIn } from '../signed-in'
import { canUseSeal } from '../../use-cases/seals/can-use-seal'
import { createCompanySeal } from '../../use-cases/seals/create-company-seal'
import { createPersonalSignature } from '../../use-cases/seals/create-personal-signature'
import { decideSealRequest } from '../../use-cases/seals/decide-seal-request'
import { getCompanySeal, getCompanySealImage, getCompanySealVector } from '../../use-cases/seals/get-company-seal'
import { getPersonalSignatureImage } from '../../use-cases/seals/get-personal-signature-image'
import { grantSeal } from '../../use-cases/seals/grant-seal'
import { listCompanySeals } from '../../use-cases/seals/list-company-seals'
import { listMySeals } from '../../use-cases/seals/list-my-seals'
import { listPersonalSignatures } from '../../use-cases/seals/list-personal-signatures'
import { listSealGrants } from '../../use-cases/seals/list-seal-grants'
import { listSealRequests } from '../../use-cases/seals/list-seal-requests'
import { listSealUses } from '../../use-cases/seals/list-seal-uses'
import { previewHandwriting } from '../../use-cases/seals/preview-handwriting'
import { previewSeal } from '../../use-cases/seals/preview-seal'
import { requestSealUse } from '../../use-cases/seals/request-seal-use'
import { revokeSealGrant } from '../../use-cases/seals/revoke-seal-grant'
import { updateCompanySeal } from '../../use-cases/seals/update-company-seal'
import { uploadCompanySeal } from '../../use-cases/seals/upload-company-seal'

type UserHandler = (event: HttpEvent, ctx: RouteContext & { userId: string; ids: Record<string, string> }) => Promise<HttpResult>

/** Routes for a logged-in user (`kind: 'user'` session) whose path ids are well-formed. */
function user(handle: UserHandler): Route['handle'] {
  return signedIn(async (event, ctx) => {
    for (const [name, value] of Object.entries(ctx.params)) {
      if (!ZId.safeParse(value).success) return errorResponse('VALIDATION_FAILED', `路径参数 ${name} 格式不正确`, { field: name })
    }
    return handle(event, { ...ctx, userId: ctx.session.sub, ids: ctx.params })
  }, '请使用账号登录后管理印章')
}

/** The seals area's services and the CPU pool (drawing, rasterising and image cleaning run there). */
const sealDeps = async (deps: Container): Promise<ReturnType<typeof withSealServices> & { cpu: CpuWork }> => ({ ...withSealServices(deps), cpu: await getCpuWork(deps) })
const png = (bytes: Uint8Array) => binary(200, bytes, 'image/png', { 'cache-control': 'private, no-cache' })
const fromImage = (r: Result<Uint8Array>) => (r.ok ? png(r.value) : fromDomainError(r.error))

/** The text fields of a seal image upload (multipart parts, or the x-seal-name / x-seal-type headers). */
const ZUploadSealFields = z.object({ name: z.string().optional().describe('印章名称'), sealType: z.enum(COMPANY_SEAL_TYPE_VALUES).optional() })
const ZSealRequestsQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() })

/** Company and personal seals, handwriting, authorisation, 用印审批 and the usage log (see api/seals.types.ts). */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/seals/preview',
    doc: { summary: '印章预览（PNG，不保存）', tags: ['seals'], body: ZSealSpec, responseContentType: 'image/png', errors: ['SEAL_NAME_MISMATCH'] },
    handle: user(async (event, { deps }) => {
      const spec = parseJsonBody(event, ZSealSpec)
      if (!spec.ok) return fromDomainError(spec.error)
      return fromImage(await previewSeal(await sealDeps(deps), spec.value))
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/handwriting/preview',
    doc: { summary: '手写签名预览（PNG，不保存）', tags: ['seals'], body: ZHandwritingRequest, responseContentType: 'image/png', errors: ['HANDWRITING_CANVAS_INVALID', 'HANDWRITING_TOO_COMPLEX'] },
    handle: user(async (event, { deps }) => {
      const body = parseJsonBody(event, ZHandwritingRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromImage(await previewHandwriting(await sealDeps(deps), body.value))
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/mine',
    doc: { summary: '我可使用的企业印章', tags: ['seals'], response: ZMySealsResponse },
    handle: user(async (_e, { deps, userId }) => fromResult(await listMySeals(deps, { userId }))),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals',
    doc: { summary: '企业印章列表（成员可读）', tags: ['seals'], response: ZSealListResponse, errors: ['COMPANY_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await listCompanySeals(deps, { userId, companyId: ids.companyId! }))),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/seals',
    doc: { summary: '生成企业印章（管理员，企业已认证）', tags: ['seals'], body: ZCreateSealRequest, response: ZSealView, responseStatus: 201, errors: ['COMPANY_NOT_FOUND', 'COMPANY_NOT_VERIFIED', 'SEAL_NAME_MISMATCH'] },
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZCreateSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await createCompanySeal(await sealDeps(deps), { userId, companyId: ids.companyId!, ...body.value }), 201)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/seals/upload',
    doc: {
      summary: '上传企业印章图片（白底变透明、红色归一）',
      description: 'multipart/form-data（file，可选 name、sealType），或图片原始字节（名称和类型放在 x-seal-name / x-seal-type 头）。',
      tags: ['seals'],
      contentType: ['multipart/form-data', 'image/png', 'image/jpeg'],
      body: ZUploadSealFields,
      response: ZSealView,
      responseStatus: 201,
      errors: ['COMPANY_NOT_FOUND', 'COMPANY_NOT_VERIFIED', 'NOT_AN_IMAGE', 'IMAGE_TOO_LARGE', 'IMAGE_TOO_MANY_PIXELS', 'IMAGE_EMPTY', 'MULTIPART_MALFORMED'],
    },
    handle: user(async (event, { deps, userId, ids }) => {
      const upload = await readImage(event)
      if (!upload.ok) return fromDomainError(upload.error)
      const { bytes, fields } = upload.value
      return fromResult(await uploadCompanySeal(await sealDeps(deps), { userId, companyId: ids.companyId!, bytes, name: fields.name, sealType: fields.sealType }), 201)
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}',
    doc: { summary: '企业印章详情', tags: ['seals'], response: ZSealView, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await getCompanySeal(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'PATCH',
    path: '/api/seals/companies/{companyId}/seals/{sealId}',
    doc: { summary: '启用 / 停用或重命名企业印章（管理员）', tags: ['seals'], body: ZUpdateSealRequest, response: ZSealView, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZUpdateSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await updateCompanySeal(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId!, ...body.value }))
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/image',
    doc: { summary: '企业印章图片（PNG，打印分辨率）', tags: ['seals'], responseContentType: 'image/png', errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => fromImage(await getCompanySealImage(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/vector',
    doc: { summary: '企业印章矢量 PDF（生成的印章，实际尺寸）', tags: ['seals'], responseContentType: 'application/pdf', errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => {
      const r = await getCompanySealVector(await sealDeps(deps), { userId, companyId: ids.companyId!, sealId: ids.sealId! })
      return r.ok ? binary(200, r.value, 'application/pdf', { 'content-disposition': `attachment; filename="seal-${ids.sealId}.pdf"` }) : fromDomainError(r.error)
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/grants',
    doc: { summary: '印章授权列表（管理员）', tags: ['seals'], response: ZSealGrantListResponse, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await listSealGrants(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'PUT',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}',
    doc: { summary: '授权成员使用印章（管理员）', tags: ['seals'], body: ZGrantSealRequest, response: ZSealGrantView, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZGrantSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await grantSeal(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId!, memberId: ids.userId!, ...body.value }))
    }),
  },
  {
    method: 'DELETE',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}',
    doc: { summary: '撤销印章授权（管理员）', tags: ['seals'], responseStatus: 204, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => {
      const r = await revokeSealGrant(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId!, memberId: ids.userId! })
      return r.ok ? { statusCode: 204, headers: {}, body: '' } : fromDomainError(r.error)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/check',
    doc: { summary: '检查能否为某合同使用印章', tags: ['seals'], body: ZCheckSealUseRequest, response: ZSealCheckResponse, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND', 'SEAL_NOT_AUTHORISED'] },
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZCheckSealUseRequest)
      if (!body.ok) return fromDomainError(body.error)
      const r = await canUseSeal(deps, { userId }, { companyId: ids.companyId!, sealId: ids.sealId! }, body.value)
      return r.ok ? json(200, { allowed: true, via: r.value.via, requestId: r.value.requestId }) : fromDomainError(r.error)
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/uses',
    doc: { summary: '印章使用记录', tags: ['seals'], response: ZSealUseListResponse, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await listSealUses(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/requests',
    doc: { summary: '发起用印申请（用印审批）', tags: ['seals'], body: ZCreateSealUseRequest, response: ZSealRequestView, responseStatus: 201, errors: ['COMPANY_NOT_FOUND', 'SEAL_NOT_FOUND'] },
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZCreateSealUseRequest)
      if (!body.ok) return fromDomainError(body.error)
      const r = await requestSealUse(deps, { userId, companyId: ids.companyId!, ...body.value })
      return r.ok ? json(r.value.created ? 201 : 200, r.value.request) : fromDomainError(r.error)
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/requests',
    doc: { summary: '用印申请列表（管理员看全部，其他人看自己的）', tags: ['seals'], query: ZSealRequestsQuery, response: ZSealRequestListResponse, errors: ['COMPANY_NOT_FOUND'] },
    handle: user(async (event, { deps, userId, ids }) => {
      const status = event.queryStringParameters?.status
      if (status !== undefined && !['pending', 'approved', 'rejected'].includes(status)) {
        return errorResponse('VALIDATION_FAILED', 'status 应为 pending、approved 或 rejected', { field: 'status' })
      }
      return fromResult(await listSealRequests(deps, { userId, companyId: ids.companyId!, status: status as 'pending' | undefined }))
    }),
  },
  ...(['approve', 'reject'] as const).map(
    (decision): Route => ({
      method: 'POST',
      path: `/api/seals/companies/{companyId}/requests/{requestId}/${decision}`,
      doc: { summary: decision === 'approve' ? '批准用印申请（管理员）' : '驳回用印申请（管理员）', tags: ['seals'], body: ZDecideSealRequest, response: ZSealRequestView, errors: ['COMPANY_NOT_FOUND', 'SEAL_REQUEST_NOT_FOUND', 'SEAL_REQUEST_DECIDED'] },
      handle: user(async (event, { deps, userId, ids }) => {
        const body = event.body ? parseJsonBody(event, ZDecideSealRequest) : ok<{ comment?: string }>({})
        if (!body.ok) return fromDomainError(body.error)
        return fromResult(await decideSealRequest(deps, { userId, companyId: ids.companyId!, requestId: ids.requestId!, decision, comment: body.value.comment }))
      }),
    }),
  ),
  {
    method: 'GET',
    path: '/api/seals/personal',
    doc: { summary: '我的个人印章和手写签名', tags: ['seals'], response: ZPersonalSignatureListResponse },
    handle: user(async (_e, { deps, userId }) => fromResult(await listPersonalSignatures(deps, { userId }))),
  },
  {
    method: 'POST',
    path: '/api/seals/personal',
    doc: { summary: '生成个人印章（姓名须与实名一致）', tags: ['seals'], body: ZCreatePersonalSealRequest, response: ZPersonalSignatureView, responseStatus: 201, errors: ['PERSON_NOT_VERIFIED', 'SEAL_NAME_MISMATCH'] },
    handle: user(async (event, { deps, userId }) => {
      const body = parseJsonBody(event, ZCreatePersonalSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await createPersonalSignature(await sealDeps(deps), { userId, source: { kind: 'personal-seal', layout: body.value.layout } }), 201)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/personal/handwriting',
    doc: { summary: '保存手写签名（笔迹）', tags: ['seals'], body: ZHandwritingRequest, response: ZPersonalSignatureView, responseStatus: 201, errors: ['HANDWRITING_CANVAS_INVALID', 'HANDWRITING_TOO_COMPLEX'] },
    handle: user(async (event, { deps, userId }) => {
      const body = parseJsonBody(event, ZHandwritingRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await createPersonalSignature(await sealDeps(deps), { userId, source: { kind: 'handwriting', strokes: body.value } }), 201)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/personal/handwriting-photo',
    doc: {
      summary: '上传手写签名照片',
      tags: ['seals'],
      contentType: ['multipart/form-data', 'image/png', 'image/jpeg'],
      response: ZPersonalSignatureView,
      responseStatus: 201,
      errors: ['NOT_AN_IMAGE', 'IMAGE_TOO_LARGE', 'IMAGE_TOO_MANY_PIXELS', 'IMAGE_EMPTY', 'MULTIPART_MALFORMED'],
    },
    handle: user(async (event, { deps, userId }) => {
      const upload = await readImage(event)
      if (!upload.ok) return fromDomainError(upload.error)
      return fromResult(await createPersonalSignature(await sealDeps(deps), { userId, source: { kind: 'handwriting-photo', bytes: upload.value.bytes } }), 201)
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/personal/{signatureId}/image',
    doc: { summary: '个人印章 / 手写签名图片（PNG）', tags: ['seals'], responseContentType: 'image/png', errors: ['SEAL_NOT_FOUND'] },
    handle: user(async (_e, { deps, userId, ids }) => fromImage(await getPersonalSignatureImage(deps, { userId, signatureId: ids.signatureId! }))),
  },
]

export const handler = lambdaHandler(routes)
/**
 * The uploaded image: the `file` part of a multipart form (other parts are text fields), or a raw
 * `image/*` / `application/octet-stream` body with its name and type in `x-seal-name` /
 * `x-seal-type`. Over 2 MB → `IMAGE_TOO_LARGE` (413). The use case sniffs the content.
 */
const readImage = (event: HttpEvent) =>
  readUpload(event, {
    rawTypes: ['image/', 'application/octet-stream'],
    maxBytes: IMAGE_LIMITS.maxBytes,
    limitRaw: true,
    tooLarge: () => ({ code: 'IMAGE_TOO_LARGE', message: `图片不能超过 ${IMAGE_LIMITS.maxBytes / 1024 / 1024} MB`, details: { maxBytes: IMAGE_LIMITS.maxBytes } }),
    headerFields: { 'x-seal-name': 'name', 'x-seal-type': 'sealType' },
    unsupported: '请以 multipart/form-data（file 字段）或图片原始字节上传 PNG / JPEG',
  })
