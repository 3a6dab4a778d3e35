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
  if (!s.trusted) return { label: '无法确认签署人身份', tone: 'warn' }
  return { label: '有效', tone: 'ok' }
}

export function signatureKindLabel(s: SignatureView): string {
  if (s.kind === 'document-timestamp') return '文档时间戳'
  if (s.kind === 'certification') return `认证签名（${s.docMdp === 1 ? '不允许任何修改' : s.docMdp === 3 ? '允许填写表单、签名和批注' : '允许填写表单和签名'}）`
  return '签名'
}

/**
 * The certificate row. An untrusted certificate is only called so when the signature itself holds:
 * a changed document's signature fails for the change, not for its certificate.
 */
export function certificateTrustLabel(s: SignatureView): string {
  if (s.trusted) return '可信：由受信任的根证书签发'
  if (!s.intact || !s.valid) return '未评估：签名已失效（签名覆盖的内容与签名不符）'
  return '无法确认：证书不是由受信任的机构签发'
}

const REVOCATION_SOURCES: Record<NonNullable<SignatureView['revocation']['source']>, string> = {
  dss: '来自文档中的吊销信息',
  cms: '来自签名数据',
  online: '在线 OCSP 查询',
  registry: '平台证书登记',
}

/** 吊销状态 with where the answer came from. */
export function revocationLabel(s: SignatureView): string {
  const r = s.revocation
  const status = r.status === 'good' ? '未吊销' : r.status === 'revoked' ? `已吊销${r.revokedAt ? `（${beijingTime(r.revokedAt)}）` : ''}` : '未知：未能查询吊销状态'
  return r.source && r.status !== 'unknown' && r.status !== 'revoked' ? `${status}（${REVOCATION_SOURCES[r.source]}）` : status
}
