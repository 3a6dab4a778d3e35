import type { EvidenceCheckpoint } from '../../core/evidence/evidence-proofs'
import type { EvidenceRecord } from '../../core/evidence/hash-chain'
import { MAX_TRANSACT_OPERATIONS, type Item, type MetadataStore, type NewItem, type WriteResult } from '../../ports/metadata-store'

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

/**
 * The index partition of records not yet in a checkpoint: every new record is in it (`gsi1sk`
 * `<at>#<contractId>#<seq>`, oldest first) until a checkpoint takes it and rewrites the item with
 * its place in the tree and without the index keys. A checkpoint reads only this index: never a
 * scan of every chain.
 */
export const PENDING_INDEX = 'EVIDENCE#PENDING'

/** Where a record sits in a checkpoint's tree: its checkpoint and leaf index. */
export type LeafPlace = { checkpointId: string; leafIndex: number }

/**
 * The stored item of an evidence record: `record` is what the hash covers; the rest is addressing
 * (the pending index until checkpointed, then `leaf`).
 */
export type EvidenceItem = NewItem & { type: 'evidence'; record: EvidenceRecord; leaf?: LeafPlace }

/** A new record's item: at its `SEQ#` key and in the pending index. */
export function evidenceItem(contractId: string, record: EvidenceRecord): EvidenceItem {
  return { ...evidenceKey(contractId, record.seq), type: 'evidence', record, gsi1pk: PENDING_INDEX, gsi1sk: `${record.at}#${contractId}#${String(record.seq).padStart(10, '0')}` }
}

/** Records not yet in a checkpoint, oldest first, at most `max` (paged through the index). */
export async function listPendingEvidence(metadata: MetadataStore, max: number): Promise<Item[]> {
  const items: Item[] = []
  let cursor: string | undefined
  do {
    const page = await metadata.queryIndex(PENDING_INDEX, { limit: Math.min(1000, max - items.length), ...(cursor ? { cursor } : {}) })
    for (const item of page.items) if (item.type === 'evidence' && !item.leaf) items.push(item)
    cursor = page.next
  } while (cursor && items.length < max)
  return items
}

/** A pending item's leaf: its contract, `seq` and record hash. */
export function leafOf(item: Item): CheckpointLeaves['leaves'][number] {
  const record = item.record as EvidenceRecord
  return [String(item.pk).slice('EVIDENCE#'.length), record.seq, record.hash]
}

/**
 * Record a pending record's place in a checkpoint: the same item (the record untouched), out of the
 * pending index, with `leaf`. Conditional on the version read, so a record is placed once.
 */
export function placeEvidence(metadata: MetadataStore, item: Item, leaf: LeafPlace): Promise<WriteResult> {
  const { put, condition } = placeOperation(item, leaf)
  return metadata.put(put, condition)
}

/** {@link placeEvidence} of up to {@link PLACE_BATCH} records in one transaction: all placed, or none (a record changed since it was read). */
export function placeEvidenceBatch(metadata: MetadataStore, places: ReadonlyArray<{ item: Item; leaf: LeafPlace }>): Promise<WriteResult> {
  return metadata.transact(places.map(({ item, leaf }) => placeOperation(item, leaf)))
}

/** The most records {@link placeEvidenceBatch} places at once (the store's transaction limit). */
export const PLACE_BATCH = MAX_TRANSACT_OPERATIONS

function placeOperation(item: Item, leaf: LeafPlace): { put: NewItem; condition: { expectedVersion: number } } {
  const { version, gsi1pk: _pk, gsi1sk: _sk, ...rest } = item
  return { put: { ...rest, leaf } as NewItem, condition: { expectedVersion: version } }
}

/** The partition of the checkpoints, one item per checkpoint in order (`CP#<n, 10 digits>`). */
const CHECKPOINTS = 'EVIDENCE#CHECKPOINTS'

/** The id of checkpoint number `n` (1-based): `cp-<n, 10 digits>`. */
export const checkpointId = (n: number) => `cp-${String(n).padStart(10, '0')}`

const checkpointKey = (n: number) => ({ pk: CHECKPOINTS, sk: `CP#${String(n).padStart(10, '0')}` })

/**
 * A stored checkpoint: what proofs carry (`checkpoint`), its number, where its leaves are (an
 * object: the `[contractId, seq, eventHash]` of every leaf in order, so a path is computed on
 * demand), and whether every record it covers has been placed (`placed`).
 */
export type CheckpointItem = Item & { type: 'evidence-checkpoint'; n: number; checkpoint: EvidenceCheckpoint; leavesKey: string; placed: boolean }

/**
 * Object key of a checkpoint's leaf list, named by the checkpoint and its root: two runs making the
 * same checkpoint number over different records (a tick and a completion, two Lambdas) each store
 * their own list, so the loser of the claim cannot overwrite the winner's. (Items written before
 * this carry their key, `evidence/checkpoints/<id>.json`, and are read from it.)
 */
export const checkpointLeavesKey = (id: string, rootHex: string) => `evidence/checkpoints/${id}-${rootHex}.json`

/** The leaf list stored for a checkpoint. */
export type CheckpointLeaves = { checkpointId: string; leaves: [contractId: string, seq: number, eventHash: string][] }

/** The event hashes of a checkpoint's leaves, in leaf order (what its Merkle tree is built over). */
export function leafEventHashes(leaves: CheckpointLeaves['leaves']): string[] {
  const hashes = new Array<string>(leaves.length)
  for (let i = 0; i < leaves.length; i++) hashes[i] = leaves[i]![2]
  return hashes
}

/** The newest checkpoint, if any. */
export async function loadLastCheckpoint(metadata: MetadataStore): Promise<CheckpointItem | undefined> {
  const page = await metadata.query(CHECKPOINTS, { skPrefix: 'CP#', reverse: true, limit: 1 })
  return page.items[0] as CheckpointItem | undefined
}

/** Checkpoint `id`, if it exists. */
export async function loadCheckpoint(metadata: MetadataStore, id: string): Promise<CheckpointItem | undefined> {
  const n = Number(id.slice(3))
  if (!/^cp-\d{10}$/.test(id) || !Number.isSafeInteger(n)) return undefined
  const key = checkpointKey(n)
  return (await metadata.get(key.pk, key.sk)) as CheckpointItem | undefined
}

/** Claim checkpoint number `n` (`mustNotExist`: of two ticks making the same checkpoint, one wins). */
export function claimCheckpoint(metadata: MetadataStore, n: number, checkpoint: EvidenceCheckpoint, leavesKey: string): Promise<WriteResult> {
  return metadata.put({ ...checkpointKey(n), type: 'evidence-checkpoint', n, checkpoint, leavesKey, placed: false }, { mustNotExist: true })
}

/** Mark a checkpoint's records placed (and keep the anchor's receipt, when there is one). */
export function markCheckpointPlaced(metadata: MetadataStore, item: CheckpointItem, anchorReceipt?: string): Promise<WriteResult> {
  const { version, ...rest } = item
  const checkpoint = anchorReceipt ? { ...item.checkpoint, anchorReceipt } : item.checkpoint
  return metadata.put({ ...rest, checkpoint, placed: true }, { expectedVersion: version })
}
