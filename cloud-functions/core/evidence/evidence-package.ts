import { PdfRef } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import { decodeBer, encoding } from '../verification/ber'
import { CMS_OID, parseSignedData } from '../verification/cms'
import type { VerificationReport } from '../verification/report'
import { textOf } from '../verification/signature-dictionary'
import { REPORT_SUMMARY_KEY, type EvidenceReportSummary } from './evidence-report'

/**
 * The evidence package (证据包) of a completed contract: a zip whose parts are named here, so the
 * server that writes it and `esign evidence verify` that reads it agree.
 *
 * | file | what |
 * |---|---|
 * | `manifest.json` | {@link PackageManifest}: format, contract, generation time, the parts |
 * | `contract.pdf` | the completed contract's final revision (PAdES B-LTA) |
 * | `evidence-report.pdf` | the 证据报告, signed by the platform |
 * | `events.json` | {@link PackageEvents}: the whole evidence chain |
 * | `proofs.json` | the checkpoints and inclusion proofs (`evidence-proofs.ts`), when there are any |
 * | `timestamps/index.json` + `timestamps/*.tst` | every RFC 3161 token (DER) and what it covers ({@link TimestampEntry}) |
 * | `certificates/*.pem` | the platform CA: root, issuing CA, TSA, OCSP responder |
 * | `README.txt` | how to check it, in Chinese |
 */
export const PACKAGE_FILES = {
  manifest: 'manifest.json',
  contract: 'contract.pdf',
  report: 'evidence-report.pdf',
  events: 'events.json',
  proofs: 'proofs.json',
  timestamps: 'timestamps/index.json',
  root: 'certificates/root.pem',
  issuing: 'certificates/issuing-ca.pem',
  tsa: 'certificates/tsa.pem',
  ocsp: 'certificates/ocsp.pem',
  readme: 'README.txt',
} as const

export const PACKAGE_FORMAT = 'qianyue-evidence-package'

export type PackageManifest = {
  format: typeof PACKAGE_FORMAT
  version: 1
  contractId: string
  title: string
  generatedAt: string
  /** Every file of the package. */
  files: string[]
}

export type PackageEvents = { contractId: string; records: unknown[] }

/** What one time-stamp token of the package covers. */
export type TimestampEntry = {
  /** Path in the package, e.g. `timestamps/contract-1.tst`. */
  file: string
  covers:
    | { kind: 'signature'; document: string; field: string }
    | { kind: 'document-timestamp'; document: string; field: string }
    | { kind: 'checkpoint'; checkpointId: string }
}

/**
 * The `/Contents` of a signature (the CMS or time-stamp token, DER, without its zero padding): the
 * bytes between the two parts of its `/ByteRange`, hex decoded.
 */
export function signatureContents(pdf: Uint8Array, byteRange: number[]): Uint8Array {
  const [a, b, c] = byteRange
  if (byteRange.length !== 4 || a !== 0 || c <= b + 2 || c > pdf.length) throw new Error('bad /ByteRange')
  const hex = Buffer.from(pdf.subarray(b + 1, c - 1)).toString('latin1').replace(/[^0-9a-fA-F]/g, '')
  const raw = new Uint8Array(Buffer.from(hex, 'hex'))
  return raw.subarray(0, decodeBer(raw, 0, false).end)
}

/**
 * Every time-stamp token in a signed PDF, from its verification report's byte ranges: the
 * signature time-stamp of each CMS signature (its unsigned attribute) and each document
 * time-stamp (the whole `/Contents`). Named `timestamps/<prefix>-<n>.tst` in file order.
 */
export function pdfTimestampTokens(pdf: Uint8Array, report: VerificationReport, document: string, prefix: string): Array<{ entry: TimestampEntry; token: Uint8Array }> {
  const out: Array<{ entry: TimestampEntry; token: Uint8Array }> = []
  for (const s of report.signatures) {
    if (!s.byteRange) continue
    const contents = signatureContents(pdf, s.byteRange)
    const file = `timestamps/${prefix}-${out.length + 1}.tst`
    if (s.kind === 'document-timestamp') {
      out.push({ entry: { file, covers: { kind: 'document-timestamp', document, field: s.field } }, token: contents })
      continue
    }
    const attr = parseSignedData(contents).signerInfos[0]?.unsignedAttributes.get(CMS_OID.signatureTimeStampToken)?.[0]
    if (attr) out.push({ entry: { file, covers: { kind: 'signature', document, field: s.field } }, token: new Uint8Array(encoding(attr)) })
  }
  return out
}

/** The summary a 证据报告 carries in its information dictionary, or undefined when it has none. */
export function readReportSummary(pdf: Uint8Array): EvidenceReportSummary | undefined {
  try {
    const reader = PdfReader.open(pdf)
    const infoRef = reader.trailer.get('Info')
    const info = infoRef instanceof PdfRef ? reader.dictAt(infoRef) : undefined
    const text = textOf(info?.get(REPORT_SUMMARY_KEY))
    if (!text) return undefined
    const parsed = JSON.parse(text) as EvidenceReportSummary
    return parsed.format === 'qianyue-evidence-report' ? parsed : undefined
  } catch {
    return undefined
  }
}

/** The package's README.txt: what is in it and how to check it without the platform. */
export function packageReadme(manifest: PackageManifest): string {
  return [
    `电子合同证据包 — 《${manifest.title}》（合同编号 ${manifest.contractId}）`,
    `生成时间：${manifest.generatedAt}`,
    '',
    '内容：',
    '  contract.pdf            签署完成的合同（每位签署方的 PAdES 签名、长期验证数据与文档时间戳）',
    '  evidence-report.pdf     证据报告（平台证书签名）',
    '  events.json             证据链：每条记录的 hash 为 RFC 8785 规范化 JSON 的 SHA-256，prevHash 指向前一条',
    '  proofs.json             存证检查点与默克尔包含证明（有检查点时）',
    '  timestamps/             RFC 3161 时间戳令牌（index.json 说明各令牌所覆盖的数据）',
    '  certificates/           平台根证书、签发 CA、时间戳机构（TSA）与 OCSP 证书',
    '',
    '离线验证：',
    '  npx esign evidence verify 本证据包.zip [--trust 平台根证书.pem]',
    '  逐项核对证据链、存证证明、时间戳、合同与报告的全部签名，以及合同最终版本与证据记录是否一致。',
    '',
    '也可以用 openssl 检查时间戳令牌，例如：',
    '  openssl ts -reply -token_in -in timestamps/contract-1.tst -text',
    '',
  ].join('\n')
}
