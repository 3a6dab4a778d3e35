import type { SignatureView, VerificationReport } from '../../api/verify.types'

/**
 * The report as text for a terminal (`esign verify` without `--json`): one block per signature and
 * a verdict line.
 *
 * @example
 * process.stdout.write(formatReport(report, 'contract.pdf'))
 */
export function formatReport(report: VerificationReport, fileName: string): string {
  const lines: string[] = []
  const d = report.document
  lines.push(`${fileName}: ${d.size} bytes, ${d.revisions} revision${d.revisions === 1 ? '' : 's'}, ${report.signatures.length} signature${report.signatures.length === 1 ? '' : 's'}${d.certification ? `, certified (DocMDP P=${d.certification})` : ''}`)
  report.signatures.forEach((s, i) => {
    lines.push('')
    lines.push(...formatSignature(s, i + 1, report.signatures.length))
  })
  for (const p of report.problems) lines.push('', `Document: ${p.message}`)
  lines.push('')
  if (report.valid) {
    const untrusted = report.signatures.filter((s) => !s.trusted).length
    lines.push(`VALID: every signature is intact and valid, and nothing disallowed changed after signing${untrusted ? ` (${untrusted} signer${untrusted === 1 ? '' : 's'} not trusted)` : ''}.`)
  } else {
    lines.push(`NOT VALID: ${verdictReason(report)}.`)
  }
  return lines.join('\n') + '\n'
}

function verdictReason(r: VerificationReport): string {
  if (r.signatures.length === 0) return 'the document has no signatures'
  const reasons: string[] = []
  const broken = r.signatures.filter((s) => !s.intact || !s.valid).length
  const modified = r.signatures.filter((s) => s.modification === 'disallowed').length
  if (broken) reasons.push(`${broken} signature${broken === 1 ? ' is' : 's are'} not intact or not valid`)
  if (modified) reasons.push(`the document was changed in a way ${modified === 1 ? 'a signature does' : `${modified} signatures do`} not allow`)
  if (r.problems.length) reasons.push(r.problems.map((p) => p.message).join('; '))
  return reasons.join('; ')
}

function formatSignature(s: SignatureView, n: number, total: number): string[] {
  const kind = s.kind === 'document-timestamp' ? 'document time-stamp' : s.kind === 'certification' ? `certification signature (DocMDP P=${s.docMdp ?? 2})` : 'signature'
  const out = [`Signature ${n} of ${total}: field "${s.field}" — ${kind}${s.subFilter ? `, ${s.subFilter}` : ''}`]
  const row = (label: string, value: string): number => out.push(`  ${label.padEnd(14)}${value}`)
  row('Signer:', s.signer ?? '(unknown)')
  if (s.certificate) row('Certificate:', `${s.certificate.subject}; issued by ${s.certificate.issuer}; serial ${s.certificate.serialNumber}; valid ${s.certificate.notBefore.slice(0, 10)} – ${s.certificate.notAfter.slice(0, 10)}`)
  row('Integrity:', s.intact ? `intact (${s.digestAlgorithm ?? 'digest'} matches)` : 'NOT INTACT')
  row('Signature:', s.valid ? `valid${s.signatureAlgorithm && s.signatureAlgorithm !== 'unknown' ? ` (${s.signatureAlgorithm})` : ''}` : 'NOT VALID')
  row('Trust:', s.trusted ? `trusted (${s.chain.map((c) => c.commonName ?? c.subject).join(' → ')})` : 'not trusted')
  row('Revocation:', `${s.revocation.status}${s.revocation.source ? ` (${s.revocation.source === 'online' ? 'OCSP, online' : s.revocation.source === 'dss' ? 'from the DSS' : 'from the CMS'})` : ''}${s.revocation.revokedAt ? `, revoked at ${s.revocation.revokedAt}` : ''}`)
  if (s.timestamp) row('Time-stamp:', `${s.timestamp.time}${s.timestamp.authority ? ` by ${s.timestamp.authority}` : ''}${s.timestamp.valid === false ? ' (INVALID)' : s.timestamp.trusted === false ? ' (TSA not trusted)' : ''}`)
  else row('Time-stamp:', 'none')
  if (s.claimedSigningTime) row('Claimed time:', `${s.claimedSigningTime} (/M, not proven)`)
  row('Checked at:', `${s.validatedAt}${s.timeProven ? ' (proven by a trusted time-stamp)' : ' (verification time)'}`)
  row('Coverage:', `${s.revision ? `revision ${s.revision}` : 'no revision boundary'}${s.coversWholeDocument ? ', the whole document' : ', later revisions follow'}`)
  if (s.weak) row('Algorithm:', 'WEAK (SHA-1)')
  const changes = s.modification === 'none' ? 'none' : `${s.modification.toUpperCase()}`
  row('Changes after:', changes)
  for (const c of s.changes) out.push(`    ${c.level === 'allowed' ? '+' : '!'} revision ${c.revision}: ${c.detail}`)
  for (const p of s.problems) if (p.code !== 'MODIFIED_AFTER_SIGNING') out.push(`  ✗ ${p.message}`)
  for (const p of s.warnings) out.push(`  ⚠ ${p.message}`)
  return out
}
