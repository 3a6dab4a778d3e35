import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { findLiveContractSigner } from '../contracts/records'
import { letterIntentTarget } from '../identity/create-authorization-letter'
import { loadCompany, loadUser } from '../identity/records'
import type { IntentTarget } from './request-intent-code'

/** Acts named `company-authorization.<companyId>`: the legal representative signing the company's authorisation letter. */
const LETTER_ACT = 'company-authorization.'

/**
 * Whether `userId` may request or confirm intent for this act: a signer party bound to the caller
 * in an existing, live contract (`use-cases/contracts/records.ts`), or — for the authorisation
 * letter act — the company's verified legal representative while its letter awaits signature, for
 * exactly that letter's hash. Otherwise `CONTRACT_NOT_FOUND` (404), before anything is sent or written.
 */
export async function requireIntentParty(deps: { metadata: MetadataStore; clock: Clock }, input: { userId: string } & IntentTarget): Promise<Result<void>> {
  if (input.contractId.startsWith(LETTER_ACT)) {
    const company = await loadCompany(deps.metadata, input.contractId.slice(LETTER_ACT.length))
    const user = await loadUser(deps.metadata, input.userId)
    const letter = company?.authorization
    const expected = company && letterIntentTarget(company)
    const legalRep = user?.person?.status === 'verified' && user.person.idHash === company?.legalRepIdHash
    if (!company || !letter || letter.signedAt || !legalRep || expected?.signerId !== input.signerId || expected.documentHash !== input.documentHash) {
      return err('CONTRACT_NOT_FOUND', '合同不存在或您不是该合同的签署方')
    }
    return ok(undefined)
  }
  const party = await findLiveContractSigner(deps, { ...input, now: deps.clock.now() })
  return party.ok ? ok(undefined) : party
}
