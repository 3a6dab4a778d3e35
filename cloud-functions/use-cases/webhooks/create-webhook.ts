import type { CreateWebhookRequest, CreatedWebhookView } from '../../api/webhooks.types'
import { encryptPersonalData } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks/webhook-event'
import { requireCompanyRole } from '../identity/require-company-role'
import { checkWebhookTarget } from './check-webhook-target'
import type { WebhookDeps } from './deps'
import { endpointItem, listEndpoints, MAX_ENDPOINTS, type EndpointRecord } from './records'
import { webhookView } from './webhook-view'

/**
 * A company admin adds an endpoint: the URL is checked (form and resolved addresses), a signing
 * secret is generated (`whsec_` + 32 random bytes, base64url), stored encrypted and answered this
 * once — it is never shown again. At most {@link MAX_ENDPOINTS} per company.
 */
export async function createWebhook(deps: WebhookDeps, input: { userId: string; companyId: string; request: CreateWebhookRequest }): Promise<Result<CreatedWebhookView>> {
  const role = await requireCompanyRole(deps, { userId: input.userId, companyId: input.companyId, admin: true })
  if (!role.ok) return role
  const target = await checkWebhookTarget(deps, input.request.url)
  if (!target.ok) return target
  if ((await listEndpoints(deps.metadata, input.companyId)).length >= MAX_ENDPOINTS) return err('WEBHOOK_LIMIT_REACHED', `每个企业最多配置 ${MAX_ENDPOINTS} 个推送地址`)
  const secret = `whsec_${Buffer.from(deps.ids.randomBytes(32)).toString('base64url')}`
  const record: EndpointRecord = {
    type: 'webhook-endpoint',
    webhookId: deps.ids.newId(),
    companyId: input.companyId,
    url: target.value.url.toString(),
    events: input.request.events?.length ? [...new Set(input.request.events)] : [...WEBHOOK_EVENT_TYPES],
    ...(input.request.description ? { description: input.request.description } : {}),
    secretEnc: encryptPersonalData(deps.personalData, 'webhook-secret', secret),
    createdAt: deps.clock.now().toISOString(),
    createdBy: input.userId,
  }
  const written = await deps.metadata.put(endpointItem(record), { mustNotExist: true })
  if (!written.ok) return err('CONFLICT', written.message)
  return ok({ ...webhookView(record), secret })
}
