import {
  ZCompanyIdParam,
  ZCreatedWebhookView,
  ZCreateWebhookRequest,
  ZDeletedWebhook,
  ZWebhookDeliveryListQuery,
  ZWebhookDeliveryListResponse,
  ZWebhookDeliveryView,
  ZWebhookId,
  ZWebhookListResponse,
} from '../../api/webhooks.types'
import { err, ok, type Result } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { fromDomainError, fromResult, parseJsonBody } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { withWebhookServices } from '../../runtime/services'
import { createWebhook } from '../../use-cases/webhooks/create-webhook'
import { deleteWebhook } from '../../use-cases/webhooks/delete-webhook'
import { listWebhookDeliveries } from '../../use-cases/webhooks/list-webhook-deliveries'
import { listWebhooks } from '../../use-cases/webhooks/list-webhooks'
import { redeliverWebhook } from '../../use-cases/webhooks/redeliver-webhook'
import { signedIn } from '../signed-in'

const USER_ONLY = '请使用账号登录管理推送地址'
const TAGS = ['webhooks']
const BASE = '/api/companies/{companyId}/webhooks'

/** The path's ids, checked: `VALIDATION_FAILED` for a malformed one. */
function ids(params: Record<string, string>): Result<{ companyId: string; webhookId: string; deliveryId: string }> {
  const company = ZCompanyIdParam.safeParse(params.companyId)
  if (!company.success) return err('VALIDATION_FAILED', '企业编号格式不正确')
  for (const name of ['webhookId', 'deliveryId'] as const) {
    if (params[name] !== undefined && !ZWebhookId.safeParse(params[name]).success) return err('VALIDATION_FAILED', '编号格式不正确')
  }
  return ok({ companyId: company.data, webhookId: params.webhookId ?? '', deliveryId: params.deliveryId ?? '' })
}

/** Webhook endpoints of a company and their delivery logs: company admins only (docs/WEBHOOKS.md). */
export const routes: Route[] = [
  {
    method: 'POST',
    path: BASE,
    doc: { summary: '新建推送地址（签名密钥只在本次返回）', tags: TAGS, body: ZCreateWebhookRequest, response: ZCreatedWebhookView, responseStatus: 201, errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'WEBHOOK_URL_INVALID', 'WEBHOOK_ADDRESS_FORBIDDEN', 'WEBHOOK_HOST_UNRESOLVED', 'WEBHOOK_LIMIT_REACHED'] },
    handle: signedIn(async (event, { deps, params, session }) => {
      const p = ids(params)
      if (!p.ok) return fromDomainError(p.error)
      const body = parseJsonBody(event, ZCreateWebhookRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await createWebhook(await withWebhookServices(deps), { userId: session.sub, companyId: p.value.companyId, request: body.value }), 201)
    }, USER_ONLY),
  },
  {
    method: 'GET',
    path: BASE,
    doc: { summary: '企业的推送地址列表（不含密钥）', tags: TAGS, response: ZWebhookListResponse, errors: ['VALIDATION_FAILED', 'FORBIDDEN'] },
    handle: signedIn(async (_event, { deps, params, session }) => {
      const p = ids(params)
      if (!p.ok) return fromDomainError(p.error)
      return fromResult(await listWebhooks(deps, { userId: session.sub, companyId: p.value.companyId }))
    }, USER_ONLY),
  },
  {
    method: 'DELETE',
    path: `${BASE}/{webhookId}`,
    doc: { summary: '删除推送地址', tags: TAGS, response: ZDeletedWebhook, errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'WEBHOOK_NOT_FOUND'] },
    handle: signedIn(async (_event, { deps, params, session }) => {
      const p = ids(params)
      if (!p.ok) return fromDomainError(p.error)
      return fromResult(await deleteWebhook(deps, { userId: session.sub, companyId: p.value.companyId, webhookId: p.value.webhookId }))
    }, USER_ONLY),
  },
  {
    method: 'GET',
    path: `${BASE}/{webhookId}/deliveries`,
    doc: { summary: '投递记录（从新到旧，用 next 作为 cursor 翻页）', tags: TAGS, query: ZWebhookDeliveryListQuery, response: ZWebhookDeliveryListResponse, errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'WEBHOOK_NOT_FOUND'] },
    handle: signedIn(async (event, { deps, params, session }) => {
      const p = ids(params)
      if (!p.ok) return fromDomainError(p.error)
      const q = ZWebhookDeliveryListQuery.safeParse(event.queryStringParameters ?? {})
      if (!q.success) return fromDomainError(err('VALIDATION_FAILED', '查询参数不正确').error)
      return fromResult(await listWebhookDeliveries(deps, { userId: session.sub, companyId: p.value.companyId, webhookId: p.value.webhookId, limit: q.data.limit, cursor: q.data.cursor }))
    }, USER_ONLY),
  },
  {
    method: 'POST',
    path: `${BASE}/{webhookId}/deliveries/{deliveryId}/redeliver`,
    doc: { summary: '重新投递（同一事件，下一次定时任务发送）', tags: TAGS, response: ZWebhookDeliveryView, responseStatus: 202, errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'WEBHOOK_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND'] },
    handle: signedIn(async (_event, { deps, params, session }) => {
      const p = ids(params)
      if (!p.ok) return fromDomainError(p.error)
      return fromResult(await redeliverWebhook(await withWebhookServices(deps), { userId: session.sub, ...p.value }), 202)
    }, USER_ONLY),
  },
]

export const handler = lambdaHandler(routes)
