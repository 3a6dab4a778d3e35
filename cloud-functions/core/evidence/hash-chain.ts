import { createHash } from 'node:crypto'
import canonicalize from 'canonicalize'
import { ok, type DomainError, type Result } from '../shared/result'
import { EVIDENCE_EVENT_TYPES, type EvidenceContext, type EvidenceEvent } from './evidence-event'

/** `prevHash` of the first record of every chain: 64 zero hex digits. */
export const GENESIS_PREV_HASH = '0'.repeat(64)

/**
 * One link of a contract's evidence chain: an {@link EvidenceEvent} with its position (`seq`,
 * 1-based, no gaps), its time (`at`, ISO 8601 UTC), who caused it and from where (`context`:
 * actor, IP, user agent; absent in records written before it existed), the `hash` of the previous
 * record (`prevHash`, {@link GENESIS_PREV_HASH} for the first) and its own `hash`
 * ({@link evidenceRecordHash}).
 */
export type EvidenceRecord = EvidenceEvent & {
  seq: number
  prevHash: string
  at: string
  context?: EvidenceContext
  hash: string
}

/** Why {@link verifyChain} refused a chain, at the record in `details.seq`. */
export type ChainBrokenReason =
  /** The record at this position has another `seq`: a record was removed, inserted or moved. */
  | 'seq-mismatch'
  /** `prevHash` is not the previous record's `hash`: the previous record was altered and re-hashed, or replaced. */
  | 'prev-hash-mismatch'
  /** The stored `hash` is not the hash of the record's content: the record was edited, or its hash forged. */
  | 'hash-mismatch'
  /** The event type is not one of {@link EVIDENCE_EVENT_TYPES}. */
  | 'unknown-type'
  /** The event belongs to another contract's chain. */
  | 'wrong-contract'

/** The failure of {@link verifyChain}. */
export type EvidenceChainBroken = DomainError<'EVIDENCE_CHAIN_BROKEN'> & { details: { seq: number; reason: ChainBrokenReason } }

/**
 * SHA-256 (lowercase hex) of the RFC 8785 (JCS) canonical JSON of
 * `{ seq, prevHash, at, type, data, context }` (`context` only when the record has one, so records
 * written before it existed keep their hash): the value of {@link EvidenceRecord.hash}.
 *
 * @example
 * evidenceRecordHash(record) === record.hash // unless the record was altered
 */
export function evidenceRecordHash(record: Omit<EvidenceRecord, 'hash'>): string {
  const { seq, prevHash, at, type, data, context } = record
  const json = canonicalize(context === undefined ? { seq, prevHash, at, type, data } : { seq, prevHash, at, type, data, context })
  if (json === undefined) throw new TypeError('Evidence record has no JSON form')
  return createHash('sha256').update(json, 'utf8').digest('hex')
}

/**
 * The record that appends `event` at `at` after `prev` (the chain's current head; `undefined` for
 * an empty chain). Pure: storing it, and losing the race for its `seq`, is the caller's business
 * (`use-cases/evidence/append-evidence.ts`).
 *
 * @example
 * const first = chainEvent(undefined, event, clock.now())   // seq 1, prevHash 000…0
 * const second = chainEvent(first, next, clock.now())       // seq 2, prevHash first.hash
 */
export function chainEvent(prev: EvidenceRecord | undefined, event: EvidenceEvent, at: Date, context?: EvidenceContext): EvidenceRecord {
  const body = {
    seq: prev ? prev.seq + 1 : 1,
    prevHash: prev ? prev.hash : GENESIS_PREV_HASH,
    at: at.toISOString(),
    type: event.type,
    data: event.data,
    ...(context ? { context: cleanContext(context) } : {}),
  }
  return { ...body, hash: evidenceRecordHash(body as Omit<EvidenceRecord, 'hash'>) } as EvidenceRecord
}

/** The records that append `events`, in order, after `prev`: each chained to the one before. */
export function chainEvents(prev: EvidenceRecord | undefined, events: readonly EvidenceEvent[], at: Date, context?: EvidenceContext): EvidenceRecord[] {
  const records: EvidenceRecord[] = []
  let head = prev
  for (const event of events) {
    head = chainEvent(head, event, at, context)
    records.push(head)
  }
  return records
}

/** The context without absent fields (canonical JSON has no `undefined`); a user agent cut to 512 characters. */
function cleanContext(context: EvidenceContext): EvidenceContext {
  return {
    actor: context.actor,
    ...(context.ip ? { ip: context.ip } : {}),
    ...(context.userAgent ? { userAgent: context.userAgent.slice(0, 512) } : {}),
  }
}

/**
 * Check a whole chain, records in `seq` order: positions 1…n without gaps, each `prevHash` the
 * previous `hash` (the genesis value first), each `hash` recomputed from the content, each type
 * known, and (with `options.contractId`) each event of that contract. Detects an edited, removed,
 * inserted, reordered or re-hashed record anywhere but at the end.
 *
 * A chain cut short at its end, or whose last record was edited and re-hashed, is still a valid
 * chain: compare the returned `length` and `head` with an anchor kept elsewhere (the signed
 * certificate, the timestamped checkpoint) to detect that.
 *
 * @example
 * const checked = verifyChain(records, { contractId })
 * if (!checked.ok) logger.error(checked.error.details, 'evidence chain broken')
 */
export function verifyChain(
  records: readonly EvidenceRecord[],
  options: { contractId?: string } = {},
): Result<{ length: number; head: string }, EvidenceChainBroken> {
  let head = GENESIS_PREV_HASH
  for (const [i, record] of records.entries()) {
    const seq = i + 1
    const broken = (reason: ChainBrokenReason): { ok: false; error: EvidenceChainBroken } => ({
      ok: false,
      error: { code: 'EVIDENCE_CHAIN_BROKEN', message: `证据链在第 ${seq} 条记录处断开（${reason}）`, details: { seq, reason } },
    })
    if (record.seq !== seq) return broken('seq-mismatch')
    if (!EVIDENCE_EVENT_TYPES.has(record.type)) return broken('unknown-type')
    if (record.prevHash !== head) return broken('prev-hash-mismatch')
    if (evidenceRecordHash(record) !== record.hash) return broken('hash-mismatch')
    if (options.contractId !== undefined && record.data?.contractId !== options.contractId) return broken('wrong-contract')
    head = record.hash
  }
  return ok({ length: records.length, head })
}
