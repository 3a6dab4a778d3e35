import type { WeChatSubscriptionsView } from '../../api/messages.types'
import { ok, type Result } from '../../core/shared/result'
import type { IdentityServices } from '../identity/deps'
import type { MessagesDeps } from './deps'
import { loadSubscriptionCredits } from './records'

export type WeChatSubscriptionDeps = MessagesDeps & { wechatSubscribe?: IdentityServices['wechatSubscribe'] }

/** The templates to ask the caller to subscribe to, and what they have left of each (configured templates only). */
export async function getWeChatSubscriptions(deps: WeChatSubscriptionDeps, input: { userId: string }): Promise<Result<WeChatSubscriptionsView>> {
  const templates = { ...(deps.wechatSubscribe?.templates ?? {}) }
  const stored = Object.keys(templates).length ? await loadSubscriptionCredits(deps.metadata, input.userId) : {}
  const credits = Object.fromEntries([...new Set(Object.values(templates))].map((id) => [id, stored[id] ?? 0]))
  return ok({ templates, credits })
}
