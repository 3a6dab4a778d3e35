/**
 * Key of record `seq` of a contract's evidence chain: pk `EVIDENCE#<contractId>`, sk
 * `SEQ#<seq, 10 digits>` (zero-padded, so sort-key order is `seq` order).
 */
export const evidenceKey = (contractId: string, seq: number) => ({ pk: evidencePartition(contractId), sk: `SEQ#${String(seq).padStart(10, '0')}` })

/** The partition holding one contract's evidence chain. */
export const evidencePartition = (contractId: string) => `EVIDENCE#${contractId}`

/** Sort-key prefix of the records of an evidence chain. */
export const SEQ_PREFIX = 'SEQ#'

/**
 * The contract's signed 证据报告 (one per contract, written once with `mustNotExist`; the PDF is the
 * object {@link evidenceReportObjectKey}): pk `EVIDENCE#<contractId>`, sk `REPORT`.
 */
export const evidenceReportKey = (contractId: string) => ({ pk: evidencePartition(contractId), sk: 'REPORT' })

/** Object key of a report PDF, content-addressed. */
export const evidenceReportObjectKey = (contractId: string, sha256: string) => `evidence/${contractId}/report-${sha256}.pdf`

/** The stored report record. */
export type EvidenceReportRecord = { type: 'evidence-report'; reportId: string; objectKey: string; sha256: string; finalSha256: string; createdAt: string }
