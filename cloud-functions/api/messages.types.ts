import * as z from 'zod'

/**
 * In-app messages (站内信):
 * - `GET /api/messages?cursor=&limit=` → {@link MessageListResponse} (newest first)
 * - `GET /api/messages/unread-count` → {@link UnreadCountResponse}
 * - `POST /api/messages/{messageId}/read` → {@link MessageView}
 * - `POST /api/messages/read-all` → {@link UnreadCountResponse}
 */
export type MessageView = {
  messageId: string
  /** The notice kind (`sign-request`, `completed`, `declined`, `revoked`, `expired`, …). */
  kind: string
  title: string
  body: string
  /** The contract it is about, when any (the page opens its detail). */
  contractId?: string
  createdAt: string
  read: boolean
}
export type MessageListResponse = { items: MessageView[]; next?: string }
export type UnreadCountResponse = { unread: number }

export const ZMessageId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '消息编号格式不正确')

export const ZMessageListQuery = z
  .object({
    cursor: ZMessageId.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict()

export const ZMessageView = z.object({
  messageId: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  contractId: z.string().optional(),
  createdAt: z.string(),
  read: z.boolean(),
}) satisfies z.ZodType<MessageView>
export const ZMessageListResponse = z.object({ items: z.array(ZMessageView), next: z.string().optional() }) satisfies z.ZodType<MessageListResponse>
export const ZUnreadCountResponse = z.object({ unread: z.number().int().min(0) }) satisfies z.ZodType<UnreadCountResponse>

/**
 * Notification channels of the signed-in person:
 * - `GET /api/messages/channels` → {@link ChannelSettingsView}
 * - `PUT /api/messages/channels` {@link UpdateChannelSettingsRequest} → {@link ChannelSettingsView}
 * In-app messages are always on. The e-mail address is stored encrypted and only ever shown masked.
 */
export type ChannelSettingsView = { sms: boolean; wechat: boolean; email: boolean; maskedEmail?: string }

export const ZUpdateChannelSettingsRequest = z
  .object({
    sms: z.boolean().optional(),
    wechat: z.boolean().optional(),
    email: z.boolean().optional(),
    /** A new address; `null` removes it (and turns e-mail off). */
    emailAddress: z.string().trim().max(254).email('邮箱地址格式不正确').nullable().optional(),
  })
  .strict()
export type UpdateChannelSettingsRequest = z.infer<typeof ZUpdateChannelSettingsRequest>

export const ZChannelSettingsView = z.object({
  sms: z.boolean(),
  wechat: z.boolean(),
  email: z.boolean(),
  maskedEmail: z.string().optional().describe('脱敏后的邮箱地址'),
}) satisfies z.ZodType<ChannelSettingsView>

/**
 * WeChat one-time subscriptions (mini-program only):
 * - `GET /api/messages/wechat-subscriptions` → {@link WeChatSubscriptionsView}: the template ids to
 *   pass to `wx.requestSubscribeMessage` (by notice kind; empty when none is configured) and the
 *   subscriptions left per template.
 * - `POST /api/messages/wechat-subscriptions` {@link RecordWeChatSubscriptionsRequest}: the answer of
 *   `wx.requestSubscribeMessage` (template id → accept / reject / ban / filter); each accept adds one.
 */
export type WeChatSubscriptionsView = { templates: Record<string, string>; credits: Record<string, number> }
export const ZWeChatSubscriptionsView = z.object({ templates: z.record(z.string(), z.string()), credits: z.record(z.string(), z.number().int().min(0)) }) satisfies z.ZodType<WeChatSubscriptionsView>
export const ZRecordWeChatSubscriptionsRequest = z
  .object({
    results: z
      .record(z.string().regex(/^[\w-]{1,128}$/, '模板编号格式不正确'), z.enum(['accept', 'reject', 'ban', 'filter']))
      .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 10, '一次最多 10 个模板'),
  })
  .strict()
export type RecordWeChatSubscriptionsRequest = z.infer<typeof ZRecordWeChatSubscriptionsRequest>
