import type { VerificationReport } from '../../api/verification.types'
import { countRevisionMarkers, MAX_VERIFY_REVISIONS, MAX_VERIFY_XREF_SECTIONS } from '../../core/verification/revision-count'
import { err, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { CpuWork } from '../../ports/cpu-work'
import type { RevocationSource } from '../../ports/revocation-source'

export type VerifyDocumentDeps = {
  clock: Clock
  /** DER trust anchors: the platform root (and any other roots the deployment trusts). */
  trustRoots: () => Promise<Uint8Array[]>
  /** The platform's OCSP, asked when the document carries no revocation data. */
  revocation?: RevocationSource
  /** Where the verification runs (a worker thread on the local server, inline in Lambda). */
  cpu: Pick<CpuWork, 'verifyPdf'>
}

/**
 * The checks that need no trust services, linear in the size and done before any parsing: empty →
 * `NOT_A_PDF`; more than {@link MAX_VERIFY_REVISIONS} revisions or {@link MAX_VERIFY_XREF_SECTIONS}
 * cross-reference sections → `TOO_MANY_REVISIONS`. Handlers may call it before loading the PKI.
 */
export function refuseUnverifiable(bytes: Uint8Array): Result<void> {
  if (bytes.length === 0) return err('NOT_A_PDF', '文件为空，不是有效的 PDF')
  const markers = countRevisionMarkers(bytes)
  if (markers.revisions > MAX_VERIFY_REVISIONS || markers.xrefSections > MAX_VERIFY_XREF_SECTIONS) {
    return err('TOO_MANY_REVISIONS', `该 PDF 有 ${markers.revisions} 次修订，超过在线验证上限 ${MAX_VERIFY_REVISIONS} 次，请使用 esign verify 在本地验证`, {
      revisions: markers.revisions,
      maxRevisions: MAX_VERIFY_REVISIONS,
    })
  }
  return { ok: true, value: undefined }
}

/**
 * Verify an uploaded PDF's signatures: `NOT_A_PDF` when it cannot be read as a PDF,
 * `TOO_MANY_REVISIONS` (422) beyond {@link MAX_VERIFY_REVISIONS} incremental updates (refused
 * before any parsing), otherwise the report (valid or not) — the same object `esign verify --json`
 * prints.
 *
 * @example
 * const r = await verifyDocument(deps, { bytes })
 */
export async function verifyDocument(deps: VerifyDocumentDeps, input: { bytes: Uint8Array }): Promise<Result<VerificationReport>> {
  const refused = refuseUnverifiable(input.bytes)
  if (!refused.ok) return refused
  const roots = await deps.trustRoots()
  const result = await deps.cpu.verifyPdf(input.bytes, { trustRoots: roots, now: deps.clock.now(), revocation: deps.revocation })
  if (!result.ok) return err('NOT_A_PDF', `无法读取该 PDF：${result.error.message}`, result.error.details)
  return result
}
