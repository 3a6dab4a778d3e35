import type { ContractStatusName, PartySealRequest, SignerStatusName } from '@api/contracts.types'

/** Chinese names and badge styles of contract and signer states, shared by the contract pages. */
export const CONTRACT_STATUS: Record<ContractStatusName, { text: string; badge: 'ok' | 'warn' | 'off' }> = {
  draft: { text: '草稿', badge: 'off' },
  pending_approval: { text: '审批中', badge: 'warn' },
  sent: { text: '签署中', badge: 'warn' },
  completed: { text: '已完成', badge: 'ok' },
  declined: { text: '已拒签', badge: 'off' },
  revoked: { text: '已撤销', badge: 'off' },
  expired: { text: '已过期', badge: 'off' },
}

/** 有效期 states of a completed contract with a validity end date. */
export const VALIDITY_STATE: Record<'in-force' | 'expiring' | 'ended', { text: string; badge: 'ok' | 'warn' | 'off' }> = {
  'in-force': { text: '有效', badge: 'ok' },
  expiring: { text: '即将到期', badge: 'warn' },
  ended: { text: '已到期', badge: 'off' },
}

export const SIGNER_STATUS: Record<SignerStatusName, string> = {
  pending: '待签署',
  notified: '已通知',
  viewed: '已查看',
  signed: '已签署',
  declined: '已拒签',
}

/** A company party's 用印申请 in Chinese: its state as a title, and what the member does next. */
export function sealRequestText(r: PartySealRequest): { title: string; line: string } {
  const who = `${r.requesterName} 于 ${beijingTime(r.requestedAt)} 提交的用印申请`
  if (r.status === 'approved') return { title: '用印申请已通过', line: `${who}已通过审批，请签署。` }
  if (r.status === 'rejected') return { title: '用印申请已驳回', line: `${who}已被驳回，请联系企业管理员后重新申请。` }
  return { title: '用印申请审批中', line: `用印申请审批中，审批通过后即可签署（${who}）。` }
}

/** An ISO instant as a Beijing date and time, `2026-12-04 18:30`. */
export function beijingTime(iso: string | undefined, withTime = true): string {
  if (!iso) return ''
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  const s = new Date(t + 8 * 3600_000).toISOString()
  return withTime ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : s.slice(0, 10)
}
