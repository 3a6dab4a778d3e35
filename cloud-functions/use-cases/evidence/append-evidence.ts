import type { EvidenceEvent } from '../../core/evidence/evidence-event'
import { chainEvent, type EvidenceRecord } from '../../core/evidence/hash-chain'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import type { MetadataStore, NewItem, TransactOperation } from '../../ports/metadata-store'
import type { EvidenceDeps } from './deps'
import { evidenceKey, evidencePartition, SEQ_PREFIX } from './records'

/** How many times an append re-reads the head after losing its `seq` to a concurrent append. */
export const EVIDENCE_APPEND_ATTEMPTS = 5

/** The stored item of an evidence record (`record` is what the hash covers; the rest is addressing). */
export type EvidenceItem = NewItem & { type: 'evidence'; record: EvidenceRecord }

/**
 * Append `event` to the evidence chain of `event.data.contractId`: read the head (the last record),
 * chain the event after it (`core/evidence/hash-chain.ts`) and create the next `SEQ#` item with
 * `mustNotExist`, so two appends can never both take one position. The one that loses re-reads the
 * head and tries again, at most {@link EVIDENCE_APPEND_ATTEMPTS} times in all (then `CONFLICT`).
 *
 * `with`: other writes that must happen if and only if the event is recorded (e.g. the intent
 * proof the event describes). They go into the same `transact`; if one of their conditions fails
 * while the head did not move, that is their conflict, returned at once without retrying.
 *
 * @example
 * const appended = await appendEvidence(deps, { event, at: deps.clock.now() })
 * if (!appended.ok) return appended              // CONFLICT: too many concurrent appends
 * appended.value.record.seq                      // its position in the chain
 */
export async function appendEvidence(
  deps: EvidenceDeps,
  input: { event: EvidenceEvent; at: Date; with?: TransactOperation[] },
): Promise<Result<{ record: EvidenceRecord; attempts: number }, DomainError<'CONFLICT'>>> {
  const contractId = input.event.data.contractId
  let head = await readHead(deps.metadata, contractId)
  for (let attempt = 1; attempt <= EVIDENCE_APPEND_ATTEMPTS; attempt++) {
    const record = chainEvent(head, input.event, input.at)
    const item: EvidenceItem = { ...evidenceKey(contractId, record.seq), type: 'evidence', record }
    const written = input.with?.length
      ? await deps.metadata.transact([...input.with, { put: item, condition: { mustNotExist: true } }])
      : await deps.metadata.put(item, { mustNotExist: true })
    if (written.ok) return ok({ record, attempts: attempt })
    const newHead = await readHead(deps.metadata, contractId)
    if (input.with?.length && newHead?.seq === head?.seq) {
      return err('CONFLICT', '证据记录的附带写入冲突', { contractId, reason: 'with-conflict' })
    }
    head = newHead
  }
  return err('CONFLICT', '证据链写入繁忙，请稍后重试', { contractId, reason: 'contention', attempts: EVIDENCE_APPEND_ATTEMPTS })
}

async function readHead(metadata: MetadataStore, contractId: string): Promise<EvidenceRecord | undefined> {
  const page = await metadata.query(evidencePartition(contractId), { skPrefix: SEQ_PREFIX, reverse: true, limit: 1 })
  return page.items[0]?.record as EvidenceRecord | undefined
}
