import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { requireCompanyRole } from '../identity/require-company-role'
import { deleteEndpoint } from './records'

/** A company admin removes an endpoint; its pending deliveries are cancelled when the tick reaches them. */
export async function deleteWebhook(deps: { metadata: MetadataStore }, input: { userId: string; companyId: string; webhookId: string }): Promise<Result<{ deleted: true }>> {
  const role = await requireCompanyRole(deps, { userId: input.userId, companyId: input.companyId, admin: true })
  if (!role.ok) return role
  if (!(await deleteEndpoint(deps.metadata, input.companyId, input.webhookId))) return err('WEBHOOK_NOT_FOUND', '推送地址不存在')
  return ok({ deleted: true })
}
