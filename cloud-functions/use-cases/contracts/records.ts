import { err, ok, type Result } from '../../core/shared/result'
import type { Item, MetadataStore } from '../../ports/metadata-store'

/**
 * The contract record (owned by the contracts area; issue 14 extends it with title, fields, order,
 * deadline, documents …). Today it carries what other areas rely on: the contract's status and its
 * parties with their accounts, so that intent verification (意愿认证) is open only to a party of an
 * existing, live contract.
 *
 * | record | pk | sk |
 * |---|---|---|
 * | contract | `CONTRACT#<contractId>` | `META` |
 *
 * Item shape (`type: 'contract'`):
 * - `contractId`: string (`[A-Za-z0-9_.:-]{1,100}`, the id intent and evidence records use);
 * - `status`: {@link ContractStatus};
 * - `parties`: {@link ContractParty}[] — `signerId` (unique in the contract), `userId` (the account
 *   acting for the party, once known), `role`;
 * - `createdAt`: ISO 8601; `createdBy`: the sender's user id.
 */
export const contractKey = (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'META' })

/** draft → sent → completed | declined | revoked | expired (core/contracts holds the transitions). */
export type ContractStatus = 'draft' | 'sent' | 'completed' | 'declined' | 'revoked' | 'expired'

/** The statuses in which a party may still confirm intent and sign (every non-terminal one; a sender may sign a draft first). */
export const LIVE_CONTRACT_STATUSES: readonly ContractStatus[] = ['draft', 'sent']

export type ContractParty = {
  /** The party's id within the contract (what intent proofs and signing links name). */
  signerId: string
  /** The account acting for the party; absent until the party is bound to an account. */
  userId?: string
  role: 'signer' | 'cc'
}

export type ContractFields = {
  type: 'contract'
  contractId: string
  status: ContractStatus
  parties: ContractParty[]
  createdAt: string
  createdBy: string
}

export type ContractRecord = Item & ContractFields

/** Store a new contract record (`CONFLICT` when the id is taken). The contracts use cases (and tests) create contracts through it. */
export async function createContractRecord(deps: { metadata: MetadataStore }, contract: ContractFields): Promise<Result<ContractRecord>> {
  const written = await deps.metadata.put({ ...contractKey(contract.contractId), ...contract }, { mustNotExist: true })
  if (!written.ok) return err('CONFLICT', '合同编号已存在')
  return ok({ ...contractKey(contract.contractId), ...contract, version: 1 } as ContractRecord)
}

/** The contract record, if any. */
export async function loadContract(metadata: MetadataStore, contractId: string): Promise<ContractRecord | undefined> {
  const key = contractKey(contractId)
  return (await metadata.get(key.pk, key.sk)) as ContractRecord | undefined
}

/**
 * The live contract `contractId` and the caller's party `signerId` in it — only when the contract
 * exists, is live ({@link LIVE_CONTRACT_STATUSES}), and that party is a signer bound to `userId`.
 * Anything else is the same `CONTRACT_NOT_FOUND` (404): a caller learns nothing about contracts
 * they are not a party of.
 */
export async function findLiveContractSigner(
  deps: { metadata: MetadataStore },
  input: { contractId: string; signerId: string; userId: string },
): Promise<Result<{ contract: ContractRecord; party: ContractParty }>> {
  const contract = await loadContract(deps.metadata, input.contractId)
  const party = contract?.parties?.find((p) => p.signerId === input.signerId)
  if (!contract || !LIVE_CONTRACT_STATUSES.includes(contract.status) || !party || party.role !== 'signer' || party.userId !== input.userId) {
    return err('CONTRACT_NOT_FOUND', '合同不存在或您不是该合同的签署方')
  }
  return ok({ contract, party })
}
