import type { Contract, Party } from './contract'

/**
 * The party a signed-in user acts as on `c`: a person party bound to the user, or a company party
 * whose acting member is the user. `undefined` means "not a party" — answer `CONTRACT_NOT_FOUND`
 * (404), never revealing that the contract exists. The sender who is not also a party is not one.
 *
 * @example
 * const party = partyOfUser(contract, session.sub)
 * if (!party) return err('CONTRACT_NOT_FOUND', '合同不存在')
 * applyCommand(contract, { type: 'sign', partyId: party.partyId, ... }, clock.now())
 */
export function partyOfUser(c: Pick<Contract, 'parties'>, userId: string): Party | undefined {
  return c.parties.find((p) => (p.kind === 'person' ? p.userId : p.member.userId) === userId)
}

/** Whether `c` is out for signing: a party may view, sign or decline it, and intent may be confirmed for it. */
export function isLive(c: Pick<Contract, 'status' | 'deadline'>, now: Date): boolean {
  return c.status === 'sent' && now.getTime() < Date.parse(c.deadline)
}
