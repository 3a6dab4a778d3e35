import { ok, type Result } from '../shared/result'
import type { Contract, SignerProgress } from './contract'
import { checkContractStructure } from './check-contract-structure'

export type DraftInput = Pick<Contract, 'contractId' | 'title' | 'note' | 'senderUserId' | 'senderCompanyId' | 'parties' | 'order' | 'fields' | 'deadline' | 'validUntil' | 'validityNoticeToParties' | 'reminders' | 'template'> & {
  /** SHA-256 (hex) of the uploaded PDF. */
  originalSha256: string
}

/**
 * A new draft (status `draft`, every signer `pending`) after the structural checks
 * (`checkContractStructure`). Placement on pages is checked at send, when the page sizes are known.
 */
export function createDraft(input: DraftInput, now: Date): Result<Contract> {
  const checked = checkContractStructure(input)
  if (!checked.ok) return checked
  const signers: Record<string, SignerProgress> = {}
  for (const p of input.parties) if (p.role === 'signer') signers[p.partyId] = { status: 'pending' }
  const { originalSha256, ...rest } = input
  return ok({
    ...rest,
    title: input.title.trim(),
    createdAt: now.toISOString(),
    status: 'draft',
    document: { originalSha256 },
    signers,
  })
}
