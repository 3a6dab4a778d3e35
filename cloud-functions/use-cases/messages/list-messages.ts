import type { MessageListResponse, MessageView } from '../../api/messages.types'
import { ok, type Result } from '../../core/shared/result'
import type { MessagesDeps } from './deps'
import { listMessageItems, type MessageItem } from './records'

export function messageView(m: MessageItem): MessageView {
  return { messageId: m.messageId, kind: m.kind, title: m.title, body: m.body, ...(m.contractId ? { contractId: m.contractId } : {}), createdAt: m.createdAt, read: Boolean(m.readAt) }
}

/** The caller's in-app messages, newest first; `next` (a message id) continues below the last one. */
export async function listMessages(deps: MessagesDeps, input: { userId: string; limit?: number; cursor?: string }): Promise<Result<MessageListResponse>> {
  const limit = input.limit ?? 20
  const page = await listMessageItems(deps.metadata, input.userId, limit, input.cursor)
  const items = page.items.map(messageView)
  return ok({ items, ...(page.more && items.length ? { next: items[items.length - 1]!.messageId } : {}) })
}
