import type { WebhookDeliveryView, WebhookView } from '../../api/webhooks.types'
import type { DeliveryRecord, EndpointRecord } from './records'

/** An endpoint as its company's admins see it: never the secret. */
export function webhookView(e: EndpointRecord): WebhookView {
  return { webhookId: e.webhookId, url: e.url, events: e.events, ...(e.description ? { description: e.description } : {}), createdAt: e.createdAt }
}

/** One delivery in the log. */
export function deliveryView(d: DeliveryRecord): WebhookDeliveryView {
  return {
    deliveryId: d.deliveryId,
    eventId: d.eventId,
    eventType: d.eventType,
    contractId: d.contractId,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.createdAt,
    ...(d.status === 'pending' && d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt } : {}),
    ...(d.lastAttemptAt ? { lastAttemptAt: d.lastAttemptAt } : {}),
    ...(d.lastStatusCode !== undefined ? { lastStatusCode: d.lastStatusCode } : {}),
    ...(d.lastError ? { lastError: d.lastError } : {}),
    ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
    ...(d.redeliveryOf ? { redeliveryOf: d.redeliveryOf } : {}),
  }
}
