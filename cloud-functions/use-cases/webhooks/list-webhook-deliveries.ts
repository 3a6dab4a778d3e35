import type { WebhookDeliveryListResponse } from '../../api/webhooks.types'
import { err, ok, type Result } from '../../core/shared/result'
import { InvalidCursorError, type MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { DELIVERY_PREFIX, deliveryPartition, getEndpoint, isDeliveryItem } from './records'
import { deliveryView } from './webhook-view'

/** An endpoint's delivery log, newest first (status, attempts, the receiver's last answer, the next try). */
export async function listWebhookDeliveries(
  deps: { metadata: MetadataStore },
  input: { userId: string; companyId: string; webhookId: string; limit: number; cursor?: string },
): Promise<Result<WebhookDeliveryListResponse>> {
  const role = await requireCompanyRole(deps, { userId: input.userId, companyId: input.companyId, admin: true })
  if (!role.ok) return role
  if (!(await getEndpoint(deps.metadata, input.companyId, input.webhookId))) return err('WEBHOOK_NOT_FOUND', '推送地址不存在')
  try {
    const page = await deps.metadata.query(deliveryPartition(input.companyId, input.webhookId), { skPrefix: DELIVERY_PREFIX, reverse: true, limit: input.limit, cursor: input.cursor })
    return ok({ items: page.items.filter(isDeliveryItem).map(deliveryView), ...(page.next ? { next: page.next } : {}) })
  } catch (e) {
    if (e instanceof InvalidCursorError) return err('VALIDATION_FAILED', '翻页参数不正确')
    throw e
  }
}
