import type { z } from 'zod'
import { CONTRACT_ID, ZCreateContractRequest, ZPdfQuery, ZReasonRequest, ZSignContractRequest, ZSigningLinkLoginRequest } from '../../api/contracts.types'
import type { Result } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { binary, errorResponse, fromDomainError, header, json, parseJsonBody, type HttpEvent, type HttpResult } from '../../runtime/http'
import { HTTP_STATUS } from '../../runtime/http-status'
import type { Route, RouteDoc } from '../../runtime/router'
import { withContractServices } from '../../runtime/services'
import type { ContractDeps } from '../../use-cases/contracts/deps'
import { createContract } from '../../use-cases/contracts/create-contract'
import { declineContract } from '../../use-cases/contracts/decline-contract'
import { getContract } from '../../use-cases/contracts/get-contract'
import { getContractPdf } from '../../use-cases/contracts/get-contract-pdf'
import { openSigningLink, requestSigningLinkCode, loginWithSigningLink } from '../../use-cases/contracts/signing-links'
import { revokeContract } from '../../use-cases/contracts/revoke-contract'
import { runOnce } from '../../use-cases/contracts/run-once'
import { sendContract } from '../../use-cases/contracts/send-contract'
import { signContract } from '../../use-cases/contracts/sign-contract'
import { updateDraft } from '../../use-cases/contracts/update-draft'
import { viewContract } from '../../use-cases/contracts/view-contract'
import { signedIn } from '../signed-in'

type ContractCall<B> = { deps: ContractDeps; userId: string; body: B; ids: { contractId: string } & Record<string, string>; event: HttpEvent }

/**
 * A route for a logged-in user (a `user` session) on the contracts: path ids checked, the JSON body
 * parsed against `schema`, the contracts services built. With `idempotent`, an `Idempotency-Key`
 * header makes a retry return the first answer (use-cases/contracts/run-once.ts).
 */
function contractRoute<S extends z.ZodType | undefined>(
  method: Route['method'],
  path: string,
  schema: S,
  run: (c: ContractCall<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<Result<unknown>>,
  options: { status?: number; idempotent?: boolean; doc: RouteDoc },
): Route {
  return {
    method,
    path,
    doc: { tags: ['contracts'], ...(schema ? { body: schema } : {}), ...(options.status ? { responseStatus: options.status } : {}), ...options.doc },
    handle: signedIn(async (event, { deps, params, session }) => {
      if (params.contractId !== undefined && !CONTRACT_ID.test(params.contractId)) return errorResponse('CONTRACT_NOT_FOUND', '合同不存在')
      let body: unknown = undefined
      if (schema) {
        const parsed = parseJsonBody(event, schema)
        if (!parsed.ok) return fromDomainError(parsed.error)
        body = parsed.value
      }
      const services = await withContractServices(deps)
      const call = async () => {
        const result = await run({ deps: services, userId: session.sub, body: body as S extends z.ZodType ? z.infer<S> : undefined, ids: params as ContractCall<unknown>['ids'], event })
        return result.ok
          ? { statusCode: options.status ?? 200, body: result.value }
          : { statusCode: HTTP_STATUS[result.error.code as keyof typeof HTTP_STATUS] ?? 400, body: { error: { code: result.error.code, message: result.error.message, ...(result.error.details ? { details: result.error.details } : {}) } } }
      }
      if (!options.idempotent) {
        const answer = await call()
        return json(answer.statusCode, answer.body)
      }
      const once = await runOnce(services, { userId: session.sub, key: header(event, 'idempotency-key'), fingerprint: `${method} ${event.rawPath ?? path}\n${event.body ?? ''}` }, call)
      if (!once.ok) return fromDomainError(once.error)
      return json(once.value.statusCode, once.value.body, once.value.replayed ? { 'idempotent-replayed': 'true' } : {})
    }, '请使用账号登录后处理合同'),
  }
}

/** Contract lifecycle: create a draft, edit it, send, view, sign, decline, revoke (see api/contracts.types.ts). */
const lifecycleRoutes: Route[] = [
  contractRoute('POST', '/api/contracts', ZCreateContractRequest, ({ deps, userId, body }) => createContract(deps, { userId, ...body }), { status: 201, idempotent: true, doc: { summary: '创建合同草稿', errors: ['PERSON_NOT_VERIFIED', 'COMPANY_NOT_VERIFIED', 'DOCUMENT_NOT_FOUND', 'CONTRACT_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] } }),
  contractRoute('PUT', '/api/contracts/{contractId}', ZCreateContractRequest, ({ deps, userId, body, ids }) => updateDraft(deps, { userId, contractId: ids.contractId, ...body }), { idempotent: true, doc: { summary: '修改合同草稿（仅发起方、仅草稿）', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_ALREADY_SENT', 'CONTRACT_INVALID', 'CONFLICT'] } }),
  contractRoute('GET', '/api/contracts/{contractId}', undefined, ({ deps, userId, ids }) => getContract(deps, { userId, contractId: ids.contractId }), { doc: { summary: '合同详情（发起方或签署方）', errors: ['CONTRACT_NOT_FOUND'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/send', undefined, ({ deps, userId, ids }) => sendContract(deps, { userId, contractId: ids.contractId }), { idempotent: true, doc: { summary: '发送合同：校验签署位置、准备 PDF、通知第一批签署方', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_ALREADY_SENT', 'CONTRACT_INVALID', 'SIGNER_FIELDS_MISSING', 'FIELD_OFF_PAGE', 'FIELDS_OVERLAP', 'FIELD_OVERLAPS_SIGNED_AREA'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/view', undefined, ({ deps, userId, ids }) => viewContract(deps, { userId, contractId: ids.contractId }), { doc: { summary: '签署方打开合同（绑定账号，记录已查看）', errors: ['CONTRACT_NOT_FOUND'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/sign', ZSignContractRequest, ({ deps, userId, ids, body }) => signContract(deps, { userId, contractId: ids.contractId, ...body }), { idempotent: true, doc: { summary: '签署：实名 + 意愿认证 + 证书 + 签名或印章，新增一个增量修订', errors: ['CONTRACT_NOT_FOUND', 'NOT_YOUR_TURN', 'ALREADY_SIGNED', 'CONTRACT_CLOSED', 'FIELD_VALUE_INVALID', 'PERSON_NOT_VERIFIED', 'SIGNER_NAME_MISMATCH', 'INTENT_PROOF_INVALID', 'SEAL_NOT_AUTHORISED', 'SIGNATURE_REQUIRED', 'SIGNATURE_NOT_FOUND', 'SIGNING_BUSY'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/decline', ZReasonRequest, ({ deps, userId, ids, body }) => declineContract(deps, { userId, contractId: ids.contractId, reason: body.reason }), { idempotent: true, doc: { summary: '拒签（填写原因）', errors: ['CONTRACT_NOT_FOUND', 'NOT_YOUR_TURN', 'CONTRACT_CLOSED'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/revoke', ZReasonRequest, ({ deps, userId, ids, body }) => revokeContract(deps, { userId, contractId: ids.contractId, reason: body.reason }), { idempotent: true, doc: { summary: '发起方撤销合同（填写原因）', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_NOT_SENT', 'CONTRACT_CLOSED'] } }),
]

const LINK_TOKEN = /^[A-Za-z0-9_-]{22}$/
const linkToken = (params: Record<string, string>) => (LINK_TOKEN.test(params.token ?? '') ? params.token! : undefined)
const answer = (r: Result<unknown>, status = 200): HttpResult => (r.ok ? json(status, r.value) : fromDomainError(r.error))

/**
 * Signing links (`/s/<token>` in an SMS): no session needed. The link names one party of one
 * contract; its SMS code goes to that party's phone, and entering it logs the holder in as the
 * account of that phone (created on first use), so they can verify their identity and sign.
 */
const linkRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/signing-links/{token}',
    doc: { summary: '打开签署链接：合同名称、签署方、脱敏手机号', tags: ['contracts'], auth: 'none', errors: ['LINK_INVALID', 'LINK_EXPIRED'] },
    handle: async (_event, { deps, params }) => {
      const token = linkToken(params)
      if (!token) return errorResponse('LINK_INVALID', '签署链接无效')
      return answer(await openSigningLink(await withContractServices(deps), { token }))
    },
  },
  {
    method: 'POST',
    path: '/api/signing-links/{token}/sms-codes',
    doc: { summary: '向签署链接对应签署方的手机发送验证码', tags: ['contracts'], auth: 'none', responseStatus: 202, errors: ['LINK_INVALID', 'LINK_EXPIRED', 'SMS_RESEND_TOO_SOON', 'SMS_DAILY_LIMIT'] },
    handle: async (event, { deps, params }) => {
      const token = linkToken(params)
      if (!token) return errorResponse('LINK_INVALID', '签署链接无效')
      return answer(await requestSigningLinkCode(await withContractServices(deps), { token, sourceIp: event.requestContext?.http?.sourceIp ?? '' }), 202)
    },
  },
  {
    method: 'POST',
    path: '/api/signing-links/{token}/login',
    doc: { summary: '用签署链接的验证码登录（该手机号的账号）', tags: ['contracts'], auth: 'none', body: ZSigningLinkLoginRequest, errors: ['LINK_INVALID', 'LINK_EXPIRED', 'SMS_CODE_INVALID', 'SMS_CODE_EXPIRED'] },
    handle: async (event, { deps, params }) => {
      const token = linkToken(params)
      if (!token) return errorResponse('LINK_INVALID', '签署链接无效')
      const body = parseJsonBody(event, ZSigningLinkLoginRequest)
      if (!body.ok) return fromDomainError(body.error)
      return answer(await loginWithSigningLink(await withContractServices(deps), { token, code: body.value.code }))
    },
  },
]

// ── Management: lists, counts, timeline, archive, downloads, page images, signatures ─────────────
const managementRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/contracts/{contractId}/pdf',
    doc: { summary: '下载合同 PDF（当前版本或原件）', tags: ['contracts'], query: ZPdfQuery, responseContentType: 'application/pdf', errors: ['CONTRACT_NOT_FOUND', 'DOCUMENT_NOT_FOUND'] },
    handle: signedIn(async (event, { deps, params, session }) => {
      if (!CONTRACT_ID.test(params.contractId ?? '')) return errorResponse('CONTRACT_NOT_FOUND', '合同不存在')
      const query = ZPdfQuery.safeParse(event.queryStringParameters ?? {})
      if (!query.success) return errorResponse('VALIDATION_FAILED', 'version 应为 current 或 original', { field: 'version' })
      const pdf = await getContractPdf(deps, { userId: session.sub, contractId: params.contractId!, version: query.data.version })
      if (!pdf.ok) return fromDomainError(pdf.error)
      return binary(200, pdf.value.bytes, 'application/pdf', {
        'content-disposition': `attachment; filename="contract.pdf"; filename*=UTF-8''${encodeURIComponent(pdf.value.fileName)}`,
        'cache-control': 'private, no-cache',
        etag: `"${pdf.value.sha256}"`,
      })
    }, '请使用账号登录后下载合同'),
  },
]

export const routes: Route[] = [...lifecycleRoutes, ...linkRoutes, ...managementRoutes]

export const handler = lambdaHandler(routes)
