import { createHash } from 'node:crypto'
import type { ObjectStore } from '../../cloud-functions/ports/object-store'
import { listContractEvents, loadContractItem, revisionObjectKey } from '../../cloud-functions/use-cases/contracts/records'
import type { EvidenceDeps } from '../../cloud-functions/use-cases/evidence/deps'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'

/**
 * What the crash tests check after a death: a contract's stored state, read with the product's own
 * records — its record, how many signatures its timeline and its evidence chain hold, whether the
 * chain verifies, and whether the revisions the record names are stored with the hash it names.
 */
export async function storedContractState(deps: EvidenceDeps & { objects: ObjectStore }, contractId: string) {
  const item = await loadContractItem(deps.metadata, contractId)
  const events = await listContractEvents(deps.metadata, contractId)
  const chain = await verifyEvidenceChain(deps, { contractId })
  const latest = item?.contract.document.latestSha256
  const bytes = latest ? await deps.objects.get(revisionObjectKey(contractId, latest)) : undefined
  return {
    item,
    timelineSigned: events.filter((e) => e.type === 'SignerSigned').length,
    chainOk: chain.ok,
    chainSigned: chain.ok ? chain.value.records.filter((r) => r.type === 'party.signed').length : -1,
    latestStored: latest ? Boolean(bytes) && createHash('sha256').update(bytes!).digest('hex') === latest : undefined,
    finalStored: item?.finalSha256 ? Boolean(await deps.objects.get(revisionObjectKey(contractId, item.finalSha256))) : undefined,
  }
}
