import type { WebhookListResponse } from '../../api/webhooks.types'
import { ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { listEndpoints } from './records'
import { webhookView } from './webhook-view'

/** A company's endpoints, for its admins (secrets are never listed). */
export async function listWebhooks(deps: { metadata: MetadataStore }, input: { userId: string; companyId: string }): Promise<Result<WebhookListResponse>> {
  const role = await requireCompanyRole(deps, { ...input, admin: true })
  if (!role.ok) return role
  const items = await listEndpoints(deps.metadata, input.companyId)
  return ok({ items: items.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(webhookView) })
}
