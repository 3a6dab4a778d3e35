import { createHash } from 'node:crypto'
import { PACKAGE_FILES, PACKAGE_FORMAT, packageReadme, pdfTimestampTokens, type PackageManifest, type TimestampEntry } from '../../core/evidence/evidence-package'
import { toPem } from '../../core/pki/pem'
import { ok, type Result } from '../../core/shared/result'
import { revisionObjectKey } from '../contracts/records'
import { ensureEvidenceReport, type EvidenceReportDeps } from './generate-evidence-report'
import { completedContractFor } from './get-evidence-report'
import { proofsFor } from './proofs-source'
import { verifyEvidenceChain } from './verify-evidence-chain'

/**
 * `GET /api/contracts/{id}/evidence/package`: the evidence package (证据包, a zip laid out as
 * `core/evidence/evidence-package.ts` describes) of a completed contract, for its sender or a party:
 * the final signed PDF, the signed 证据报告, the whole evidence chain as it is now, the checkpoints and
 * inclusion proofs when the proofs source has any, every time-stamp token (of each signature of both
 * PDFs, and of each checkpoint) and the platform's certificates. Built on request, so the events
 * recorded after completion are in it too; `esign evidence verify` checks it with no server.
 */
export async function getEvidencePackage(deps: EvidenceReportDeps, input: { userId: string; contractId: string }): Promise<Result<{ bytes: Uint8Array; fileName: string; sha256: string }>> {
  const completed = await completedContractFor(deps, input)
  if (!completed.ok) return completed
  const item = completed.value
  const c = item.contract
  const report = await ensureEvidenceReport(deps, item)
  const contractPdf = await deps.objects.get(revisionObjectKey(c.contractId, item.finalSha256!))
  if (!contractPdf) throw new Error(`final revision of ${c.contractId} is missing`)
  const chain = await verifyEvidenceChain(deps, { contractId: c.contractId })
  if (!chain.ok) throw new Error(`evidence chain of ${c.contractId} is broken: ${chain.error.message}`)
  const proofs = await proofsFor(deps, c.contractId)

  const now = deps.clock.now()
  const work = { trustRoots: await deps.verification.trustRoots(), now, revocation: deps.verification.revocation }
  const [contractReport, reportReport] = await Promise.all([deps.cpu.verifyPdf(contractPdf, work), deps.cpu.verifyPdf(report.bytes, work)])
  if (!contractReport.ok || !reportReport.ok) throw new Error(`a PDF of ${c.contractId}'s evidence cannot be read`)
  const tokens = [...pdfTimestampTokens(contractPdf, contractReport.value, PACKAGE_FILES.contract, 'contract'), ...pdfTimestampTokens(report.bytes, reportReport.value, PACKAGE_FILES.report, 'report')]
  proofs.checkpoints.forEach((k, i) => {
    tokens.push({ entry: { file: `timestamps/checkpoint-${i + 1}.tst`, covers: { kind: 'checkpoint', checkpointId: k.id } }, token: new Uint8Array(Buffer.from(k.timestampToken, 'base64')) })
  })

  const ca = deps.pki.ca
  const files = new Map<string, Uint8Array | string>([
    [PACKAGE_FILES.contract, contractPdf],
    [PACKAGE_FILES.report, report.bytes],
    [PACKAGE_FILES.events, json({ contractId: c.contractId, records: chain.value.records })],
    ...(proofs.checkpoints.length || proofs.proofs.length ? [[PACKAGE_FILES.proofs, json(proofs)] as [string, string]] : []),
    [PACKAGE_FILES.timestamps, json(tokens.map((t): TimestampEntry => t.entry))],
    ...tokens.map((t) => [t.entry.file, t.token] as [string, Uint8Array]),
    [PACKAGE_FILES.root, toPem(ca.rootCertificateDer)],
    [PACKAGE_FILES.issuing, toPem(ca.issuingCertificateDer)],
    [PACKAGE_FILES.tsa, toPem(ca.tsaCertificateDer)],
    [PACKAGE_FILES.ocsp, toPem(ca.ocspCertificateDer)],
  ])
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT,
    version: 1,
    contractId: c.contractId,
    title: c.title,
    generatedAt: now.toISOString(),
    files: [PACKAGE_FILES.manifest, PACKAGE_FILES.readme, ...files.keys()],
  }
  // jszip is loaded on the first package, not with the contracts function's bundle (cold start).
  const { default: JSZip } = await import('jszip')
  const zip = new JSZip()
  const date = now
  zip.file(PACKAGE_FILES.manifest, json(manifest), { date })
  zip.file(PACKAGE_FILES.readme, packageReadme(manifest), { date })
  for (const [name, data] of files) zip.file(name, data, { date })
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } })
  deps.logger.info({ contractId: c.contractId, events: chain.value.length, tokens: tokens.length, size: bytes.length }, 'evidence package built')
  return ok({ bytes, fileName: `${c.title}-证据包.zip`, sha256: createHash('sha256').update(bytes).digest('hex') })
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
