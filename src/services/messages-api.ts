import type { ChannelSettingsView, MessageListResponse, MessageView, RecordWeChatSubscriptionsRequest, UnreadCountResponse, UpdateChannelSettingsRequest, WeChatSubscriptionsView } from '@api/messages.types'
import { apiRequest } from './api-client'

/** In-app message calls (see cloud-functions/api/messages.types.ts). */
export const messagesApi = {
  list: (cursor?: string) => apiRequest<MessageListResponse>('GET', `/api/messages${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
  unreadCount: () => apiRequest<UnreadCountResponse>('GET', '/api/messages/unread-count'),
  markRead: (messageId: string) => apiRequest<MessageView>('POST', `/api/messages/${encodeURIComponent(messageId)}/read`),
  channels: () => apiRequest<ChannelSettingsView>('GET', '/api/messages/channels'),
  updateChannels: (change: UpdateChannelSettingsRequest) => apiRequest<ChannelSettingsView>('PUT', '/api/messages/channels', { data: change }),
  wechatSubscriptions: () => apiRequest<WeChatSubscriptionsView>('GET', '/api/messages/wechat-subscriptions'),
  recordWeChatSubscriptions: (answer: RecordWeChatSubscriptionsRequest) => apiRequest<WeChatSubscriptionsView>('POST', '/api/messages/wechat-subscriptions', { data: answer }),
  markAllRead: () => apiRequest<UnreadCountResponse>('POST', '/api/messages/read-all'),
}
