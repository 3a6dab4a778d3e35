import { leafHash, nodeHash } from './merkle'

/**
 * A checkpoint: the RFC 6962 Merkle root over the new event hashes of all contracts at one moment,
 * time-stamped by the platform TSA (the token's imprint is SHA-256 of the 32 root bytes).
 */
export type EvidenceCheckpoint = {
  id: string
  /** The Merkle root, lowercase hex (32 bytes). */
  root: string
  treeSize: number
  /** RFC 3161 `TimeStampToken` over the root bytes, base64 DER. */
  timestampToken: string
  /** When the checkpoint was made, ISO 8601 UTC. */
  at: string
  /** The external ledger's receipt for the root (`ports/anchor.ts`), when it was anchored. */
  anchorReceipt?: string
}

/** Where one evidence record (`seq` in its contract's chain) sits in a checkpoint's tree. */
export type EvidenceInclusionProof = {
  seq: number
  /** The record's `hash` (lowercase hex); its leaf is `leafHash(bytes of eventHash)`. */
  eventHash: string
  checkpointId: string
  leafIndex: number
  /** Audit path, lowercase hex, leaf's sibling first. */
  path: string[]
}

/** What `GET /api/contracts/{contractId}/evidence/proofs` returns for one contract. */
export type EvidenceProofs = {
  checkpoints: EvidenceCheckpoint[]
  proofs: EvidenceInclusionProof[]
}

/** Why {@link verifyEvidenceProofs} refused: the first broken link, in Chinese and in technical terms. */
export type EvidenceProofsBroken = {
  /** The record concerned (`seq`), when the failure is about one record. */
  seq?: number
  reason: 'unknown-checkpoint' | 'hash-mismatch' | 'bad-proof' | 'root-mismatch' | 'missing-proof' | 'malformed'
  /** For people: 中文说明. */
  message: string
  /** For engineers: what was compared. */
  detail: string
}

const HEX64 = /^[0-9a-f]{64}$/

/**
 * Check every inclusion proof of one contract: each names a known checkpoint, proves its record's
 * hash into that checkpoint's root, and (with `eventHashes`, the chain's record hashes in `seq`
 * order, `eventHashes[0]` being seq 1) covers the record whose hash the chain holds. Every record
 * of `eventHashes` that appears in no proof is reported only if `options.requireAll` is set (events
 * after the last checkpoint have no proof yet). The time-stamp token itself is checked elsewhere
 * (CMS verification needs the TSA certificate).
 *
 * @example
 * const checked = verifyEvidenceProofs(await getEvidenceProofs(...), records.map((r) => r.hash))
 * if (!checked.ok) console.log(checked.error.message, checked.error.detail)
 */
export function verifyEvidenceProofs(
  proofs: EvidenceProofs,
  eventHashes: readonly string[],
  options: { requireAll?: boolean } = {},
): { ok: true; value: { proven: number } } | { ok: false; error: EvidenceProofsBroken } {
  const checkpoints = new Map(proofs.checkpoints.map((c) => [c.id, c]))
  const fail = (error: EvidenceProofsBroken) => ({ ok: false as const, error })
  const proven = new Set<number>()
  // Per checkpoint: the nodes already proven to lead to its root, so many proofs of one tree share
  // their upper levels instead of hashing them again (10,000 proofs: ~20,000 hashes, not 140,000).
  const provenNodes = new Map<string, Map<string, ProvenNode>>()
  const sorted = [...proofs.proofs].sort((a, b) => a.seq - b.seq)
  for (const proof of sorted) {
    const { seq } = proof
    const checkpoint = checkpoints.get(proof.checkpointId)
    if (!checkpoint) {
      return fail({ seq, reason: 'unknown-checkpoint', message: `第 ${seq} 条证据记录引用了不存在的存证检查点`, detail: `checkpointId ${proof.checkpointId} not among ${proofs.checkpoints.length} checkpoints` })
    }
    if (!HEX64.test(proof.eventHash) || !HEX64.test(checkpoint.root) || !proof.path.every((p) => HEX64.test(p))) {
      return fail({ seq, reason: 'malformed', message: `第 ${seq} 条证据记录的证明格式错误`, detail: 'eventHash, root and path entries must be 64 lowercase hex digits' })
    }
    const expected = eventHashes[seq - 1]
    if (expected !== undefined && expected !== proof.eventHash) {
      return fail({ seq, reason: 'hash-mismatch', message: `第 ${seq} 条证据记录与其存证证明中的哈希不一致`, detail: `chain hash ${expected} ≠ proof eventHash ${proof.eventHash}` })
    }
    let known = provenNodes.get(checkpoint.id)
    if (!known) provenNodes.set(checkpoint.id, (known = new Map()))
    const computed = rootFromPath(proof.eventHash, proof.leafIndex, checkpoint.treeSize, proof.path, known)
    if (!computed) {
      return fail({ seq, reason: 'bad-proof', message: `第 ${seq} 条证据记录的默克尔证明不完整`, detail: `path of ${proof.path.length} hashes does not fit leaf ${proof.leafIndex} of tree size ${checkpoint.treeSize}` })
    }
    if (computed.root !== checkpoint.root) {
      return fail({ seq, reason: 'root-mismatch', message: `第 ${seq} 条证据记录未包含在存证检查点 ${checkpoint.id} 中`, detail: `computed root ${computed.root} ≠ checkpoint root ${checkpoint.root}` })
    }
    for (const [key, node] of computed.nodes) known.set(key, node)
    proven.add(seq)
  }
  if (options.requireAll) {
    const missing = eventHashes.findIndex((_, i) => !proven.has(i + 1))
    if (missing >= 0) {
      return fail({ seq: missing + 1, reason: 'missing-proof', message: `第 ${missing + 1} 条证据记录没有存证证明`, detail: `no inclusion proof for seq ${missing + 1} of ${eventHashes.length}` })
    }
  }
  return { ok: true, value: { proven: proven.size } }
}

/** A node on a proven path: its hash, and the path it was reached by (the entries from `from` on lead to the root). */
type ProvenNode = { hash: Buffer; path: readonly string[]; from: number }

/** Whether `a` from `i` on and `b` from `j` on are the same entries. */
function sameRest(a: readonly string[], i: number, b: readonly string[], j: number): boolean {
  if (a.length - i !== b.length - j) return false
  for (; i < a.length; i++, j++) if (a[i] !== b[j]) return false
  return true
}

/**
 * The root that `eventHash` at `index` in a tree of `treeSize` leaves and its audit `path` lead to
 * (RFC 9162 §2.1.3.2, as `rootFromInclusionProof` in `merkle.ts`), or `undefined` when the path
 * has the wrong length for that position. `known` holds nodes (by level and index) already proven
 * to lead to the root: reaching one with the same hash and the same rest of the path, the answer is
 * that root without hashing further — the same verdict as hashing it all. `nodes`: the nodes this
 * path passed, to add to `known` once its root is accepted.
 */
function rootFromPath(
  eventHash: string,
  index: number,
  treeSize: number,
  path: readonly string[],
  known: ReadonlyMap<string, ProvenNode>,
): { root: string; nodes: [string, ProvenNode][] } | undefined {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return undefined
  let fn = index
  let sn = treeSize - 1
  let level = 0
  let r: Buffer = leafHash(Buffer.from(eventHash, 'hex'))
  const nodes: [string, ProvenNode][] = []
  for (let k = 0; k < path.length; k++) {
    if (sn === 0) return undefined
    const p = Buffer.from(path[k], 'hex')
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2)
        sn = Math.floor(sn / 2)
        level++
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
    level++
    const key = `${level}:${fn}`
    const seen = known.get(key)
    if (seen && seen.hash.equals(r) && sameRest(seen.path, seen.from, path, k + 1)) return { root: known.get('root')!.hash.toString('hex'), nodes }
    nodes.push([key, { hash: r, path, from: k + 1 }])
  }
  if (sn !== 0) return undefined
  return { root: r.toString('hex'), nodes: [...nodes, ['root', { hash: r, path, from: path.length }]] }
}
