import type { Contract } from '../../core/contracts/contract'

/**
 * Whether the party must fill fields (a required text or checkbox) when signing: such a contract is
 * left out of a batch (批量签署 signs without values) and signed on its own.
 */
export function needsFilling(contract: Contract, partyId: string): boolean {
  return contract.fields.some((f) => f.partyId === partyId && (f.kind === 'text' || f.kind === 'checkbox') && f.required)
}

export const NEEDS_FILLING_MESSAGE = '该合同需要您填写内容，请打开合同单独签署'
