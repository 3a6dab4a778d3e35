import { decryptPersonalData } from '../../core/identity/personal-data'
import { nextWebhookAttempt } from '../../core/webhooks/retry-schedule'
import { webhookSignature } from '../../core/webhooks/webhook-signature'
import type { Item } from '../../ports/metadata-store'
import type { WebhookDeps } from './deps'
import { checkWebhookTarget } from './check-webhook-target'
import {
  WEBHOOK_DUE_INDEX,
  deliveryUpdate,
  eventsTakenOperation,
  getEndpoint,
  isDeliveryItem,
  isEventsItem,
  leasedItem,
  listEndpoints,
  newDeliveryItem,
  type DeliveryItem,
  type DeliveryRecord,
  type EventsItem,
} from './records'

/** How long a claimed delivery stays out of the due index while one tick sends it (well above the send timeout). */
const LEASE_MS = 2 * 60_000
/** Deliveries sent at the same time by one tick. */
const PARALLEL = 4

export type WebhookTickCounts = { fannedOut: number; delivered: number; retrying: number; failed: number; cancelled: number }

/**
 * The webhook part of the scheduled tick. Everything due is found through the due index (never a
 * scan): first the transitions' events, each fanned out to the company's subscribed endpoints in one
 * transaction that deletes the events item on its version (a second tick's transaction fails, so
 * nothing is fanned out twice); then the due deliveries, each claimed by a conditional write on its
 * version (moved a lease ahead) before it is sent, so a tick run twice, or two ticks at once, send it
 * once. A 2xx answer delivers it; anything else retries with exponential backoff for 24 hours,
 * then it is `failed` (and can be redelivered by hand).
 */
export async function deliverWebhooks(deps: WebhookDeps, limit = 200): Promise<WebhookTickCounts> {
  const counts: WebhookTickCounts = { fannedOut: 0, delivered: 0, retrying: 0, failed: 0, cancelled: 0 }
  for (const item of await findDue(deps, limit)) {
    if (isEventsItem(item) && (await fanOut(deps, item))) counts.fannedOut += 1
  }
  const deliveries = (await findDue(deps, limit)).filter(isDeliveryItem)
  for (let i = 0; i < deliveries.length; i += PARALLEL) {
    const outcomes = await Promise.all(deliveries.slice(i, i + PARALLEL).map((d) => deliverOne(deps, d)))
    for (const o of outcomes) if (o) counts[o] += 1
  }
  return counts
}

async function findDue(deps: WebhookDeps, limit: number): Promise<Item[]> {
  const now = deps.clock.now().toISOString()
  const due: Item[] = []
  let cursor: string | undefined
  do {
    const page = await deps.metadata.queryIndex(WEBHOOK_DUE_INDEX, { limit: Math.min(limit, 100), cursor })
    for (const item of page.items) {
      if (String(item.gsi1sk).slice(0, now.length) > now) return due
      due.push(item)
      if (due.length >= limit) return due
    }
    cursor = page.next
  } while (cursor)
  return due
}

async function fanOut(deps: WebhookDeps, item: EventsItem): Promise<boolean> {
  const endpoints = await listEndpoints(deps.metadata, item.companyId)
  const createdAt = deps.clock.now().toISOString()
  const puts = endpoints.flatMap((endpoint) =>
    item.events
      .filter((event) => endpoint.events.includes(event.type))
      .map((event) => ({
        put: newDeliveryItem({
          deliveryId: deps.ids.newId(),
          companyId: item.companyId,
          webhookId: endpoint.webhookId,
          eventId: event.id,
          eventType: event.type,
          contractId: item.contractId,
          body: JSON.stringify(event),
          createdAt,
        }),
        condition: { mustNotExist: true as const },
      })),
  )
  const written = await deps.metadata.transact([eventsTakenOperation(item), ...puts])
  return written.ok
}

type Outcome = 'delivered' | 'retrying' | 'failed' | 'cancelled'

async function deliverOne(deps: WebhookDeps, due: DeliveryItem): Promise<Outcome | undefined> {
  const now = deps.clock.now()
  const claimed = await deps.metadata.put(leasedItem(due, new Date(now.getTime() + LEASE_MS)), { expectedVersion: due.version })
  if (!claimed.ok) return undefined // another tick has it
  const claimVersion = due.version + 1
  const settle = async (change: Partial<DeliveryRecord>) => {
    await deps.metadata.put(deliveryUpdate(due, change), { expectedVersion: claimVersion })
  }

  const endpoint = await getEndpoint(deps.metadata, due.companyId, due.webhookId)
  if (!endpoint) {
    await settle({ status: 'cancelled', lastError: '推送地址已删除', nextAttemptAt: undefined })
    return 'cancelled'
  }
  const attempts = due.attempts + 1
  const attemptAt = now.toISOString()
  let outcome: { status: number } | { error: string }
  const target = await checkWebhookTarget(deps, endpoint.url)
  if (!target.ok) {
    outcome = { error: target.error.code }
  } else {
    const timestamp = Math.floor(now.getTime() / 1000)
    const secret = decryptPersonalData(deps.personalData, 'webhook-secret', endpoint.secretEnc)
    outcome = await deps.webhooks.poster.post({
      url: endpoint.url,
      address: target.value.addresses[0]!,
      body: due.body,
      timeoutMs: deps.webhooks.timeoutMs,
      headers: {
        'qianyue-event': due.eventType,
        'qianyue-delivery': due.deliveryId,
        'qianyue-timestamp': String(timestamp),
        'qianyue-signature': webhookSignature(secret, timestamp, due.body),
      },
    })
  }
  const answered = 'status' in outcome ? { lastStatusCode: outcome.status, lastError: undefined } : { lastStatusCode: undefined, lastError: outcome.error }
  if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
    await settle({ status: 'delivered', attempts, lastAttemptAt: attemptAt, deliveredAt: attemptAt, nextAttemptAt: undefined, ...answered })
    return 'delivered'
  }
  const next = nextWebhookAttempt(new Date(due.createdAt), attempts, now)
  deps.logger.warn({ webhookId: due.webhookId, deliveryId: due.deliveryId, attempts, ...answered, givenUp: !next }, 'webhook delivery failed')
  await settle({ status: next ? 'pending' : 'failed', attempts, lastAttemptAt: attemptAt, nextAttemptAt: next?.toISOString(), ...answered })
  return next ? 'retrying' : 'failed'
}
