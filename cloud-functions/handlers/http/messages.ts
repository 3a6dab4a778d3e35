import {
  ZChannelSettingsView,
  ZMessageId,
  ZMessageListQuery,
  ZMessageListResponse,
  ZMessageView,
  ZRecordWeChatSubscriptionsRequest,
  ZUnreadCountResponse,
  ZUpdateChannelSettingsRequest,
  ZWeChatSubscriptionsView,
} from '../../api/messages.types'
import { err } from '../../core/shared/result'
import { lambdaHandler } from '../../runtime/bootstrap'
import { fromDomainError, fromResult, type HttpEvent } from '../../runtime/http'
import type { Route } from '../../runtime/router'
import { countUnreadMessages } from '../../use-cases/messages/count-unread-messages'
import { listMessages } from '../../use-cases/messages/list-messages'
import { markAllMessagesRead } from '../../use-cases/messages/mark-all-messages-read'
import { markMessageRead } from '../../use-cases/messages/mark-message-read'
import { getChannelSettings } from '../../use-cases/messages/get-channel-settings'
import { updateChannelSettings } from '../../use-cases/messages/update-channel-settings'
import { getWeChatSubscriptions } from '../../use-cases/messages/get-wechat-subscriptions'
import { recordWeChatSubscriptions } from '../../use-cases/messages/record-wechat-subscriptions'
import { callerRoute, signedIn } from '../signed-in'

const USER_ONLY = '请使用账号登录查看站内信'

function query(event: HttpEvent) {
  const parsed = ZMessageListQuery.safeParse(event.queryStringParameters ?? {})
  return parsed.success ? ({ ok: true, value: parsed.data } as const) : err('VALIDATION_FAILED', '查询参数不正确')
}

/** In-app messages (站内信) of the signed-in account: only ever the caller's own. */
export const routes: Route[] = [
  {
    method: 'GET',
    path: '/api/messages',
    doc: { summary: '站内信列表（从新到旧，用 next 作为 cursor 翻页）', tags: ['messages'], query: ZMessageListQuery, response: ZMessageListResponse, errors: ['VALIDATION_FAILED'] },
    handle: signedIn(async (event, { deps, session }) => {
      const q = query(event)
      if (!q.ok) return fromDomainError(q.error)
      return fromResult(await listMessages(deps, { userId: session.sub, limit: q.value.limit, cursor: q.value.cursor }))
    }, USER_ONLY),
  },
  {
    method: 'GET',
    path: '/api/messages/unread-count',
    doc: { summary: '未读站内信数量（首页角标）', tags: ['messages'], response: ZUnreadCountResponse },
    handle: signedIn(async (_event, { deps, session }) => fromResult(await countUnreadMessages(deps, { userId: session.sub })), USER_ONLY),
  },
  {
    method: 'GET',
    path: '/api/messages/channels',
    doc: { summary: '通知渠道设置（短信 / 微信 / 邮件；站内信始终开启；邮箱脱敏显示）', tags: ['messages'], response: ZChannelSettingsView },
    handle: signedIn(async (_event, { deps, session }) => fromResult(await getChannelSettings(deps, { userId: session.sub })), USER_ONLY),
  },
  callerRoute(
    'PUT',
    '/api/messages/channels',
    ZUpdateChannelSettingsRequest,
    async ({ deps, userId, session }, change) => {
      if (session.kind !== 'user') return fromDomainError(err('FORBIDDEN', USER_ONLY).error)
      return fromResult(await updateChannelSettings(deps, { userId, change }))
    },
    { summary: '修改通知渠道（开启邮件需填写邮箱；emailAddress 为 null 时删除邮箱）', tags: ['messages'], response: ZChannelSettingsView, errors: ['VALIDATION_FAILED'] },
  ),
  callerRoute(
    'GET',
    '/api/messages/wechat-subscriptions',
    undefined,
    async ({ deps, userId, session }) => {
      if (session.kind !== 'user') return fromDomainError(err('FORBIDDEN', USER_ONLY).error)
      return fromResult(await getWeChatSubscriptions(deps, { userId }))
    },
    { summary: '微信订阅消息：要请求订阅的模板（按通知类型）与各模板剩余可发次数', tags: ['messages'], response: ZWeChatSubscriptionsView },
  ),
  callerRoute(
    'POST',
    '/api/messages/wechat-subscriptions',
    ZRecordWeChatSubscriptionsRequest,
    async ({ deps, userId, session }, answer) => {
      if (session.kind !== 'user') return fromDomainError(err('FORBIDDEN', USER_ONLY).error)
      return fromResult(await recordWeChatSubscriptions(deps, { userId, answer }))
    },
    { summary: '记录 wx.requestSubscribeMessage 的结果（每个 accept 可多发一条该模板的订阅消息）', tags: ['messages'], response: ZWeChatSubscriptionsView, errors: ['VALIDATION_FAILED'] },
  ),
  {
    method: 'POST',
    path: '/api/messages/read-all',
    doc: { summary: '全部标为已读', tags: ['messages'], response: ZUnreadCountResponse },
    handle: signedIn(async (_event, { deps, session }) => fromResult(await markAllMessagesRead(deps, { userId: session.sub })), USER_ONLY),
  },
  {
    method: 'POST',
    path: '/api/messages/{messageId}/read',
    doc: { summary: '标为已读（只能是自己的消息）', tags: ['messages'], response: ZMessageView, errors: ['VALIDATION_FAILED', 'MESSAGE_NOT_FOUND'] },
    handle: signedIn(async (_event, { deps, session, params }) => {
      const id = ZMessageId.safeParse(params.messageId)
      if (!id.success) return fromDomainError(err('VALIDATION_FAILED', '消息编号格式不正确').error)
      return fromResult(await markMessageRead(deps, { userId: session.sub, messageId: id.data }))
    }, USER_ONLY),
  },
]

export const handler = lambdaHandler(routes)
