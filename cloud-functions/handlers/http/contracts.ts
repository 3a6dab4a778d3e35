import type { z } from 'zod'
import { CONTRACT_ID, ZCreateContractRequest, ZPdfQuery, ZReasonRequest, ZSignContractRequest, ZSigningLinkLoginRequest } from '../../api/contracts.types'
import type { Result } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { binary, errorResponse, fromDomainError, header, json, parseJsonBody, type HttpEvent, type HttpResult } from '../../runtime/http'
import { HTTP_STATUS } from '../../runtime/http-status'
import type { Route } from '../../runtime/router'
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
  options: { status?: number; idempotent?: boolean } = {},
): Route {
  return {
    method,
    path,
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
  contractRoute('POST', '/api/contracts', ZCreateContractRequest, ({ deps, userId, body }) => createContract(deps, { userId, ...body }), { status: 201, idempotent: true }),
  contractRoute('PUT', '/api/contracts/{contractId}', ZCreateContractRequest, ({ deps, userId, body, ids }) => updateDraft(deps, { userId, contractId: ids.contractId, ...body }), { idempotent: true }),
  contractRoute('GET', '/api/contracts/{contractId}', undefined, ({ deps, userId, ids }) => getContract(deps, { userId, contractId: ids.contractId })),
  contractRoute('POST', '/api/contracts/{contractId}/send', undefined, ({ deps, userId, ids }) => sendContract(deps, { userId, contractId: ids.contractId }), { idempotent: true }),
  contractRoute('POST', '/api/contracts/{contractId}/view', undefined, ({ deps, userId, ids }) => viewContract(deps, { userId, contractId: ids.contractId })),
  contractRoute('POST', '/api/contracts/{contractId}/sign', ZSignContractRequest, ({ deps, userId, ids, body }) => signContract(deps, { userId, contractId: ids.contractId, ...body }), { idempotent: true }),
  contractRoute('POST', '/api/contracts/{contractId}/decline', ZReasonRequest, ({ deps, userId, ids, body }) => declineContract(deps, { userId, contractId: ids.contractId, reason: body.reason }), { idempotent: true }),
  contractRoute('POST', '/api/contracts/{contractId}/revoke', ZReasonRequest, ({ deps, userId, ids, body }) => revokeContract(deps, { userId, contractId: ids.contractId, reason: body.reason }), { idempotent: true }),
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
    handle: async (_event, { deps, params }) => {
      const token = linkToken(params)
      if (!token) return errorResponse('LINK_INVALID', '签署链接无效')
      return answer(await openSigningLink(await withContractServices(deps), { token }))
    },
  },
  {
    method: 'POST',
    path: '/api/signing-links/{token}/sms-codes',
    handle: async (event, { deps, params }) => {
      const token = linkToken(params)
      if (!token) return errorResponse('LINK_INVALID', '签署链接无效')
      return answer(await requestSigningLinkCode(await withContractServices(deps), { token, sourceIp: event.requestContext?.http?.sourceIp ?? '' }), 202)
    },
  },
  {
    method: 'POST',
    path: '/api/signing-links/{token}/login',
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
