import type { EvidenceCheckpoint } from '../../core/evidence/evidence-proofs'
import { merkleTreeFromHex } from '../../core/evidence/merkle'
import { ok, type Result } from '../../core/shared/result'
import type { Item } from '../../ports/metadata-store'
import type { CheckpointDeps } from './deps'
import {
  checkpointId,
  checkpointLeavesKey,
  evidenceKey,
  leafEventHashes,
  leafOf,
  claimCheckpoint,
  listPendingEvidence,
  loadCheckpoint,
  loadLastCheckpoint,
  markCheckpointPlaced,
  placeEvidence,
  placeEvidenceBatch,
  PLACE_BATCH,
  type CheckpointItem,
  type CheckpointLeaves,
  type LeafPlace,
} from './records'

/** The most records one checkpoint takes; the rest wait for the next one. */
export const CHECKPOINT_MAX_LEAVES = 100_000

/**
 * Make a checkpoint (存证检查点) over every evidence record appended since the last one, of all
 * contracts: read them from the pending index (oldest first, never a scan of every chain), build the
 * RFC 6962 Merkle tree over their hashes, have the platform TSA time-stamp the root (imprint:
 * SHA-256 of the 32 root bytes), store the leaf list (so inclusion paths are computed on demand),
 * claim the next checkpoint number (`mustNotExist`: of two ticks running together one wins, the
 * other makes nothing), record each record's place (checkpoint id + leaf index), then hand the root
 * to the `Anchor` port and mark the checkpoint placed.
 *
 * Nothing pending: no checkpoint. A previous checkpoint whose records were not all placed (the
 * process stopped half-way) is finished first, from its stored leaf list.
 *
 * @example
 * const made = await createCheckpoint(deps)
 * made.value.checkpoint?.root // hex, or undefined when nothing was new
 */
export async function createCheckpoint(deps: CheckpointDeps): Promise<Result<{ checkpoint?: EvidenceCheckpoint; leaves: number }>> {
  const last = await loadLastCheckpoint(deps.metadata)
  if (last && !last.placed) await finishPlacing(deps, last)
  const pending = await listPendingEvidence(deps.metadata, CHECKPOINT_MAX_LEAVES)
  if (pending.length === 0) return ok({ leaves: 0 })
  const leaves: CheckpointLeaves['leaves'] = pending.map(leafOf)
  const root = Buffer.from(merkleTreeFromHex(leafEventHashes(leaves)).root, 'hex')
  const token = await deps.tsa.timestamp(root)
  const n = (last?.n ?? 0) + 1
  const id = checkpointId(n)
  const at = deps.clock.now()
  const checkpoint: EvidenceCheckpoint = { id, root: root.toString('hex'), treeSize: leaves.length, timestampToken: Buffer.from(token).toString('base64'), at: at.toISOString() }
  const leavesKey = checkpointLeavesKey(id, checkpoint.root)
  await deps.objects.put(leavesKey, Buffer.from(JSON.stringify({ checkpointId: id, leaves } satisfies CheckpointLeaves)), { contentType: 'application/json' })
  const claimed = await claimCheckpoint(deps.metadata, n, checkpoint, leavesKey)
  if (!claimed.ok) {
    await dropUnclaimedLeaves(deps, id, leavesKey)
    deps.logger.info({ checkpointId: id }, 'evidence checkpoint made by another tick')
    return ok({ leaves: 0 })
  }
  await placeAll(deps, pending, id)
  const anchored = await deps.anchor.anchor({ checkpointId: id, root, treeSize: leaves.length, at })
  const item = (await loadLastCheckpoint(deps.metadata)) as CheckpointItem
  await markCheckpointPlaced(deps.metadata, item, anchored?.receipt)
  deps.logger.info({ checkpointId: id, treeSize: leaves.length, root: checkpoint.root, anchored: anchored !== undefined }, 'evidence checkpoint')
  return ok({ checkpoint: anchored ? { ...checkpoint, anchorReceipt: anchored.receipt } : checkpoint, leaves: leaves.length })
}

/**
 * A run that lost the claim on checkpoint `id` deletes the leaf list it stored, which nothing
 * references, unless the winner's is the very same object (both listed the same records, so the
 * same root and key). Best effort: a list left behind is only an unreferenced object.
 */
async function dropUnclaimedLeaves(deps: CheckpointDeps, id: string, leavesKey: string): Promise<void> {
  try {
    const winner = await loadCheckpoint(deps.metadata, id)
    if (winner?.leavesKey === leavesKey) return
    await deps.objects.delete(leavesKey)
  } catch (error) {
    deps.logger.warn({ checkpointId: id, err: (error as Error).message }, 'unclaimed evidence checkpoint leaf list not deleted')
  }
}

/**
 * Record each pending record's place, {@link PLACE_BATCH} records per transaction (one write of the
 * store instead of one per record); a batch with a record already placed (a stale index read) is
 * placed one record at a time, and that record keeps its place.
 */
async function placeAll(deps: CheckpointDeps, items: readonly Item[], id: string): Promise<void> {
  for (let start = 0; start < items.length; start += PLACE_BATCH) {
    const batch: Array<{ item: Item; leaf: LeafPlace }> = []
    for (let i = start; i < Math.min(items.length, start + PLACE_BATCH); i++) batch.push({ item: items[i]!, leaf: { checkpointId: id, leafIndex: i } })
    if ((await placeEvidenceBatch(deps.metadata, batch)).ok) continue
    for (const { item, leaf } of batch) {
      const placed = await placeEvidence(deps.metadata, item, leaf)
      if (!placed.ok) deps.logger.warn({ checkpointId: id, leafIndex: leaf.leafIndex }, 'evidence record changed while placing it in a checkpoint')
    }
  }
}

/** Place the records of a checkpoint left half-done, from its leaf list, then mark it placed. */
async function finishPlacing(deps: CheckpointDeps, item: CheckpointItem): Promise<void> {
  const stored = await deps.objects.get(item.leavesKey)
  if (stored) {
    const { leaves } = JSON.parse(Buffer.from(stored).toString('utf8')) as CheckpointLeaves
    for (const [leafIndex, [contractId, seq]] of leaves.entries()) {
      const key = evidenceKey(contractId, seq)
      const record = await deps.metadata.get(key.pk, key.sk)
      if (record && !record.leaf) await placeEvidence(deps.metadata, record, { checkpointId: item.checkpoint.id, leafIndex })
    }
  }
  const anchored = await deps.anchor.anchor({ checkpointId: item.checkpoint.id, root: Buffer.from(item.checkpoint.root, 'hex'), treeSize: item.checkpoint.treeSize, at: new Date(item.checkpoint.at) })
  await markCheckpointPlaced(deps.metadata, item, anchored?.receipt)
}
