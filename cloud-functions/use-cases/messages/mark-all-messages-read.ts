import type { UnreadCountResponse } from '../../api/messages.types'
import { ok, type Result } from '../../core/shared/result'
import type { MessagesDeps } from './deps'
import { markMessageRead } from './mark-message-read'
import { listUnread } from './records'

/** Mark every unread message of the caller read (at most 1000 per call); answers what is left unread. */
export async function markAllMessagesRead(deps: MessagesDeps, input: { userId: string }): Promise<Result<UnreadCountResponse>> {
  const unread = await listUnread(deps.metadata, input.userId, 1000)
  for (const item of unread) await markMessageRead(deps, { userId: input.userId, messageId: String(item.messageId) })
  const left = await listUnread(deps.metadata, input.userId, 999)
  return ok({ unread: left.length })
}
