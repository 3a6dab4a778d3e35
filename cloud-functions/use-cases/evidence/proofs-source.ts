import type { EvidenceProofs } from '../../core/evidence/evidence-proofs'
import type { ObjectStore } from '../../ports/object-store'
import type { EvidenceDeps } from './deps'
import { getEvidenceProofs } from './get-evidence-proofs'

/**
 * Where the report and the evidence package get a contract's Merkle checkpoints and inclusion
 * proofs (`core/evidence/evidence-proofs.ts` shape, the package's `proofs.json`): the stored
 * checkpoints by default; a test may pass its own (e.g. {@link noProofs}: the report then shows
 * 尚无检查点 and the package has no `proofs.json`).
 */
export type ProofsSource = (contractId: string) => Promise<EvidenceProofs>

/** No checkpoints yet. */
export const noProofs: ProofsSource = async () => ({ checkpoints: [], proofs: [] })

/**
 * The proofs of one contract for the report and the package: `deps.proofs` when given, else the
 * checkpoints stored by the checkpoint use case (`get-evidence-proofs.ts`: every checkpoint holding
 * one of its records and each placed record's audit path).
 */
export function proofsFor(deps: EvidenceDeps & { objects: ObjectStore; proofs?: ProofsSource }, contractId: string): Promise<EvidenceProofs> {
  return deps.proofs ? deps.proofs(contractId) : getEvidenceProofs(deps, { contractId })
}
