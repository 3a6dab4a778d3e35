import type { EvidenceProofs } from '../../core/evidence/evidence-proofs'
import { ok, type Result } from '../../core/shared/result'
import { getEvidenceProofs } from '../evidence/get-evidence-proofs'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'

/**
 * The inclusion proofs of a contract's evidence records, for its sender or a party (anyone else:
 * `CONTRACT_NOT_FOUND`): every checkpoint that holds one of its records (root, tree size, RFC 3161
 * token) and each record's audit path (`use-cases/evidence/get-evidence-proofs.ts`).
 */
export async function getContractEvidenceProofs(deps: ContractDeps, input: { userId: string; contractId: string }): Promise<Result<EvidenceProofs>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  return ok(await getEvidenceProofs(deps, { contractId: input.contractId }))
}
