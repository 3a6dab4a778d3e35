import { CHANGE_LABELS, PROBLEM_LABELS } from '../api/verification-labels'
import type { SignatureView, VerificationReport } from '../api/verification.types'

/**
 * The report as text for a terminal (`esign verify` without `--json`), in Chinese: one block per
 * signature and a verdict line. Technical details (the verifier's own wording) follow the Chinese
 * label in brackets; `--json` carries the codes.
 *
 * @example
 * process.stdout.write(formatReport(report, 'contract.pdf'))
 */
export function formatReport(report: VerificationReport, fileName: string): string {
  const lines: string[] = []
  const d = report.document
  lines.push(`${fileName}：${d.size} 字节，${d.revisions} 次修订，${report.signatures.length} 个签名${d.certification ? `，已认证（DocMDP P=${d.certification}）` : ''}`)
  report.signatures.forEach((s, i) => {
    lines.push('')
    lines.push(...formatSignature(s, i + 1, report.signatures.length))
  })
  for (const p of report.problems) lines.push('', `文档问题：${PROBLEM_LABELS[p.code] ?? p.code}（${p.message}）`)
  lines.push('')
  if (report.verdict === 'valid') {
    lines.push('结论：有效 — 每个签名完整、有效且签署人受信任，签署后没有不允许的修改。')
  } else if (report.verdict === 'indeterminate') {
    const untrusted = report.signatures.filter((s) => !s.trusted || s.timestamp?.trusted === false).length
    lines.push(`结论：无法确认签署人身份 — 每个签名完整且有效，签署后没有不允许的修改，但 ${untrusted} 个签名的签署人（或时间戳服务）的证书不受信任。`)
  } else {
    lines.push(`结论：无效 — ${verdictReason(report)}。`)
  }
  return lines.join('\n') + '\n'
}

function verdictReason(r: VerificationReport): string {
  if (r.signatures.length === 0) return PROBLEM_LABELS.NO_SIGNATURES
  const reasons: string[] = []
  const broken = r.signatures.filter((s) => !s.intact || !s.valid).length
  const modified = r.signatures.filter((s) => s.modification === 'disallowed').length
  const revoked = r.signatures.filter((s) => s.problems.some((p) => p.code === 'REVOKED')).length
  const badTimestamp = r.signatures.filter((s) => s.timestamp?.valid === false).length
  if (broken) reasons.push(`${broken} 个签名不完整或无效`)
  if (revoked) reasons.push(`${revoked} 个签名的证书已被吊销`)
  if (badTimestamp) reasons.push(`${badTimestamp} 个签名的时间戳无效`)
  if (modified) reasons.push(`文档的修改不被 ${modified} 个签名允许`)
  if (r.problems.length) reasons.push(r.problems.map((p) => PROBLEM_LABELS[p.code] ?? p.message).join('；'))
  return reasons.join('；')
}

const REVOCATION = { good: '未吊销', revoked: '已吊销', unknown: '未知' } as const
const SOURCE = { online: '在线 OCSP', dss: '来自 DSS', cms: '来自签名数据', registry: '平台证书登记' } as const
const MODIFICATION = { none: '无', allowed: '仅有允许的修改', disallowed: '有不允许的修改' } as const

/** `第 2 页 (100, 50) 150×90 pt；骑缝章 第 1–3 页`: where the signature shows, in display space. */
function placement(s: SignatureView): string {
  const pt = (n: number) => String(Math.round(n * 10) / 10)
  const stamps = s.widgets.filter((w) => !w.crossPageStrip).map((w) => `第 ${w.page + 1} 页 (${pt(w.rect[0])}, ${pt(w.rect[1])}) ${pt(w.rect[2])}×${pt(w.rect[3])} pt`)
  const strips = s.widgets.filter((w) => w.crossPageStrip).map((w) => w.page + 1)
  if (strips.length) stamps.push(`骑缝章 第 ${strips.length > 1 && strips[strips.length - 1] - strips[0] === strips.length - 1 ? `${strips[0]}–${strips[strips.length - 1]}` : strips.join('、')} 页`)
  return stamps.length ? stamps.join('；') : '不可见'
}

function formatSignature(s: SignatureView, n: number, total: number): string[] {
  const kind = s.kind === 'document-timestamp' ? '文档时间戳' : s.kind === 'certification' ? `认证签名（DocMDP P=${s.docMdp ?? 2}）` : '签名'
  const out = [`签名 ${n}/${total}：域 "${s.field}" — ${kind}${s.subFilter ? `，${s.subFilter}` : ''}`]
  const row = (label: string, value: string): number => out.push(`  ${label}${'　'.repeat(Math.max(0, 6 - label.length))}${value}`)
  row('签署人：', s.signer ?? '（未知）')
  if (s.certificate) row('证书：', `${s.certificate.subject}；签发者 ${s.certificate.issuer}；序列号 ${s.certificate.serialNumber}；有效期 ${s.certificate.notBefore.slice(0, 10)} 至 ${s.certificate.notAfter.slice(0, 10)}`)
  row('位置：', placement(s))
  row('完整性：', s.intact ? `完整（${s.digestAlgorithm ?? '摘要'} 一致）` : '不完整（文档内容与签名不符）')
  row('签名值：', s.valid ? `有效${s.signatureAlgorithm && s.signatureAlgorithm !== 'unknown' ? `（${s.signatureAlgorithm}）` : ''}` : '无效')
  row('信任：', s.trusted ? `受信任（${s.chain.map((c) => c.commonName ?? c.subject).join(' → ')}）` : '不受信任')
  row('吊销状态：', `${REVOCATION[s.revocation.status]}${s.revocation.source ? `（${SOURCE[s.revocation.source]}）` : ''}${s.revocation.revokedAt ? `，吊销于 ${s.revocation.revokedAt}` : ''}`)
  if (s.timestamp) row('时间戳：', `${s.timestamp.time}${s.timestamp.authority ? `，由 ${s.timestamp.authority} 签发` : ''}${s.timestamp.valid === false ? '（无效）' : s.timestamp.trusted === false ? '（时间戳服务不受信任）' : ''}`)
  else row('时间戳：', '无')
  if (s.claimedSigningTime) row('声明时间：', `${s.claimedSigningTime}（/M，未经证明）`)
  row('验证时间：', `${s.validatedAt}${s.timeProven ? '（由受信任的时间戳证明）' : '（验证时的时间）'}`)
  row('覆盖范围：', `${s.revision ? `第 ${s.revision} 次修订` : '不在修订边界上'}${s.coversWholeDocument ? '，覆盖整个文档' : '，之后还有修订'}`)
  if (s.weak) row('算法：', '不安全（SHA-1）')
  row('签署后修改：', MODIFICATION[s.modification])
  for (const c of s.changes) out.push(`    ${c.level === 'allowed' ? '+' : '!'} 第 ${c.revision} 次修订：${CHANGE_LABELS[c.kind] ?? c.kind}（${c.detail}）`)
  for (const p of s.problems) if (p.code !== 'MODIFIED_AFTER_SIGNING') out.push(`  ✗ ${PROBLEM_LABELS[p.code] ?? p.code}（${p.message}）`)
  for (const p of s.warnings) out.push(`  ⚠ ${PROBLEM_LABELS[p.code] ?? p.code}（${p.message}）`)
  return out
}
