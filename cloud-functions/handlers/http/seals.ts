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
} from '../../api/seals.types'
import { IMAGE_LIMITS } from '../../core/seals/clean-image'
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

/** Company and personal seals, handwriting, authorisation, 用印审批 and the usage log (see api/seals.types.ts). */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/seals/preview',
    handle: user(async (event, { deps }) => {
      const spec = parseJsonBody(event, ZSealSpec)
      if (!spec.ok) return fromDomainError(spec.error)
      return fromImage(await previewSeal(await sealDeps(deps), spec.value))
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/handwriting/preview',
    handle: user(async (event, { deps }) => {
      const body = parseJsonBody(event, ZHandwritingRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromImage(await previewHandwriting(await sealDeps(deps), body.value))
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/mine',
    handle: user(async (_e, { deps, userId }) => fromResult(await listMySeals(deps, { userId }))),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals',
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await listCompanySeals(deps, { userId, companyId: ids.companyId! }))),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/seals',
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZCreateSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await createCompanySeal(await sealDeps(deps), { userId, companyId: ids.companyId!, ...body.value }), 201)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/seals/upload',
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
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await getCompanySeal(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'PATCH',
    path: '/api/seals/companies/{companyId}/seals/{sealId}',
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZUpdateSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await updateCompanySeal(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId!, ...body.value }))
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/image',
    handle: user(async (_e, { deps, userId, ids }) => fromImage(await getCompanySealImage(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/vector',
    handle: user(async (_e, { deps, userId, ids }) => {
      const r = await getCompanySealVector(await sealDeps(deps), { userId, companyId: ids.companyId!, sealId: ids.sealId! })
      return r.ok ? binary(200, r.value, 'application/pdf', { 'content-disposition': `attachment; filename="seal-${ids.sealId}.pdf"` }) : fromDomainError(r.error)
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/grants',
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await listSealGrants(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'PUT',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}',
    handle: user(async (event, { deps, userId, ids }) => {
      const body = parseJsonBody(event, ZGrantSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await grantSeal(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId!, memberId: ids.userId!, ...body.value }))
    }),
  },
  {
    method: 'DELETE',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}',
    handle: user(async (_e, { deps, userId, ids }) => {
      const r = await revokeSealGrant(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId!, memberId: ids.userId! })
      return r.ok ? { statusCode: 204, headers: {}, body: '' } : fromDomainError(r.error)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/seals/{sealId}/check',
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
    handle: user(async (_e, { deps, userId, ids }) => fromResult(await listSealUses(deps, { userId, companyId: ids.companyId!, sealId: ids.sealId! }))),
  },
  {
    method: 'POST',
    path: '/api/seals/companies/{companyId}/requests',
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
    handle: user(async (_e, { deps, userId }) => fromResult(await listPersonalSignatures(deps, { userId }))),
  },
  {
    method: 'POST',
    path: '/api/seals/personal',
    handle: user(async (event, { deps, userId }) => {
      const body = parseJsonBody(event, ZCreatePersonalSealRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await createPersonalSignature(await sealDeps(deps), { userId, source: { kind: 'personal-seal', layout: body.value.layout } }), 201)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/personal/handwriting',
    handle: user(async (event, { deps, userId }) => {
      const body = parseJsonBody(event, ZHandwritingRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await createPersonalSignature(await sealDeps(deps), { userId, source: { kind: 'handwriting', strokes: body.value } }), 201)
    }),
  },
  {
    method: 'POST',
    path: '/api/seals/personal/handwriting-photo',
    handle: user(async (event, { deps, userId }) => {
      const upload = await readImage(event)
      if (!upload.ok) return fromDomainError(upload.error)
      return fromResult(await createPersonalSignature(await sealDeps(deps), { userId, source: { kind: 'handwriting-photo', bytes: upload.value.bytes } }), 201)
    }),
  },
  {
    method: 'GET',
    path: '/api/seals/personal/{signatureId}/image',
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
