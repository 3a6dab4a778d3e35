import type { EvidenceChainBroken, EvidenceRecord } from '../../core/evidence/hash-chain'
import type { Result } from '../../core/shared/result'
import type { EvidenceDeps } from './deps'
import { evidenceKey, evidencePartition, SEQ_PREFIX } from './records'

/**
 * Read the whole evidence chain of one contract (every page, in `seq` order), each record at its own
 * `SEQ#` key, without checking the hashes: `verifyEvidenceChain` does that here, and the evidence
 * report on the CPU pool (`core/evidence/prepare-evidence-report.ts`). A record copied or moved to
 * another key is `EVIDENCE_CHAIN_BROKEN` (`seq-mismatch`) even if its content is intact.
 *
 * @example
 * const read = await readEvidenceChain(deps, { contractId })
 * if (read.ok) verifyChain(read.value, { contractId })
 */
export async function readEvidenceChain(deps: EvidenceDeps, input: { contractId: string }): Promise<Result<EvidenceRecord[], EvidenceChainBroken>> {
  const records: EvidenceRecord[] = []
  let cursor: string | undefined
  do {
    const page = await deps.metadata.query(evidencePartition(input.contractId), { skPrefix: SEQ_PREFIX, cursor })
    for (const item of page.items) {
      const seq = records.length + 1
      const record = item.record as EvidenceRecord | undefined
      if (!record || item.sk !== evidenceKey(input.contractId, record.seq).sk) {
        return { ok: false, error: { code: 'EVIDENCE_CHAIN_BROKEN', message: `证据链在第 ${seq} 条记录处断开（seq-mismatch）`, details: { seq, reason: 'seq-mismatch' } } }
      }
      records.push(record)
    }
    cursor = page.next
  } while (cursor)
  return { ok: true, value: records }
}
