import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { loadUser, type UserRecord } from '../identity/records'
import { canSee, type Caller } from './contract-view'
import { loadContractItem, type ContractItem } from './records'

/** The caller (their account and phone lookup hashes), for every contracts use case. */
export async function loadCaller(metadata: MetadataStore, userId: string): Promise<{ caller: Caller; user?: UserRecord }> {
  const user = await loadUser(metadata, userId)
  const phoneHashes = [user?.loginPhoneHash, user?.person?.phoneHash].filter((h): h is string => typeof h === 'string' && h.length > 0)
  return { caller: { userId, phoneHashes }, user }
}

/**
 * The contract `contractId` if the caller is its sender or one of its parties. An unknown id and a
 * contract of others are the same `CONTRACT_NOT_FOUND` (404): nothing reveals that it exists.
 */
export async function findContract(metadata: MetadataStore, contractId: string, caller: Caller): Promise<Result<ContractItem>> {
  const item = await loadContractItem(metadata, contractId)
  if (!item || !canSee(item, caller)) return err('CONTRACT_NOT_FOUND', '合同不存在或您无权查看')
  return ok(item)
}
