import type { DomainError, Result } from '../shared/result'
import { Certificate } from '../verification/certificate'
import type { CertificateView } from '../verification/report'
import { evidenceReportDocument, type EvidenceReportData } from './evidence-report'
import { verifyChain, type EvidenceChainBroken, type EvidenceRecord } from './hash-chain'
import type { ReportDocument } from './report-pdf'

type CertificateRows = EvidenceReportData['certificates']

/**
 * The certificates a report lists, as the caller has them: the DER of each signer's certificate
 * (from the registry, by the serials the chain's `party.signed` records name, in that order) with
 * the platform CA's, to be put into paths and checked here; or rows the caller made itself (from a
 * verification of the final PDF).
 */
export type ReportCertificates =
  | { signers: Uint8Array[]; issuing: Uint8Array; root: Uint8Array; tsa: Uint8Array }
  | { rows: CertificateRows }

/** Everything the 证据报告 is made from, as read from the stores: the chain not yet verified, the certificates not yet in paths. */
export type EvidenceReportInput = {
  contractId: string
  /** The contract's evidence records as read, in `seq` order (verified here). */
  records: EvidenceRecord[]
  data: Omit<EvidenceReportData, 'events' | 'certificates'>
  certificates: ReportCertificates
}

/** A signer's certificate that does not chain to the platform root through its CA: the caller lists the final PDF's verified paths instead. */
export type CertificatePathUnknown = DomainError<'CERTIFICATE_PATH_UNKNOWN'>

/**
 * The report document of a completed contract (`evidenceReportDocument`), after the checks that
 * must hold before the platform signs it: the evidence chain verifies (`verifyChain`, this
 * contract's records only), and each signer's certificate and the TSA's chain to the platform root
 * through its issuing CA (each link's signature checked), listed leaf first, each certificate once.
 * Pure: the CPU pool runs it with the PDF rendering (`CpuWork.renderEvidenceReport`), so that the
 * event loop only reads the records.
 */
export function prepareEvidenceReport(input: EvidenceReportInput): Result<ReportDocument, EvidenceChainBroken | CertificatePathUnknown> {
  const checked = verifyChain(input.records, { contractId: input.contractId })
  if (!checked.ok) return checked
  const certificates = 'rows' in input.certificates ? input.certificates.rows : pathRows(input.certificates)
  if (!certificates) return { ok: false, error: { code: 'CERTIFICATE_PATH_UNKNOWN', message: '签署证书无法链接到平台根证书' } }
  return { ok: true, value: evidenceReportDocument({ ...input.data, events: input.records, certificates }) }
}

/** The rows of the signers' and the TSA's paths (leaf, issuing CA, root), or undefined when one does not chain to the root. */
function pathRows(c: Extract<ReportCertificates, { signers: Uint8Array[] }>): CertificateRows | undefined {
  const cas = [Certificate.tryParse(c.issuing), Certificate.tryParse(c.root)]
  const root = cas[1]
  if (!root || c.signers.length === 0) return undefined
  const pathOf = (leaf: Certificate | undefined): Certificate[] | undefined => {
    const path: Certificate[] = []
    for (let cert = leaf; cert; cert = cas.find((i) => i && Buffer.from(i.subjectDer).equals(Buffer.from(cert!.issuerDer)) && cert!.verifiedBy(i).ok)) {
      path.push(cert)
      if (cert.sha256 === root.sha256) return path
      if (path.length > 4) return undefined
    }
    return undefined
  }
  const paths = [...c.signers.map((der) => ({ kind: 'signature', path: pathOf(Certificate.tryParse(der)) })), { kind: 'document-timestamp', path: pathOf(Certificate.tryParse(c.tsa)) }]
  if (paths.some((p) => !p.path)) return undefined
  return certificateRows(paths.map((p) => ({ kind: p.kind, chain: p.path!.map((cert) => cert.describe()) })))
}

type CertificateRow = Pick<CertificateView, 'sha256' | 'subject' | 'serialNumber' | 'notBefore' | 'notAfter' | 'issuerCommonName' | 'issuer'>

/** One row per certificate of the signatures' paths (leaf first), each certificate once. */
export function certificateRows(signatures: ReadonlyArray<{ kind: string; chain: readonly CertificateRow[] }>): CertificateRows {
  const seen = new Set<string>()
  const out: CertificateRows = []
  for (const s of signatures) {
    s.chain.forEach((cert, i) => {
      if (seen.has(cert.sha256)) return
      seen.add(cert.sha256)
      const role = i > 0 ? (i === s.chain.length - 1 ? '根证书' : 'CA 证书') : s.kind === 'document-timestamp' ? '时间戳（TSA）' : '签署（事件证书）'
      out.push({ role, subject: cert.subject, serialNumber: cert.serialNumber, notBefore: cert.notBefore, notAfter: cert.notAfter, issuer: cert.issuerCommonName ?? cert.issuer })
    })
  }
  return out
}
