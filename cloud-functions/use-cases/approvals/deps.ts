import type { ContractDeps } from '../contracts/deps'

/** What the approvals use cases need: the contracts services (a final approval sends the contract). */
export type ApprovalDeps = ContractDeps
