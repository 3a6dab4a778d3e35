import type { MessageView } from '../../api/messages.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { MessagesDeps } from './deps'
import { messageView } from './list-messages'
import { loadMessage, saveRead } from './records'

/** Mark one of the caller's messages read (again: no change). `MESSAGE_NOT_FOUND` for anyone else's. */
export async function markMessageRead(deps: MessagesDeps, input: { userId: string; messageId: string }): Promise<Result<MessageView>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const item = await loadMessage(deps.metadata, input.userId, input.messageId)
    if (!item) return err('MESSAGE_NOT_FOUND', '消息不存在')
    if (item.readAt) return ok(messageView(item))
    const readAt = deps.clock.now().toISOString()
    if (await saveRead(deps.metadata, item, readAt)) return ok(messageView({ ...item, readAt }))
  }
  return err('CONFLICT', '消息已被修改，请刷新后重试')
}
