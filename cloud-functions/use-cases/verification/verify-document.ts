import type { VerificationReport } from '../../api/verification.types'
import { err, type Result } from '../../core/shared/result'
import { verifyPdf } from '../../core/verification/verify-pdf'
import type { Clock } from '../../ports/clock'
import type { RevocationSource } from '../../ports/revocation-source'

export type VerifyDocumentDeps = {
  clock: Clock
  /** DER trust anchors: the platform root (and any other roots the deployment trusts). */
  trustRoots: () => Promise<Uint8Array[]>
  /** The platform's OCSP, asked when the document carries no revocation data. */
  revocation?: RevocationSource
}

/**
 * Verify an uploaded PDF's signatures: `NOT_A_PDF` when it cannot be read as a PDF, otherwise the
 * report (valid or not) — the same object `esign verify --json` prints.
 *
 * @example
 * const r = await verifyDocument(deps, { bytes })
 */
export async function verifyDocument(deps: VerifyDocumentDeps, input: { bytes: Uint8Array }): Promise<Result<VerificationReport>> {
  if (input.bytes.length === 0) return err('NOT_A_PDF', '文件为空，不是有效的 PDF')
  const roots = await deps.trustRoots()
  const result = await verifyPdf(input.bytes, { trustRoots: roots, now: deps.clock.now(), revocation: deps.revocation })
  if (!result.ok) return err('NOT_A_PDF', `无法读取该 PDF：${result.error.message}`, result.error.details)
  return result
}
