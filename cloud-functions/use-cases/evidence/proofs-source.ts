import type { EvidenceProofs } from '../../core/evidence/evidence-proofs'
import type { EvidenceDeps } from './deps'

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

/**
 * The proofs of one contract for the report and the package: `deps.proofs` when given, else the
 * default. THE one place to plug the checkpoint use case in (replace `noProofs` here with a call
 * that reads the checkpoints from `deps.metadata`; the report and package deps are the contracts deps,
 * which include everything the evidence use cases take).
 */
export function proofsFor(deps: EvidenceDeps & { proofs?: ProofsSource }, contractId: string): Promise<EvidenceProofs> {
  return (deps.proofs ?? noProofs)(contractId)
}
