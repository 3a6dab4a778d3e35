import type { EvidenceCheckpoint, EvidenceInclusionProof, EvidenceProofs } from '../../core/evidence/evidence-proofs'
import type { EvidenceRecord } from '../../core/evidence/hash-chain'
import { merkleTreeFromHex } from '../../core/evidence/merkle'
import type { ObjectStore } from '../../ports/object-store'
import type { EvidenceDeps } from './deps'
import { evidencePartition, loadCheckpoint, SEQ_PREFIX, type CheckpointLeaves, type LeafPlace } from './records'

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
  for (const id of [...new Set(placed.map((p) => p.leaf.checkpointId))]) {
    const item = await loadCheckpoint(deps.metadata, id)
    const stored = item ? await deps.objects.get(item.leavesKey) : undefined
    if (!item || !stored) throw new Error(`evidence checkpoint ${id} or its leaf list is missing`)
    const { leaves } = JSON.parse(Buffer.from(stored).toString('utf8')) as CheckpointLeaves
    const tree = merkleTreeFromHex(leaves.map(([, , hash]) => hash))
    checkpoints.push(item.checkpoint)
    for (const p of placed.filter((x) => x.leaf.checkpointId === id)) {
      const path = tree.path(p.leaf.leafIndex)
      proofs.push({ seq: p.seq, eventHash: p.hash, checkpointId: id, leafIndex: p.leaf.leafIndex, path })
    }
  }
  proofs.sort((a, b) => a.seq - b.seq)
  return { checkpoints, proofs }
}
