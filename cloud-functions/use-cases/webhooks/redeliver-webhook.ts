import type { WebhookDeliveryView } from '../../api/webhooks.types'
import { err, ok, type Result } from '../../core/shared/result'
import { requireCompanyRole } from '../identity/require-company-role'
import type { WebhookDeps } from './deps'
import { getDelivery, getEndpoint, newDeliveryItem } from './records'
import { deliveryView } from './webhook-view'

/**
 * A company admin sends an event again: a new delivery of the same body (same event id, so the
 * receiver can tell it is a repeat), due at once — the next tick sends it; the request never
 * waits for the receiver. It has its own 24 hours of retries.
 */
export async function redeliverWebhook(deps: WebhookDeps, input: { userId: string; companyId: string; webhookId: string; deliveryId: string }): Promise<Result<WebhookDeliveryView>> {
  const role = await requireCompanyRole(deps, { userId: input.userId, companyId: input.companyId, admin: true })
  if (!role.ok) return role
  if (!(await getEndpoint(deps.metadata, input.companyId, input.webhookId))) return err('WEBHOOK_NOT_FOUND', '推送地址不存在')
  const original = await getDelivery(deps.metadata, input.companyId, input.webhookId, input.deliveryId)
  if (!original) return err('WEBHOOK_DELIVERY_NOT_FOUND', '投递记录不存在')
  const record = {
    deliveryId: deps.ids.newId(),
    companyId: original.companyId,
    webhookId: original.webhookId,
    eventId: original.eventId,
    eventType: original.eventType,
    contractId: original.contractId,
    body: original.body,
    createdAt: deps.clock.now().toISOString(),
    redeliveryOf: original.deliveryId,
  }
  const written = await deps.metadata.put(newDeliveryItem(record), { mustNotExist: true })
  if (!written.ok) return err('CONFLICT', written.message)
  return ok(deliveryView({ ...record, type: 'webhook-delivery', status: 'pending', attempts: 0, nextAttemptAt: record.createdAt }))
}
