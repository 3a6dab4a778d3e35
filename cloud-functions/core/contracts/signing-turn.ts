import { signerParties, type Contract } from './contract'

/**
 * The index of the group whose turn it is: the first group with a signer who has not signed;
 * `-1` when every signer has signed or the contract is not out for signing.
 */
export function currentGroupIndex(c: Pick<Contract, 'status' | 'order' | 'signers'>): number {
  if (c.status !== 'sent') return -1
  return c.order.findIndex((group) => group.some((id) => c.signers[id]?.status !== 'signed'))
}

/**
 * Whose turn it is: the signers of the current group who have not signed yet (groups run in
 * sequence, signers within a group in parallel). Empty unless the contract is `sent`.
 *
 * @example
 * // order [[A], [B, C], [D]], A signed
 * whoseTurn(c) // ['B', 'C']
 */
export function whoseTurn(c: Pick<Contract, 'status' | 'order' | 'signers'>): string[] {
  const i = currentGroupIndex(c)
  if (i < 0) return []
  return c.order[i].filter((id) => c.signers[id]?.status !== 'signed')
}

/** Whether every required signer (every party with the role `signer`; cc parties never sign) has signed. */
export function allSignersSigned(c: Pick<Contract, 'parties' | 'signers'>): boolean {
  return signerParties(c).every((p) => c.signers[p.partyId]?.status === 'signed')
}
