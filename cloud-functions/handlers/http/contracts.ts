import type { z } from 'zod'
import { CONTRACT_ID, ZArchiveRequest, ZChaseRequest, ZExtendDeadlineRequest, ZContractListQuery, ZCreateContractRequest, ZPageImageQuery, ZPdfQuery, ZReasonRequest, ZRenewContractRequest, ZSignContractRequest, ZSigningLinkLoginRequest, ZBatchPreviewRequest, ZBatchSignRequest, type BatchSignResponse } from '../../api/contracts.types'
import { ZEvidenceProofs } from '../../api/evidence.types'
import { ok, type Result } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { binary, errorResponse, fromDomainError, json, parseJsonBody, type HttpResult } from '../../runtime/http'
import type { Route, RouteDoc } from '../../runtime/router'
import { withContractServices } from '../../runtime/services'
import { archiveContract } from '../../use-cases/contracts/archive-contract'
import { createContract } from '../../use-cases/contracts/create-contract'
import { declineContract } from '../../use-cases/contracts/decline-contract'
import { getContract } from '../../use-cases/contracts/get-contract'
import { getContractEvidenceProofs } from '../../use-cases/contracts/get-contract-evidence-proofs'
import { getContractPdf } from '../../use-cases/contracts/get-contract-pdf'
import { getContractSignatures } from '../../use-cases/contracts/get-contract-signatures'
import { getContractTimeline } from '../../use-cases/contracts/get-contract-timeline'
import { getPageImage } from '../../use-cases/contracts/get-page-image'
import { countMyContracts, listContracts } from '../../use-cases/contracts/list-contracts'
import { openSigningLink, requestSigningLinkCode, loginWithSigningLink } from '../../use-cases/contracts/signing-links'
import { extendDeadline } from '../../use-cases/contracts/extend-deadline'
import { chaseSigners } from '../../use-cases/contracts/chase-signers'
import { renewContract } from '../../use-cases/contracts/renew-contract'
import { revokeContract } from '../../use-cases/contracts/revoke-contract'
import { sendContract } from '../../use-cases/contracts/send-contract'
import { signContract } from '../../use-cases/contracts/sign-contract'
import { batchSignContracts } from '../../use-cases/contracts/batch-sign-contracts'
import { previewBatchSign } from '../../use-cases/contracts/preview-batch-sign'
import { HTTP_STATUS } from '../../runtime/http-status'
import type { ErrorCode } from '../../api/error-codes'
import { updateDraft } from '../../use-cases/contracts/update-draft'
import { viewContract } from '../../use-cases/contracts/view-contract'
import { getEvidencePackage } from '../../use-cases/evidence/get-evidence-package'
import { getEvidenceReport } from '../../use-cases/evidence/get-evidence-report'
import { requestContext } from '../request-context'
import { signedIn } from '../signed-in'
import { contractServicesRoute, type ContractServicesCall } from '../contract-services-route'
import { parseQuery } from '../parse-query'
import { routes as approvalRoutes } from './approvals'

type ContractCall<B> = Omit<ContractServicesCall<B>, 'params'> & { ids: { contractId: string } & Record<string, string> }

/** A contracts route for a logged-in user (`contractServicesRoute`), a malformed contract id answered as an unknown contract. */
function contractRoute<S extends z.ZodType | undefined>(
  method: Route['method'],
  path: string,
  schema: S,
  run: (c: ContractCall<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<Result<unknown>>,
  options: { status?: number; idempotent?: boolean; doc: RouteDoc },
): Route {
  return contractServicesRoute(method, path, schema, ({ params, ...c }) => run({ ...c, ids: params as ContractCall<unknown>['ids'] }), {
    ...options,
    tag: 'contracts',
    userOnly: '请使用账号登录后处理合同',
    checkParams: (params) => (params.contractId !== undefined && !CONTRACT_ID.test(params.contractId) ? errorResponse('CONTRACT_NOT_FOUND', '合同不存在') : undefined),
  })
}

/** Contract lifecycle: create a draft, edit it, send, view, sign, decline, revoke (see api/contracts.types.ts). */
const lifecycleRoutes: Route[] = [
  contractRoute('POST', '/api/contracts', ZCreateContractRequest, ({ deps, userId, body, request }) => createContract(deps, { userId, ...body, request }), { status: 201, idempotent: true, doc: { summary: '创建合同草稿', errors: ['PERSON_NOT_VERIFIED', 'COMPANY_NOT_VERIFIED', 'DOCUMENT_NOT_FOUND', 'CONTRACT_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] } }),
  contractRoute('PUT', '/api/contracts/{contractId}', ZCreateContractRequest, ({ deps, userId, body, ids }) => updateDraft(deps, { userId, contractId: ids.contractId, ...body }), { idempotent: true, doc: { summary: '修改合同草稿（仅发起方、仅草稿）', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_ALREADY_SENT', 'CONTRACT_INVALID', 'CONFLICT'] } }),
  contractRoute('GET', '/api/contracts/{contractId}', undefined, ({ deps, userId, ids }) => getContract(deps, { userId, contractId: ids.contractId }), { doc: { summary: '合同详情（发起方或签署方）', errors: ['CONTRACT_NOT_FOUND'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/send', undefined, ({ deps, userId, ids, request }) => sendContract(deps, { userId, contractId: ids.contractId, request }), { idempotent: true, doc: { summary: '发送合同：校验签署位置、准备 PDF、通知第一批签署方', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_ALREADY_SENT', 'CONTRACT_INVALID', 'SIGNER_FIELDS_MISSING', 'FIELD_OFF_PAGE', 'FIELDS_OVERLAP', 'FIELD_OVERLAPS_SIGNED_AREA', 'NOT_A_PDF'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/view', undefined, ({ deps, userId, ids, request }) => viewContract(deps, { userId, contractId: ids.contractId, request }), { doc: { summary: '签署方打开合同（绑定账号，记录已查看）', errors: ['CONTRACT_NOT_FOUND'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/sign', ZSignContractRequest, ({ deps, userId, ids, body, request }) => signContract(deps, { userId, contractId: ids.contractId, ...body, request }), { idempotent: true, doc: { summary: '签署：实名 + 意愿认证 + 证书 + 签名或印章，新增一个增量修订', errors: ['CONTRACT_NOT_FOUND', 'NOT_YOUR_TURN', 'ALREADY_SIGNED', 'CONTRACT_CLOSED', 'FIELD_VALUE_INVALID', 'PERSON_NOT_VERIFIED', 'SIGNER_NAME_MISMATCH', 'INTENT_PROOF_INVALID', 'SEAL_NOT_AUTHORISED', 'SIGNATURE_REQUIRED', 'SIGNATURE_NOT_FOUND', 'SIGNING_BUSY', 'NOT_A_PDF'] } }),
  // 批量签署: the batch page's preview, then every contract signed with one batch intent.
  contractRoute('POST', '/api/contracts/batch-sign/preview', ZBatchPreviewRequest, async ({ deps, userId, body, request }) => ok(await previewBatchSign(deps, { userId, contractIds: body.contractIds, request })), {
    doc: { summary: '批量签署预览：打开所选合同，列出每份能否批量签署（轮到本人、无需填写内容）及意愿认证所需的签署方和文档哈希', errors: ['VALIDATION_FAILED'] },
  }),
  contractRoute('POST', '/api/contracts/batch-sign', ZBatchSignRequest, async ({ deps, userId, body, request }) => {
    const done = await batchSignContracts(deps, { userId, ...body, request })
    return done.ok ? ok(withStatuses(done.value)) : done
  }, {
    idempotent: true,
    doc: { summary: '批量签署：凭一次批量意愿认证逐份签署（每份独立的签名、修订版本和证据），单份失败不影响其他，逐份返回结果', errors: ['VALIDATION_FAILED', 'INTENT_PROOF_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] },
  }),
  contractRoute('POST', '/api/contracts/{contractId}/decline', ZReasonRequest, ({ deps, userId, ids, body, request }) => declineContract(deps, { userId, contractId: ids.contractId, reason: body.reason, request }), { idempotent: true, doc: { summary: '拒签（填写原因）', errors: ['CONTRACT_NOT_FOUND', 'NOT_YOUR_TURN', 'CONTRACT_CLOSED'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/revoke', ZReasonRequest, ({ deps, userId, ids, body, request }) => revokeContract(deps, { userId, contractId: ids.contractId, reason: body.reason, request }), { idempotent: true, doc: { summary: '发起方撤销合同（填写原因）', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_NOT_SENT', 'CONTRACT_CLOSED'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/deadline', ZExtendDeadlineRequest, ({ deps, userId, ids, body, request }) => extendDeadline(deps, { userId, contractId: ids.contractId, deadline: body.deadline, request }), { idempotent: true, doc: { summary: '发起方在截止前延长签署截止时间（签署链接与截止提醒随之顺延）', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_NOT_SENT', 'CONTRACT_CLOSED', 'DEADLINE_INVALID', 'CONFLICT'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/chase', ZChaseRequest, ({ deps, userId, ids, body, request }) => chaseSigners(deps, { userId, contractId: ids.contractId, partyId: body.partyId, request }), { idempotent: true, doc: { summary: '发起方催办：提醒某一位或全部当前待签署方（每人 24 小时一次，受运营商频控限制），并发送新的签署链接', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_NOT_SENT', 'CONTRACT_CLOSED', 'PARTY_NOT_PENDING', 'CHASE_TOO_SOON', 'SMS_CARRIER_LIMIT', 'NOTICE_NOT_SENT'] } }),
  contractRoute('POST', '/api/contracts/{contractId}/renew', ZRenewContractRequest, ({ deps, userId, ids, body }) => renewContract(deps, { userId, contractId: ids.contractId, ...body }), { status: 201, idempotent: true, doc: { summary: '发起方续签：以已完成合同的签署方、文件、签署位置和顺序创建新草稿（新的截止时间与有效期），与原合同双向关联', errors: ['CONTRACT_NOT_FOUND', 'NOT_THE_SENDER', 'CONTRACT_NOT_RENEWABLE', 'CONTRACT_ALREADY_RENEWED', 'PERSON_NOT_VERIFIED', 'FORBIDDEN', 'COMPANY_NOT_VERIFIED', 'DOCUMENT_NOT_FOUND', 'CONTRACT_INVALID', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] } }),
]

/** Each failed item of a batch with the HTTP status its code has on a single call (404, 403, 409…). */
function withStatuses(r: BatchSignResponse): BatchSignResponse {
  return { ...r, items: r.items.map((i) => (i.status === 'failed' ? { ...i, error: { ...i.error, status: HTTP_STATUS[i.error.code as ErrorCode] ?? 500 } } : i)) }
}

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
    handle: async (event, { deps, params }) => {
      const token = linkToken(params)
      if (!token) return errorResponse('LINK_INVALID', '签署链接无效')
      return answer(await openSigningLink(await withContractServices(deps), { token, request: requestContext(event) }))
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


const PAGE_INDEX = /^(0|[1-9]\d{0,3})$/

// ── Management: lists, counts, timeline, archive, downloads, page images, signatures ─────────────
// Listed before the lifecycle routes: `/api/contracts/counts` must win over `/api/contracts/{contractId}`.
const managementRoutes: Route[] = [
  contractRoute(
    'GET',
    '/api/contracts',
    undefined,
    async ({ deps, userId, event }) => {
      const q = parseQuery(event, ZContractListQuery)
      if (!q.ok) return q
      const { archived, ...filter } = q.value
      return listContracts(deps, { userId, ...filter, archived: archived === 'true' })
    },
    {
      doc: {
        summary: '合同列表：待我签署 / 待他人签署 / 已完成 / 全部，筛选、搜索、分页',
        description:
          '发出的和收到的合同按创建时间从新到旧排列。每次最多查看 100 份合同（每个索引最多读取 100 条），筛选结果较少时一页可能少于 limit 条甚至为空，但仍带 next；用 next 作为 cursor 继续查询。新创建的合同不会打乱已有分页。',
        query: ZContractListQuery,
        errors: ['VALIDATION_FAILED'],
      },
    },
  ),
  contractRoute('GET', '/api/contracts/counts', undefined, ({ deps, userId }) => countMyContracts(deps, { userId }), {
    doc: { summary: '首页计数：待我签署、待他人签署、即将截止（3 天内）、已完成（最近 500 份合同，不含已归档）' },
  }),
  contractRoute('GET', '/api/contracts/{contractId}/timeline', undefined, ({ deps, userId, ids }) => getContractTimeline(deps, { userId, contractId: ids.contractId }), {
    doc: { summary: '合同动态：创建、发送、通知、查看、签署、拒签、撤销、完成', errors: ['CONTRACT_NOT_FOUND'] },
  }),
  contractRoute('POST', '/api/contracts/{contractId}/archive', ZArchiveRequest, ({ deps, userId, ids, body }) => archiveContract(deps, { userId, contractId: ids.contractId, archived: body.archived }), {
    idempotent: true,
    doc: { summary: '归档或取消归档（仅对自己生效）', errors: ['CONTRACT_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] },
  }),
  contractRoute('GET', '/api/contracts/{contractId}/evidence/proofs', undefined, ({ deps, userId, ids }) => getContractEvidenceProofs(deps, { userId, contractId: ids.contractId }), {
    doc: { summary: '证据记录的存证检查点（时间戳）与默克尔包含证明', tags: ['contracts', 'evidence'], response: ZEvidenceProofs, errors: ['CONTRACT_NOT_FOUND'] },
  }),
  contractRoute('GET', '/api/contracts/{contractId}/signatures', undefined, ({ deps, userId, ids }) => getContractSignatures(deps, { userId, contractId: ids.contractId }), {
    doc: { summary: '当前版本中的签名与印章：位置、数字证书、验证结果（点击电子印章查看数字证书）', errors: ['CONTRACT_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'NOT_A_PDF'] },
  }),
  {
    method: 'GET',
    path: '/api/contracts/{contractId}/pages/{page}',
    doc: {
      summary: '合同页面图片（当前版本，页码从 0 开始，按宽度缩放的 PNG，缓存于对象存储）',
      tags: ['contracts'],
      query: ZPageImageQuery,
      responseContentType: 'image/png',
      errors: ['CONTRACT_NOT_FOUND', 'PAGE_OUT_OF_RANGE', 'RENDER_WIDTH_INVALID', 'RENDER_TOO_MANY_PIXELS', 'DOCUMENT_NOT_FOUND', 'NOT_A_PDF', 'UNAVAILABLE'],
    },
    handle: signedIn(async (event, { deps, params, session }) => {
      if (!CONTRACT_ID.test(params.contractId ?? '')) return errorResponse('CONTRACT_NOT_FOUND', '合同不存在')
      if (!PAGE_INDEX.test(params.page ?? '')) return errorResponse('PAGE_OUT_OF_RANGE', '页码应为从 0 开始的整数', { page: params.page })
      const query = ZPageImageQuery.safeParse(event.queryStringParameters ?? {})
      if (!query.success) return errorResponse('RENDER_WIDTH_INVALID', '图片宽度 width 应为 100 到 2000 之间的整数', { field: 'width', minWidth: 100, maxWidth: 2000 })
      const services = await withContractServices(deps)
      const image = await getPageImage(services, { userId: session.sub, contractId: params.contractId!, page: Number(params.page), width: query.data.width })
      if (!image.ok) return fromDomainError(image.error)
      // The URL names no revision: the image changes when someone signs, so the client revalidates (ETag: revision, page, width).
      return binary(200, image.value.png, 'image/png', { 'cache-control': 'private, no-cache', etag: `"${image.value.sha256}-${params.page}-${query.data.width}"` })
    }, '请使用账号登录后查看合同'),
  },
  {
    method: 'GET',
    path: '/api/contracts/{contractId}/pdf',
    doc: { summary: '下载合同 PDF（当前版本或原件）', tags: ['contracts'], query: ZPdfQuery, responseContentType: 'application/pdf', errors: ['CONTRACT_NOT_FOUND', 'DOCUMENT_NOT_FOUND'] },
    handle: signedIn(async (event, { deps, params, session }) => {
      if (!CONTRACT_ID.test(params.contractId ?? '')) return errorResponse('CONTRACT_NOT_FOUND', '合同不存在')
      const query = ZPdfQuery.safeParse(event.queryStringParameters ?? {})
      if (!query.success) return errorResponse('VALIDATION_FAILED', 'version 应为 current 或 original', { field: 'version' })
      const pdf = await getContractPdf(await withContractServices(deps), { userId: session.sub, contractId: params.contractId!, version: query.data.version, request: requestContext(event, session.sub) })
      if (!pdf.ok) return fromDomainError(pdf.error)
      return binary(200, pdf.value.bytes, 'application/pdf', {
        'content-disposition': `attachment; filename="contract.pdf"; filename*=UTF-8''${encodeURIComponent(pdf.value.fileName)}`,
        'cache-control': 'private, no-cache',
        etag: `"${pdf.value.sha256}"`,
      })
    }, '请使用账号登录后下载合同'),
  },
]

// ── Evidence of a completed contract: the signed 证据报告 ────────────────────────────────────────
const evidenceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/contracts/{contractId}/evidence/report',
    doc: {
      summary: '下载证据报告（平台签名的 PDF：合同概要、各版本哈希、签署方身份与认证方式、证书、证据链时间线、存证检查点）',
      tags: ['contracts'],
      responseContentType: 'application/pdf',
      errors: ['CONTRACT_NOT_FOUND', 'CONTRACT_NOT_COMPLETED', 'UNAVAILABLE'],
    },
    handle: signedIn(async (_event, { deps, params, session }) => {
      if (!CONTRACT_ID.test(params.contractId ?? '')) return errorResponse('CONTRACT_NOT_FOUND', '合同不存在')
      const report = await getEvidenceReport(await withContractServices(deps), { userId: session.sub, contractId: params.contractId! })
      if (!report.ok) return fromDomainError(report.error)
      return binary(200, report.value.bytes, 'application/pdf', {
        'content-disposition': `attachment; filename="evidence-report.pdf"; filename*=UTF-8''${encodeURIComponent(report.value.fileName)}`,
        'cache-control': 'private, no-cache',
        etag: `"${report.value.sha256}"`,
      })
    }, '请使用账号登录后下载证据报告'),
  },
  {
    method: 'GET',
    path: '/api/contracts/{contractId}/evidence/package',
    doc: {
      summary: '下载证据包（zip：已签署合同、证据报告、证据链 events.json、存证证明、时间戳令牌、证书链），可用 esign evidence verify 离线验证',
      tags: ['contracts'],
      responseContentType: 'application/zip',
      errors: ['CONTRACT_NOT_FOUND', 'CONTRACT_NOT_COMPLETED', 'UNAVAILABLE'],
    },
    handle: signedIn(async (_event, { deps, params, session }) => {
      if (!CONTRACT_ID.test(params.contractId ?? '')) return errorResponse('CONTRACT_NOT_FOUND', '合同不存在')
      const pack = await getEvidencePackage(await withContractServices(deps), { userId: session.sub, contractId: params.contractId! })
      if (!pack.ok) return fromDomainError(pack.error)
      return binary(200, pack.value.bytes, 'application/zip', {
        'content-disposition': `attachment; filename="evidence-package.zip"; filename*=UTF-8''${encodeURIComponent(pack.value.fileName)}`,
        'cache-control': 'private, no-store',
      })
    }, '请使用账号登录后下载证据包'),
  },
]

export const routes: Route[] = [...managementRoutes, ...evidenceRoutes, ...lifecycleRoutes, ...linkRoutes]

/** The contracts function also serves the approvals routes (审批: a final approval sends the contract). */
export const handler = lambdaHandler([...routes, ...approvalRoutes])
