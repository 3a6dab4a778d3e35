import { verifyChain, type EvidenceChainBroken, type EvidenceRecord } from '../../core/evidence/hash-chain'
import type { Result } from '../../core/shared/result'
import type { EvidenceDeps } from './deps'
import { evidenceKey, evidencePartition, SEQ_PREFIX } from './records'

/**
 * Read the whole evidence chain of one contract (every page, in `seq` order) and check it with
 * `verifyChain`: each record at its own `SEQ#` key, no gaps, every `prevHash` and `hash` right,
 * every event of this contract. Returns the verified records with the chain's `length` and `head`
 * (the last hash; compare it with an external anchor to detect a chain cut short at its end). An
 * empty chain verifies with length 0.
 *
 * @example
 * const chain = await verifyEvidenceChain(deps, { contractId })
 * if (!chain.ok) return chain // EVIDENCE_CHAIN_BROKEN, details: { seq, reason }
 * chain.value.records.filter((r) => r.type === 'INTENT_CONFIRMED')
 */
export async function verifyEvidenceChain(
  deps: EvidenceDeps,
  input: { contractId: string },
): Promise<Result<{ length: number; head: string; records: EvidenceRecord[] }, EvidenceChainBroken>> {
  const records: EvidenceRecord[] = []
  let cursor: string | undefined
  do {
    const page = await deps.metadata.query(evidencePartition(input.contractId), { skPrefix: SEQ_PREFIX, cursor })
    for (const item of page.items) {
      const seq = records.length + 1
      const record = item.record as EvidenceRecord | undefined
      // A record copied or moved to another key is out of place even if its content is intact.
      if (!record || item.sk !== evidenceKey(input.contractId, record.seq).sk) {
        return { ok: false, error: { code: 'EVIDENCE_CHAIN_BROKEN', message: `证据链在第 ${seq} 条记录处断开（seq-mismatch）`, details: { seq, reason: 'seq-mismatch' } } }
      }
      records.push(record)
    }
    cursor = page.next
  } while (cursor)
  const checked = verifyChain(records, { contractId: input.contractId })
  if (!checked.ok) return checked
  return { ok: true, value: { ...checked.value, records } }
}
