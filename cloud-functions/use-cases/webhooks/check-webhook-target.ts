import { err, ok, type Result } from '../../core/shared/result'
import { checkWebhookAddresses, parseWebhookUrl, resolvableHost } from '../../core/webhooks/webhook-url'
import type { WebhookServices } from './deps'

/**
 * Whether `raw` may receive webhooks now: the URL's form (https in AWS mode), then every address
 * its host resolves to (public unicast only; loopback only with the test/development flag). Run at
 * creation and again before every delivery, which then connects to one of these very addresses, so
 * a name that later resolves somewhere private (DNS rebinding) is refused, not followed.
 */
export async function checkWebhookTarget(deps: Pick<WebhookServices, 'webhooks'>, raw: string): Promise<Result<{ url: URL; addresses: string[] }>> {
  const url = parseWebhookUrl(raw, deps.webhooks.policy)
  if (!url.ok) return url
  let resolved: string[]
  try {
    resolved = await deps.webhooks.resolver.resolve(resolvableHost(url.value))
  } catch {
    return err('WEBHOOK_HOST_UNRESOLVED', '暂时无法解析 推送地址的域名，请稍后重试')
  }
  const allowed = checkWebhookAddresses(resolved, deps.webhooks.policy)
  if (!allowed.ok) return allowed
  return ok({ url: url.value, addresses: allowed.value })
}
