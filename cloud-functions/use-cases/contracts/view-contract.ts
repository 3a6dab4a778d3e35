import type { ContractView } from '../../api/contracts.types'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { applyCommand } from '../../core/contracts/apply-command'
import { err, ok, type Result } from '../../core/shared/result'
import { isCompanyVerified } from '../identity/records'
import { bindParty, boundUser, callerParty, toContractView, withPartyCompany } from './contract-view'
import type { ContractDeps } from './deps'
import { findActingCompany } from './find-acting-company'
import { findContract, loadCaller } from './find-contract'
import { loadPartySealRequests } from './load-party-seal-requests'
import { commitTransition } from './commit-transition'
import type { ContractItem } from './records'

/** How often a view retries after a concurrent change of the contract. */
const ATTEMPTS = 5

/**
 * A party opened the contract: their party is bound to their account (if it was not yet: the
 * phone matched), a company party is tied to the verified company its member acts for (the view
 * shows its `companyId`), and a notified signer becomes `viewed`. For anyone else (the sender) it is the
 * detail view. After the contract has ended it only shows it.
 */
export async function viewContract(deps: ContractDeps, input: { userId: string; contractId: string; request?: EvidenceContext }): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const found = await findContract(deps.metadata, input.contractId, caller)
    if (!found.ok) return found
    const item = found.value
    const now = deps.clock.now()
    const party = callerParty(item, caller)
    if (!party) return ok(toContractView(item, caller, now, { sealRequests: await loadPartySealRequests(deps.metadata, item) }))
    let contract = boundUser(party) ? item.contract : bindParty(item.contract, party.partyId, input.userId)
    // A company party is tied to the verified company its member acts for, once known.
    if (party.kind === 'company' && !party.companyId) {
      const company = await findActingCompany(deps.metadata, input.userId, party)
      if (company && isCompanyVerified(company)) contract = withPartyCompany(contract, party.partyId, company.companyId)
    }
    const viewed = item.contract.status === 'sent' ? applyCommand(contract, { type: 'view', partyId: party.partyId }, now) : undefined
    const events = viewed?.ok ? viewed.value.events : []
    if (viewed?.ok) contract = viewed.value.contract
    const sealRequests = await loadPartySealRequests(deps.metadata, item)
    if (contract === item.contract) return ok(toContractView(item, caller, now, { sealRequests }))
    const committed: Result<ContractItem> = await commitTransition(deps, item, { contract }, events, now, [], { context: input.request ?? { actor: `user:${input.userId}` } })
    if (committed.ok) return ok(toContractView(committed.value, caller, now, { sealRequests }))
  }
  return err('CONFLICT', '合同正在被修改，请稍后重试')
}
