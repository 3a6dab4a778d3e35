/**
 * WeChat subscription messages (`subscribeMessage.send`, CHINA-APIS.md §4.3). Implemented by
 * `adapters/wechat/wechat-subscribe-sender.ts`. An outage (timeout, HTTP error, `-1`) throws
 * `ProviderUnavailableError`; WeChat's refusals are answers.
 */
export interface WeChatSubscribeSender {
  send(message: WeChatSubscribeMessage): Promise<WeChatSubscribeResult>
}

export type WeChatSubscribeMessage = {
  openid: string
  templateId: string
  /** The mini-program page the message opens (may carry `?query`). */
  page: string
  /** Keyword values, already cut to their types' limits (`core/messages/wechat-keywords.ts`). */
  data: Record<string, string>
}

export type WeChatSubscribeResult =
  | { ok: true }
  /** `43101`: the user has no subscription left for this template (or unsubscribed). */
  | { ok: false; reason: 'no-subscription'; errcode: number }
  /** `47003` data, `40037` template id, `41030` page, `40003` openid: the message as made is refused. */
  | { ok: false; reason: 'rejected'; errcode: number }
