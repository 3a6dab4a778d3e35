import type { Item, MetadataStore, NewItem } from '../../ports/metadata-store'

/**
 * In-app messages (站内信) of an account. Keys:
 *
 * | record | pk | sk | index (gsi1pk / gsi1sk) |
 * |---|---|---|---|
 * | message | `MSG#<userId>` | `MSG#<messageId>` | while unread: `UNREAD#<userId>` / `MSG#<messageId>` |
 *
 * Message ids are sortable (time first), so a reverse query lists newest first.
 */
export type MessageFields = {
  messageId: string
  kind: string
  title: string
  body: string
  contractId?: string
  createdAt: string
  readAt?: string
}
export type MessageItem = Item & MessageFields & { type: 'message' }

const partition = (userId: string) => `MSG#${userId}`
const unreadPartition = (userId: string) => `UNREAD#${userId}`
const sortKey = (messageId: string) => `MSG#${messageId}`

/** A new unread message. */
export async function putMessage(metadata: MetadataStore, userId: string, m: MessageFields): Promise<void> {
  const item: NewItem = { pk: partition(userId), sk: sortKey(m.messageId), type: 'message', ...m, gsi1pk: unreadPartition(userId), gsi1sk: sortKey(m.messageId) }
  await metadata.put(item, { mustNotExist: true })
}

/** One message of `userId` (only theirs: the key holds the owner). */
export async function loadMessage(metadata: MetadataStore, userId: string, messageId: string): Promise<MessageItem | undefined> {
  const item = await metadata.get(partition(userId), sortKey(messageId))
  return item?.type === 'message' ? (item as MessageItem) : undefined
}

/** The message marked read (out of the unread index); `false` when it changed meanwhile. */
export async function saveRead(metadata: MetadataStore, item: MessageItem, readAt: string): Promise<boolean> {
  const { version, gsi1pk: _pk, gsi1sk: _sk, ...rest } = item
  const written = await metadata.put({ ...rest, readAt }, { expectedVersion: version })
  return written.ok
}

/** A page of `userId`'s messages, newest first, below `before` (a message id) when given. */
export async function listMessageItems(metadata: MetadataStore, userId: string, limit: number, before?: string): Promise<{ items: MessageItem[]; more: boolean }> {
  const page = await metadata.query(partition(userId), { reverse: true, limit: limit + 1, ...(before ? { before: sortKey(before) } : { skPrefix: 'MSG#' }) })
  const items = page.items.filter((i): i is MessageItem => i.type === 'message')
  return { items: items.slice(0, limit), more: items.length > limit }
}

/** Unread messages of `userId`, oldest first, at most `max`. */
export async function listUnread(metadata: MetadataStore, userId: string, max: number): Promise<Item[]> {
  const found: Item[] = []
  let cursor: string | undefined
  do {
    const page = await metadata.queryIndex(unreadPartition(userId), { limit: 100, cursor })
    found.push(...page.items)
    cursor = page.next
  } while (cursor && found.length < max)
  return found.slice(0, max)
}

/**
 * A person's notification channels (`CHANNELS#<userId>` / `SETTINGS`): each on or off, and the
 * e-mail address only encrypted (`emailEnc`) and masked (`maskedEmail`). Absent: the defaults.
 */
export type ChannelFields = { sms: boolean; wechat: boolean; email: boolean; emailEnc?: string; maskedEmail?: string; updatedAt?: string }
export const DEFAULT_CHANNELS: ChannelFields = { sms: true, wechat: true, email: false }

const channelsKey = (userId: string) => ({ pk: `CHANNELS#${userId}`, sk: 'SETTINGS' })

export async function loadChannels(metadata: MetadataStore, userId: string): Promise<ChannelFields & { version?: number }> {
  const key = channelsKey(userId)
  const item = await metadata.get(key.pk, key.sk)
  if (!item) return { ...DEFAULT_CHANNELS }
  return { sms: item.sms !== false, wechat: item.wechat !== false, email: item.email === true, emailEnc: item.emailEnc as string | undefined, maskedEmail: item.maskedEmail as string | undefined, version: item.version }
}

/** Replace the settings; `false` when they changed since `version` was read (absent: created now). */
export async function saveChannels(metadata: MetadataStore, userId: string, fields: ChannelFields, version: number | undefined): Promise<boolean> {
  const written = await metadata.put({ ...channelsKey(userId), type: 'channels', ...fields }, version === undefined ? { mustNotExist: true } : { expectedVersion: version })
  return written.ok
}

/**
 * WeChat one-time subscriptions left (`WXSUB#<userId>` / `<templateId>`): each "accept" of
 * `wx.requestSubscribeMessage` grants one send of that template (CHINA-APIS.md §4.4), counted here
 * and spent before each send, so a person with none left gets SMS instead.
 */
const subscriptionKey = (userId: string, templateId: string) => ({ pk: `WXSUB#${userId}`, sk: templateId })

/** Subscriptions left per template of `userId`. */
export async function loadSubscriptionCredits(metadata: MetadataStore, userId: string): Promise<Record<string, number>> {
  const page = await metadata.query(`WXSUB#${userId}`, { limit: 50 })
  return Object.fromEntries(page.items.map((i) => [i.sk, typeof i.credits === 'number' ? i.credits : 0]))
}

/**
 * Add `delta` (may be negative) to the credits of one template, never below 0 nor above `max`;
 * `spend` (delta -1) fails when none is left. Optimistic: retried on a concurrent change.
 * Answers the credits after the change, or undefined when a spend found none.
 */
export async function changeSubscriptionCredits(metadata: MetadataStore, userId: string, templateId: string, delta: number, max: number): Promise<number | undefined> {
  const key = subscriptionKey(userId, templateId)
  for (let round = 0; round < 5; round++) {
    const item = await metadata.get(key.pk, key.sk)
    const current = typeof item?.credits === 'number' ? item.credits : 0
    if (delta < 0 && current + delta < 0) return undefined
    const credits = Math.min(max, Math.max(0, current + delta))
    const written = await metadata.put({ ...key, type: 'wechat-subscription', credits }, item ? { expectedVersion: item.version } : { mustNotExist: true })
    if (written.ok) return credits
  }
  return undefined
}

/** WeChat answered that none is left (43101): the count follows WeChat's. */
export async function clearSubscriptionCredits(metadata: MetadataStore, userId: string, templateId: string): Promise<void> {
  await metadata.put({ ...subscriptionKey(userId, templateId), type: 'wechat-subscription', credits: 0 })
}
