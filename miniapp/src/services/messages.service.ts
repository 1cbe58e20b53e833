import type { MarkMessagesReadResult, MessagePage, MessageView, UnreadCountView } from '@palm/shared'
import { apiRequest } from './api-client'
import { isApiError } from './api-error'

export const messagesService = {
  list: (cursor?: string) => apiRequest<MessagePage>({ path: '/api/messages', query: { cursor } }),

  unreadCount: () => apiRequest<UnreadCountView>({ path: '/api/messages/unread-count' }).then((res) => res.count),

  markRead: (ids: string[]) => apiRequest<MarkMessagesReadResult>({ method: 'POST', path: '/api/messages/read', body: { ids } }),

  markAllRead: () => apiRequest<MarkMessagesReadResult>({ method: 'POST', path: '/api/messages/read', body: { all: true } }),

  /**
   * Tells the server which subscribe-message templates the resident accepted (one grant = one
   * message it may send). A server without the notifications module answers 404: ignored quietly.
   */
  async registerSubscriptions(templateIds: readonly string[]): Promise<void> {
    if (templateIds.length === 0) return
    try {
      await apiRequest<unknown>({ method: 'POST', path: '/api/messages/subscriptions', body: { templateIds } })
    } catch (err) {
      if (isApiError(err) && (err.status === 404 || err.status === 405)) return
      throw err
    }
  }
}

export function isUnread(m: MessageView): boolean {
  return !m.read
}
