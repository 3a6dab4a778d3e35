/**
 * Key of record `seq` of a contract's evidence chain: pk `EVIDENCE#<contractId>`, sk
 * `SEQ#<seq, 10 digits>` (zero-padded, so sort-key order is `seq` order).
 */
export const evidenceKey = (contractId: string, seq: number) => ({ pk: evidencePartition(contractId), sk: `SEQ#${String(seq).padStart(10, '0')}` })

/** The partition holding one contract's evidence chain. */
export const evidencePartition = (contractId: string) => `EVIDENCE#${contractId}`

/** Sort-key prefix of the records of an evidence chain. */
export const SEQ_PREFIX = 'SEQ#'
