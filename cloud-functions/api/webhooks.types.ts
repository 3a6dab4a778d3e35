import * as z from 'zod'
import type { WebhookEventType } from '../core/webhooks/webhook-event'
import { WEBHOOK_EVENT_LABELS } from './webhook-event-labels'

export type { WebhookEvent, WebhookEventType } from '../core/webhooks/webhook-event'

/**
 * Webhook endpoints of a company, for its admins (docs/WEBHOOKS.md):
 * - `POST /api/companies/{companyId}/webhooks` {@link CreateWebhookRequest} → {@link CreatedWebhookView} (the secret, this once)
 * - `GET /api/companies/{companyId}/webhooks` → {@link WebhookListResponse}
 * - `DELETE /api/companies/{companyId}/webhooks/{webhookId}`
 * - `GET /api/companies/{companyId}/webhooks/{webhookId}/deliveries?cursor=&limit=` → {@link WebhookDeliveryListResponse}
 * - `POST /api/companies/{companyId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver` → {@link WebhookDeliveryView}
 */
export type WebhookView = { webhookId: string; url: string; events: WebhookEventType[]; description?: string; createdAt: string }
export type CreatedWebhookView = WebhookView & { /** The signing secret: shown only in this answer. */ secret: string }
export type WebhookListResponse = { items: WebhookView[] }
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled'
export type WebhookDeliveryView = {
  deliveryId: string
  eventId: string
  eventType: WebhookEventType
  contractId: string
  status: WebhookDeliveryStatus
  attempts: number
  createdAt: string
  /** While pending: when the next attempt is due. */
  nextAttemptAt?: string
  lastAttemptAt?: string
  /** The receiver's last HTTP status. */
  lastStatusCode?: number
  /** Why the last attempt got no answer (connection refused, timeout, a refused address). */
  lastError?: string
  deliveredAt?: string
  redeliveryOf?: string
}
export type WebhookDeliveryListResponse = { items: WebhookDeliveryView[]; next?: string }

const EVENT_TYPES = Object.keys(WEBHOOK_EVENT_LABELS) as [WebhookEventType, ...WebhookEventType[]]
// Both lists name the same events (a compile error here when one gains an event the other lacks).
const _sameEvents: [WebhookEventType extends keyof typeof WEBHOOK_EVENT_LABELS ? true : false, keyof typeof WEBHOOK_EVENT_LABELS extends WebhookEventType ? true : false] = [true, true]
void _sameEvents

export const ZWebhookEventType = z.enum(EVENT_TYPES)
export const ZCreateWebhookRequest = z
  .object({
    url: z.string().trim().min(1, '请填写 推送地址').max(2048, '推送地址过长'),
    /** The events to receive; all of them when absent. */
    events: z.array(ZWebhookEventType).min(1, '至少选择一个事件').max(EVENT_TYPES.length).optional(),
    description: z.string().trim().max(100, '备注最多 100 个字').optional(),
  })
  .strict()
export type CreateWebhookRequest = z.infer<typeof ZCreateWebhookRequest>

export const ZWebhookId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确')
export const ZCompanyIdParam = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '企业编号格式不正确')

export const ZWebhookView = z.object({
  webhookId: z.string(),
  url: z.string(),
  events: z.array(ZWebhookEventType),
  description: z.string().optional(),
  createdAt: z.string(),
}) satisfies z.ZodType<WebhookView>
export const ZCreatedWebhookView = ZWebhookView.extend({ secret: z.string() }) satisfies z.ZodType<CreatedWebhookView>
export const ZWebhookListResponse = z.object({ items: z.array(ZWebhookView) }) satisfies z.ZodType<WebhookListResponse>
export const ZWebhookDeliveryView = z.object({
  deliveryId: z.string(),
  eventId: z.string(),
  eventType: ZWebhookEventType,
  contractId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
  attempts: z.number().int().min(0),
  createdAt: z.string(),
  nextAttemptAt: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  lastStatusCode: z.number().int().optional(),
  lastError: z.string().optional(),
  deliveredAt: z.string().optional(),
  redeliveryOf: z.string().optional(),
}) satisfies z.ZodType<WebhookDeliveryView>
export const ZWebhookDeliveryListResponse = z.object({ items: z.array(ZWebhookDeliveryView), next: z.string().optional() }) satisfies z.ZodType<WebhookDeliveryListResponse>
export const ZWebhookDeliveryListQuery = z
  .object({
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict()
export const ZDeletedWebhook = z.object({ deleted: z.literal(true) })
