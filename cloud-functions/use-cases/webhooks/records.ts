import type { WebhookEvent, WebhookEventType } from '../../core/webhooks/webhook-event'
import type { WebhookDeliveryView } from '../../api/webhooks.types'
import type { Item, MetadataStore, NewItem, TransactOperation } from '../../ports/metadata-store'

/**
 * The webhooks area's records.
 *
 * | record | pk | sk | index (gsi1pk / gsi1sk) |
 * |---|---|---|---|
 * | endpoint of a company | `WEBHOOKS#<companyId>` | `ENDPOINT#<webhookId>` | |
 * | events of one contract transition, not yet fanned out | `WEBHOOKEVENTS#<contractId>` | `<seq, 6 digits>` | `WEBHOOK#DUE` / `<at>#E#<contractId>#<seq>` |
 * | delivery (one event to one endpoint) | `WEBHOOKS#<companyId>#<webhookId>` | `DELIVERY#<deliveryId>` (time-sortable) | `WEBHOOK#DUE` / `<next attempt>#D#<deliveryId>` while pending |
 *
 * The transition's events are written in the transition's own transaction (`commit-transition.ts`),
 * so an event exists exactly when its state change does; the tick fans them out to the endpoints
 * (one transaction: the events item deleted on its version, the deliveries created) and delivers
 * the due deliveries, each claimed by a conditional write on its version first. Deliveries are
 * kept 30 days (TTL).
 */
export const WEBHOOK_DUE_INDEX = 'WEBHOOK#DUE'
export const endpointPartition = (companyId: string) => `WEBHOOKS#${companyId}`
export const endpointKey = (companyId: string, webhookId: string) => ({ pk: endpointPartition(companyId), sk: `ENDPOINT#${webhookId}` })
export const deliveryPartition = (companyId: string, webhookId: string) => `WEBHOOKS#${companyId}#${webhookId}`
export const deliveryKey = (companyId: string, webhookId: string, deliveryId: string) => ({ pk: deliveryPartition(companyId, webhookId), sk: `DELIVERY#${deliveryId}` })
export const DELIVERY_PREFIX = 'DELIVERY#'
const eventsKey = (contractId: string, seq: number) => ({ pk: `WEBHOOKEVENTS#${contractId}`, sk: String(seq).padStart(6, '0') })
const dueIndex = (at: Date | string, tail: string) => ({ gsi1pk: WEBHOOK_DUE_INDEX, gsi1sk: `${typeof at === 'string' ? at : at.toISOString()}#${tail}` })
/** Delivery records live 30 days. */
const DELIVERY_TTL_SECONDS = 30 * 86400
/** At most this many endpoints per company (a fan-out is one transaction: 10 endpoints × 2 events + 1). */
export const MAX_ENDPOINTS = 10

export type EndpointRecord = {
  type: 'webhook-endpoint'
  webhookId: string
  companyId: string
  url: string
  events: WebhookEventType[]
  description?: string
  /** The signing secret, encrypted (`encryptPersonalData`, kind `webhook-secret`). */
  secretEnc: string
  createdAt: string
  createdBy: string
}
export type EndpointItem = Item & EndpointRecord

/** A delivery as stored: what the delivery log shows (`WebhookDeliveryView`), plus its owner and the exact JSON body sent on every attempt. */
export type DeliveryRecord = WebhookDeliveryView & {
  type: 'webhook-delivery'
  companyId: string
  webhookId: string
  body: string
}
export type DeliveryItem = Item & DeliveryRecord

export type EventsRecord = { type: 'webhook-events'; companyId: string; contractId: string; events: WebhookEvent[] }
export type EventsItem = Item & EventsRecord

export function endpointItem(record: EndpointRecord): NewItem {
  return { ...endpointKey(record.companyId, record.webhookId), ...record }
}

export async function listEndpoints(metadata: MetadataStore, companyId: string): Promise<EndpointItem[]> {
  const page = await metadata.query(endpointPartition(companyId), { skPrefix: 'ENDPOINT#' })
  return page.items as EndpointItem[]
}

export async function getEndpoint(metadata: MetadataStore, companyId: string, webhookId: string): Promise<EndpointItem | undefined> {
  const { pk, sk } = endpointKey(companyId, webhookId)
  return (await metadata.get(pk, sk)) as EndpointItem | undefined
}

export async function deleteEndpoint(metadata: MetadataStore, companyId: string, webhookId: string): Promise<boolean> {
  const { pk, sk } = endpointKey(companyId, webhookId)
  const found = await metadata.get(pk, sk)
  if (!found) return false
  await metadata.delete(pk, sk)
  return true
}

/** Whether the company has any endpoint (one read before a transition writes events). */
export async function hasEndpoints(metadata: MetadataStore, companyId: string): Promise<boolean> {
  return (await metadata.query(endpointPartition(companyId), { skPrefix: 'ENDPOINT#', limit: 1 })).items.length > 0
}

/** The put that records one transition's webhook events for the tick (goes into the transition's transaction). */
export function eventsOperation(o: { companyId: string; contractId: string; seq: number; at: string; events: WebhookEvent[] }): TransactOperation {
  return {
    put: { ...eventsKey(o.contractId, o.seq), ...dueIndex(o.at, `E#${o.contractId}#${o.seq}`), type: 'webhook-events', companyId: o.companyId, contractId: o.contractId, events: o.events, expiresAt: Math.floor(Date.parse(o.at) / 1000) + DELIVERY_TTL_SECONDS },
    condition: { mustNotExist: true },
  }
}

/** The delete of a transition's events item on the version that was read: the fan-out's claim (a second tick's transaction fails on it). */
export function eventsTakenOperation(item: EventsItem): TransactOperation {
  return { delete: { pk: item.pk, sk: item.sk }, condition: { expectedVersion: item.version } }
}

/** A new delivery, due at once. */
export function newDeliveryItem(record: Omit<DeliveryRecord, 'type' | 'status' | 'attempts' | 'nextAttemptAt'>): NewItem {
  return {
    ...deliveryKey(record.companyId, record.webhookId, record.deliveryId),
    ...dueIndex(record.createdAt, `D#${record.deliveryId}`),
    type: 'webhook-delivery',
    ...record,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: record.createdAt,
    expiresAt: Math.floor(Date.parse(record.createdAt) / 1000) + DELIVERY_TTL_SECONDS,
  }
}

/** The delivery as it should be stored next: in the due index at `nextAttemptAt` while pending, out of it otherwise. */
export function deliveryUpdate(item: DeliveryItem, change: Partial<DeliveryRecord>): NewItem {
  const { version: _version, gsi1pk: _p, gsi1sk: _s, ...rest } = item
  const next = { ...rest, ...change }
  return next.status === 'pending' && next.nextAttemptAt ? { ...next, ...dueIndex(next.nextAttemptAt, `D#${next.deliveryId}`) } : next
}

/** The same item moved `until` ahead in the due index (a claim: while one tick works on it, no other finds it due). */
export function leasedItem(item: Item, until: Date): NewItem {
  const { version: _version, ...rest } = item
  const tail = String(item.gsi1sk ?? '').split('#').slice(1).join('#')
  return { ...rest, ...dueIndex(until, tail) }
}

export function isDeliveryItem(item: Item): item is DeliveryItem {
  return item.type === 'webhook-delivery'
}
export function isEventsItem(item: Item): item is EventsItem {
  return item.type === 'webhook-events'
}

export async function getDelivery(metadata: MetadataStore, companyId: string, webhookId: string, deliveryId: string): Promise<DeliveryItem | undefined> {
  const { pk, sk } = deliveryKey(companyId, webhookId, deliveryId)
  const item = await metadata.get(pk, sk)
  return item && isDeliveryItem(item) ? item : undefined
}
