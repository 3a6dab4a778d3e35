import { verifyChain, type EvidenceChainBroken, type EvidenceRecord } from '../../core/evidence/hash-chain'
import type { Result } from '../../core/shared/result'
import type { EvidenceDeps } from './deps'
import { readEvidenceChain } from './read-evidence-chain'

/**
 * Read the whole evidence chain of one contract (`readEvidenceChain`) and check it with
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
  const read = await readEvidenceChain(deps, input)
  if (!read.ok) return read
  const records = read.value
  const checked = verifyChain(records, { contractId: input.contractId })
  if (!checked.ok) return checked
  return { ok: true, value: { ...checked.value, records } }
}
