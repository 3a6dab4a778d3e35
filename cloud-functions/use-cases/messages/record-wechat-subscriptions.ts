import type { RecordWeChatSubscriptionsRequest, WeChatSubscriptionsView } from '../../api/messages.types'
import { err, type Result } from '../../core/shared/result'
import { MAX_SUBSCRIPTION_CREDITS } from './create-notifier'
import { getWeChatSubscriptions, type WeChatSubscriptionDeps } from './get-wechat-subscriptions'
import { changeSubscriptionCredits } from './records'

/**
 * Record the answer of `wx.requestSubscribeMessage`: each "accept" of a configured template is one
 * more subscription message the caller may be sent (at most 50 kept per template). An unknown
 * template id is refused (`VALIDATION_FAILED`) and nothing is counted.
 */
export async function recordWeChatSubscriptions(
  deps: WeChatSubscriptionDeps,
  input: { userId: string; answer: RecordWeChatSubscriptionsRequest },
): Promise<Result<WeChatSubscriptionsView>> {
  const known = new Set(Object.values(deps.wechatSubscribe?.templates ?? {}))
  if (known.size === 0) return err('VALIDATION_FAILED', '未配置微信订阅消息')
  const unknown = Object.keys(input.answer.results).find((id) => !known.has(id))
  if (unknown) return err('VALIDATION_FAILED', '不是本服务的订阅消息模板', { field: 'results' })
  for (const [templateId, choice] of Object.entries(input.answer.results)) {
    if (choice === 'accept') await changeSubscriptionCredits(deps.metadata, input.userId, templateId, 1, MAX_SUBSCRIPTION_CREDITS)
  }
  return getWeChatSubscriptions(deps, { userId: input.userId })
}
