import type { Notice } from '../../ports/notifier'
import { fitKeyword } from './wechat-keywords'

/**
 * The keywords of a contract notice as a WeChat subscription message. Every template configured
 * (`ESIGN_WECHAT_SUBSCRIBE_TEMPLATES`, one per notice kind) is chosen from WeChat's library with
 * these four keywords: `thing1` 合同名称, `thing2` 发起方 / 操作方, `phrase3` 状态, `time4` 时间
 * (the deadline, or when it happened; Beijing time "YYYY-MM-DD HH:mm" in, WeChat's `2026年12月4日 16:05`
 * out). Values are cut to their types' limits. Pure.
 *
 * @example
 * wechatNoticeData({ kind: 'completed', title: '劳动合同', link: '…' }, '2026-12-04 16:05')
 * // { thing1: '劳动合同', thing2: '签约', phrase3: '已完成', time4: '2026年12月4日 16:05' }
 */
export function wechatNoticeData(notice: Notice, at: string): Record<string, string> {
  const [who, status, time] = ((): [string, string, string] => {
    switch (notice.kind) {
      case 'sign-request':
        return [notice.sender, '待签署', notice.deadline]
      case 'reminder':
        return [notice.sender, '催办', notice.deadline]
      case 'completed':
        return ['签约', '已完成', at]
      case 'declined':
        return [notice.by, '已拒签', at]
      case 'revoked':
        return ['发起方', '已撤销', at]
      case 'expired':
        return ['签约', '已过期', at]
      case 'validity-ending':
        return ['签约', '即将到期', `${notice.validUntil} 23:59`]
      case 'approval-request':
        return [notice.sender, '待审批', at]
      case 'approval-rejected':
        return [notice.by, '已驳回', at]
    }
  })()
  const data: Record<string, string> = { thing1: notice.title, thing2: who, phrase3: status, time4: wechatTime(time) }
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, fitKeyword(k, v)]))
}

/** The mini-program page a notice opens: the contract's detail (its list when there is none). */
export function wechatNoticePage(contractId: string | undefined): string {
  return contractId ? `packages/contracts/pages/detail/index?contractId=${encodeURIComponent(contractId)}` : 'pages/index/index'
}

/** "2026-12-04 16:05" → "2026年12月4日 16:05", the shape of a `time` keyword; anything else unchanged. */
function wechatTime(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2})$/.exec(s)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日 ${m[4]}` : s
}
