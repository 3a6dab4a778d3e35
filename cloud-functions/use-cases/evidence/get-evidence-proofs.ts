import type { EvidenceCheckpoint, EvidenceInclusionProof, EvidenceProofs } from '../../core/evidence/evidence-proofs'
import type { EvidenceRecord } from '../../core/evidence/hash-chain'
import { merkleTreeFromHex } from '../../core/evidence/merkle'
import type { ObjectStore } from '../../ports/object-store'
import type { EvidenceDeps } from './deps'
import { evidencePartition, leafEventHashes, loadCheckpoint, SEQ_PREFIX, type CheckpointLeaves, type LeafPlace } from './records'

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
    const stored = item ? await deps.objects.get(item.leavesKey) : undefined
    if (!item || !stored) throw new Error(`evidence checkpoint ${id} or its leaf list is missing`)
    const { leaves } = JSON.parse(Buffer.from(stored).toString('utf8')) as CheckpointLeaves
    const tree = merkleTreeFromHex(leafEventHashes(leaves))
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
