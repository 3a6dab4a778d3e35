import type { SignatureView } from '@api/verification.types'

export { CHANGE_LABELS, PROBLEM_LABELS } from '@api/verification-labels'

/** 北京时间 `YYYY-MM-DD HH:mm:ss`。 */
export function beijingTime(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

/** 一个签名的总体状态：有效 / 已修改 / 无效。 */
export function signatureStatus(s: SignatureView): { label: string; tone: 'ok' | 'warn' | 'bad' } {
  if (!s.intact || !s.valid) return { label: '无效', tone: 'bad' }
  if (s.modification === 'disallowed') return { label: '签署后被修改', tone: 'bad' }
  if (!s.trusted) return { label: '有效（证书不受信任）', tone: 'warn' }
  return { label: '有效', tone: 'ok' }
}

export function signatureKindLabel(s: SignatureView): string {
  if (s.kind === 'document-timestamp') return '文档时间戳'
  if (s.kind === 'certification') return `认证签名（${s.docMdp === 1 ? '不允许任何修改' : s.docMdp === 3 ? '允许填写表单、签名和批注' : '允许填写表单和签名'}）`
  return '签名'
}
