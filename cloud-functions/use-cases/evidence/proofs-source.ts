import type { EvidenceProofs } from '../../core/evidence/evidence-proofs'

/**
 * Where the report and the evidence package get a contract's Merkle checkpoints and inclusion
 * proofs (`core/evidence/evidence-proofs.ts` shape, the package's `proofs.json`). The default,
 * {@link noProofs}, knows none: the report then shows 尚无检查点 and the package has no
 * `proofs.json`. The checkpoint use case plugs in here (`runtime/services.ts` or the caller passes
 * it as `deps.proofs`).
 */
export type ProofsSource = (contractId: string) => Promise<EvidenceProofs>

/** No checkpoints yet. */
export const noProofs: ProofsSource = async () => ({ checkpoints: [], proofs: [] })
