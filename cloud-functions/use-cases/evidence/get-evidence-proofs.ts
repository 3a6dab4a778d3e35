import type { EvidenceCheckpoint, EvidenceInclusionProof, EvidenceProofs } from '../../core/evidence/evidence-proofs'
import type { EvidenceRecord } from '../../core/evidence/hash-chain'
import { merkleTreeFromHex, type HexMerkleTree } from '../../core/evidence/merkle'
import type { ObjectStore } from '../../ports/object-store'
import type { EvidenceDeps } from './deps'
import { checkpointLeavesKey, evidencePartition, leafEventHashes, loadCheckpoint, SEQ_PREFIX, type CheckpointItem, type CheckpointLeaves, type LeafPlace } from './records'

/**
 * The inclusion proofs of one contract's evidence records (the `proofs.json` of the evidence
 * package, `GET /api/contracts/{id}/evidence/proofs`): every checkpoint that holds one of its
 * records, and for every record already in a checkpoint its leaf index and audit path, computed now
 * from the checkpoint's stored leaf list. Records appended since the last checkpoint have no proof
 * yet. No authorisation here: the caller decides who may see it. Check the answer with
 * `verifyEvidenceProofs` (`core/evidence/evidence-proofs.ts`).
 *
 * @example
 * const proofs = await getEvidenceProofs(deps, { contractId })
 * verifyEvidenceProofs(proofs, chain.records.map((r) => r.hash)).ok // true
 */
export async function getEvidenceProofs(deps: EvidenceDeps & { objects: ObjectStore }, input: { contractId: string }): Promise<EvidenceProofs> {
  const placed: { seq: number; hash: string; leaf: LeafPlace }[] = []
  let cursor: string | undefined
  do {
    const page = await deps.metadata.query(evidencePartition(input.contractId), { skPrefix: SEQ_PREFIX, ...(cursor ? { cursor } : {}) })
    for (const item of page.items) {
      const leaf = item.leaf as LeafPlace | undefined
      const record = item.record as EvidenceRecord
      if (leaf) placed.push({ seq: record.seq, hash: record.hash, leaf })
    }
    cursor = page.next
  } while (cursor)
  const checkpoints: EvidenceCheckpoint[] = []
  const proofs: EvidenceInclusionProof[] = []
  const ids = new Set<string>()
  for (const p of placed) ids.add(p.leaf.checkpointId)
  for (const id of ids) {
    const item = await loadCheckpoint(deps.metadata, id)
    const tree = item && (await checkpointTree(deps.objects, item))
    if (!item || !tree) throw new Error(`evidence checkpoint ${id} or its leaf list is missing`)
    checkpoints.push(item.checkpoint)
    for (const p of placed) {
      if (p.leaf.checkpointId !== id) continue
      const path = tree.path(p.leaf.leafIndex)
      proofs.push({ seq: p.seq, eventHash: p.hash, checkpointId: id, leafIndex: p.leaf.leafIndex, path })
    }
  }
  proofs.sort(bySeq)
  return { checkpoints, proofs }
}

/** Module-level rather than a closure per call (see docs/ARCHITECTURE.md, "No closures made per call on hot paths"). */
const bySeq = (a: EvidenceInclusionProof, b: EvidenceInclusionProof): number => a.seq - b.seq

/**
 * Merkle trees of the checkpoints read lately, per object store, by leaf-list key: each checkpoint
 * holds the records of many contracts, and every one of their reports and packages needs its paths,
 * so the list is read and the tree built once instead of for each. A leaf list named by its root
 * (`checkpointLeavesKey`) never changes; older keys, and trees whose root is not the checkpoint's,
 * are not kept.
 */
const treesByStore = new WeakMap<ObjectStore, { trees: Map<string, HexMerkleTree>; leaves: number }>()
/** The most leaves the kept trees of one store hold in all (a tree of 1,000 leaves is about 130 KB of hex). */
const KEPT_LEAVES = 65_536

async function checkpointTree(objects: ObjectStore, item: CheckpointItem): Promise<HexMerkleTree | undefined> {
  const keep = item.leavesKey === checkpointLeavesKey(item.checkpoint.id, item.checkpoint.root)
  let kept = treesByStore.get(objects)
  const hit = keep ? kept?.trees.get(item.leavesKey) : undefined
  if (hit) return hit
  const stored = await objects.get(item.leavesKey)
  if (!stored) return undefined
  const { leaves } = JSON.parse(Buffer.from(stored).toString('utf8')) as CheckpointLeaves
  const tree = merkleTreeFromHex(leafEventHashes(leaves))
  if (keep && tree.root === item.checkpoint.root && tree.size <= KEPT_LEAVES) {
    if (!kept) treesByStore.set(objects, (kept = { trees: new Map(), leaves: 0 }))
    if (!kept.trees.has(item.leavesKey)) {
      kept.trees.set(item.leavesKey, tree)
      kept.leaves += tree.size
    }
    // The oldest first (a Map keeps insertion order).
    for (const [key, t] of kept.trees) {
      if (kept.leaves <= KEPT_LEAVES) break
      kept.trees.delete(key)
      kept.leaves -= t.size
    }
  }
  return tree
}
