import type { UnreadCountResponse } from '../../api/messages.types'
import { ok, type Result } from '../../core/shared/result'
import type { MessagesDeps } from './deps'
import { listUnread } from './records'

/** Counted up to this many (the badge shows 99+ anyway). */
const MAX_COUNTED = 999

/** How many of the caller's messages are unread (at most 999). */
export async function countUnreadMessages(deps: MessagesDeps, input: { userId: string }): Promise<Result<UnreadCountResponse>> {
  const unread = await listUnread(deps.metadata, input.userId, MAX_COUNTED)
  return ok({ unread: unread.length })
}
