import type { Notice } from '../../ports/notifier'

/**
 * A notice as a short Chinese title and body (in-app messages, e-mail). Pure.
 *
 * @example
 * noticeText({ kind: 'expired', title: '租赁合同' }) // { title: '合同已过期', body: '「租赁合同」已过签署截止时间，未完成签署。' }
 */
export function noticeText(notice: Notice): { title: string; body: string } {
  switch (notice.kind) {
    case 'sign-request':
      return { title: '待您签署', body: `${notice.sender}邀请您签署「${notice.title}」，请在 ${notice.deadline} 前完成签署。` }
    case 'completed':
      return { title: '合同已完成', body: `「${notice.title}」已由各方签署完成。` }
    case 'declined':
      return { title: '合同被拒签', body: `${notice.by}拒绝签署「${notice.title}」，原因：${notice.reason}` }
    case 'revoked':
      return { title: '合同已撤销', body: `「${notice.title}」已被发起方撤销，原因：${notice.reason}` }
    case 'expired':
      return { title: '合同已过期', body: `「${notice.title}」已过签署截止时间，未完成签署。` }
    default: {
      const other = notice as { kind: string; title?: string }
      return { title: '合同通知', body: other.title ? `「${other.title}」有新的动态。` : '您的合同有新的动态。' }
    }
  }
}
