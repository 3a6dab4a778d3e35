import { getContainer } from '../../runtime/bootstrap'
import type { Container } from '../../runtime/container'
import { withWebhookServices } from '../../runtime/services'
import { deliverWebhooks, type WebhookTickCounts } from '../../use-cases/webhooks/deliver-webhooks'

/** The webhook tick (EventBridge every minute in AWS; the local server's in-process timer): fan out new events, deliver what is due. */
export async function handler(): Promise<WebhookTickCounts> {
  return runWebhooksTick(await getContainer())
}

export async function runWebhooksTick(deps: Container): Promise<WebhookTickCounts> {
  const counts = await deliverWebhooks(await withWebhookServices(deps))
  if (counts.fannedOut + counts.delivered + counts.retrying + counts.failed + counts.cancelled > 0) deps.logger.info(counts, 'webhooks tick')
  return counts
}
