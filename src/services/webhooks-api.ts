import type { CreateWebhookRequest, CreatedWebhookView, WebhookDeliveryListResponse, WebhookDeliveryView, WebhookListResponse } from '@api/webhooks.types'
import { apiRequest } from './api-client'

const base = (companyId: string) => `/api/companies/${encodeURIComponent(companyId)}/webhooks`

/** Webhook endpoints and delivery logs of a company, for its admins (see cloud-functions/api/webhooks.types.ts). */
export const webhooksApi = {
  list: (companyId: string) => apiRequest<WebhookListResponse>('GET', base(companyId)),
  create: (companyId: string, request: CreateWebhookRequest) => apiRequest<CreatedWebhookView>('POST', base(companyId), { data: request }),
  remove: (companyId: string, webhookId: string) => apiRequest<{ deleted: true }>('DELETE', `${base(companyId)}/${encodeURIComponent(webhookId)}`),
  deliveries: (companyId: string, webhookId: string, cursor?: string) =>
    apiRequest<WebhookDeliveryListResponse>('GET', `${base(companyId)}/${encodeURIComponent(webhookId)}/deliveries?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  redeliver: (companyId: string, webhookId: string, deliveryId: string) =>
    apiRequest<WebhookDeliveryView>('POST', `${base(companyId)}/${encodeURIComponent(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
}
