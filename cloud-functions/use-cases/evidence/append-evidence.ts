import type { EvidenceContext, EvidenceEvent } from '../../core/evidence/evidence-event'
import { chainEvents, type EvidenceRecord } from '../../core/evidence/hash-chain'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import type { MetadataStore, TransactOperation } from '../../ports/metadata-store'
import type { EvidenceDeps } from './deps'
import { evidenceItem, evidencePartition, SEQ_PREFIX } from './records'

/** How many times an append re-reads the head after losing its `seq` to a concurrent append. */
export const EVIDENCE_APPEND_ATTEMPTS = 5

export type { EvidenceItem } from './records'

/** Chains whose last record this process wrote, remembered per store (at most this many, oldest dropped first). */
const HEAD_CACHE_SIZE = 512
const headCaches = new WeakMap<MetadataStore, Map<string, EvidenceRecord>>()

function headCache(metadata: MetadataStore): Map<string, EvidenceRecord> {
  let cache = headCaches.get(metadata)
  if (!cache) headCaches.set(metadata, (cache = new Map()))
  return cache
}

/**
 * Append events to the evidence chain of their contract (all of one contract): read the head (the
 * last record), chain the events after it (`core/evidence/hash-chain.ts`) and create the next
 * `SEQ#` items with `mustNotExist`, so two appends can never both take one position. Each new record
 * is also listed in the pending index the next checkpoint reads (`records.ts`). The one that loses
 * re-reads the head and tries again, at most {@link EVIDENCE_APPEND_ATTEMPTS} times in all (then
 * `CONFLICT`). The head this process wrote last for a contract is remembered (per store), so the
 * usual append — one process driving a contract — skips the read; a remembered head that another
 * process (another Lambda) has since moved fails its condition like any lost race, is re-read, and
 * that try does not count.
 *
 * `event` (one) or `events` (several, in order); `context`: who and from where (actor, IP, user
 * agent), recorded in every record. `with`: other writes that must happen if and only if the
 * events are recorded (e.g. the contract's new state). They go into the same `transact`; if one of
 * their conditions fails while the head did not move, that is their conflict, returned at once
 * without retrying.
 *
 * @example
 * const appended = await appendEvidence(deps, { event, at: deps.clock.now(), context: { actor: `user:${userId}` } })
 * if (!appended.ok) return appended              // CONFLICT: too many concurrent appends
 * appended.value.record.seq                      // its position in the chain (the last one's)
 */
export async function appendEvidence(
  deps: EvidenceDeps,
  input: ({ event: EvidenceEvent; events?: undefined } | { events: readonly EvidenceEvent[]; event?: undefined }) & { at: Date; context?: EvidenceContext; with?: TransactOperation[] },
): Promise<Result<{ record: EvidenceRecord; records: EvidenceRecord[]; attempts: number }, DomainError<'CONFLICT'>>> {
  const events = input.events ?? [input.event]
  if (events.length === 0) throw new RangeError('appendEvidence: no events')
  const contractId = events[0].data.contractId
  if (events.some((e) => e.data.contractId !== contractId)) throw new RangeError('appendEvidence: events of several contracts')
  const heads = headCache(deps.metadata)
  let remembered = heads.has(contractId)
  let head = remembered ? heads.get(contractId) : await readHead(deps.metadata, contractId)
  for (let attempt = 1; attempt <= EVIDENCE_APPEND_ATTEMPTS; attempt++) {
    const records = chainEvents(head, events, input.at, input.context)
    const puts: TransactOperation[] = records.map((record) => ({ put: evidenceItem(contractId, record), condition: { mustNotExist: true } }))
    const all = [...(input.with ?? []), ...puts]
    const written = all.length === 1 ? await deps.metadata.put(evidenceItem(contractId, records[0]), { mustNotExist: true }) : await deps.metadata.transact(all)
    if (written.ok) {
      const last = records[records.length - 1]!
      heads.delete(contractId)
      if (heads.size >= HEAD_CACHE_SIZE) heads.delete(heads.keys().next().value!)
      heads.set(contractId, last)
      return ok({ record: last, records, attempts: attempt })
    }
    heads.delete(contractId)
    const newHead = await readHead(deps.metadata, contractId)
    if (input.with?.length && newHead?.seq === head?.seq) {
      return err('CONFLICT', '证据记录的附带写入冲突', { contractId, reason: 'with-conflict' })
    }
    if (remembered && newHead?.seq !== head?.seq) attempt-- // the remembered head was stale: not a lost race
    remembered = false
    head = newHead
  }
  return err('CONFLICT', '证据链写入繁忙，请稍后重试', { contractId, reason: 'contention', attempts: EVIDENCE_APPEND_ATTEMPTS })
}

async function readHead(metadata: MetadataStore, contractId: string): Promise<EvidenceRecord | undefined> {
  const page = await metadata.query(evidencePartition(contractId), { skPrefix: SEQ_PREFIX, reverse: true, limit: 1 })
  return page.items[0]?.record as EvidenceRecord | undefined
}
