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
    case 'reminder':
      return { title: '签署提醒', body: `${notice.sender}提醒您签署「${notice.title}」，请在 ${notice.deadline} 前完成签署。` }
    case 'validity-ending':
      return { title: '合同即将到期', body: `「${notice.title}」将于 ${notice.validUntil} 到期（还有 ${notice.days} 天），如需继续合作请及时续签。` }
    case 'approval-request':
      return { title: '待您审批', body: `${notice.sender}提交的「${notice.title}」需要您审批，审批通过后合同才会发出。` }
    case 'approval-rejected':
      return { title: '审批被驳回', body: `「${notice.title}」被${notice.by}驳回，意见：${notice.reason}。修改后可重新发送。` }
    default: {
      const other = notice as { kind: string; title?: string }
      return { title: '合同通知', body: other.title ? `「${other.title}」有新的动态。` : '您的合同有新的动态。' }
    }
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A notice as an e-mail: subject `【签约】<title>`, the body in plain text and HTML, with the link
 * (the notice's own — a signing link — or `fallbackLink`, the contract's page). Pure.
 */
export function noticeEmail(notice: Notice, fallbackLink?: string): { subject: string; text: string; html: string } {
  const { title, body } = noticeText(notice)
  const link = 'link' in notice && typeof notice.link === 'string' ? notice.link : fallbackLink
  const action = notice.kind === 'sign-request' || notice.kind === 'reminder' ? '立即签署' : '查看合同'
  const footer = '—— 签约电子合同平台（此邮件由系统发送，请勿直接回复）'
  const text = [body, ...(link ? [`${action}：${link}`] : []), '', footer].join('\n')
  const html =
    `<p>${escapeHtml(body)}</p>` +
    (link ? `<p><a href="${escapeHtml(link)}">${action}</a></p><p style="color:#4e5561">${escapeHtml(link)}</p>` : '') +
    `<p style="color:#4e5561">${footer}</p>`
  return { subject: `【签约】${title}`, text, html }
}
