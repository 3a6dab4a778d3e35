import type { MessageListResponse, MessageView, UnreadCountResponse } from '@api/messages.types'
import { apiRequest } from './api-client'

/** In-app message calls (see cloud-functions/api/messages.types.ts). */
export const messagesApi = {
  list: (cursor?: string) => apiRequest<MessageListResponse>('GET', `/api/messages${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
  unreadCount: () => apiRequest<UnreadCountResponse>('GET', '/api/messages/unread-count'),
  markRead: (messageId: string) => apiRequest<MessageView>('POST', `/api/messages/${encodeURIComponent(messageId)}/read`),
  markAllRead: () => apiRequest<UnreadCountResponse>('POST', '/api/messages/read-all'),
}
