/**
 * Builders for contract tests: a small A4 contract with persons and a company, fields that fit,
 * and helpers to drive it through commands.
 */
import { applyCommand, type ContractCommand } from '../../../cloud-functions/core/contracts/apply-command'
import type { Contract, Field, PageSize, Party } from '../../../cloud-functions/core/contracts/contract'
import { createDraft, type DraftInput } from '../../../cloud-functions/core/contracts/create-draft'

export const T0 = new Date('2026-12-01T02:00:00Z') // 10:00 Beijing time
export const DEADLINE = '2026-12-08T16:00:00.000Z' // midnight Beijing time, 8 → 9 December
export const A4: PageSize = { width: 595.28, height: 841.89 }
export const PAGES: PageSize[] = [A4, A4, A4]
export const SHA = (n: number) => n.toString(16).padStart(64, '0')
export const SENDER = 'u-sender'

export const person = (partyId: string, role: 'signer' | 'cc' = 'signer'): Party => ({ partyId, role, kind: 'person', name: `姓名${partyId}`, phone: '13800138000' })
export const company = (partyId: string): Party => ({
  partyId,
  role: 'signer',
  kind: 'company',
  companyName: `${partyId}科技有限公司`,
  companyId: `co-${partyId}`,
  member: { name: '经办人', phone: '13900139000', userId: `u-${partyId}` },
})

/** One signature (person) or seal (company) field per signer, each in its own row on the last page. */
export function fieldsFor(parties: Party[]): Field[] {
  return parties
    .filter((p) => p.role === 'signer')
    .map((p, i): Field => ({ fieldId: `f-${p.partyId}`, partyId: p.partyId, kind: p.kind === 'company' ? 'seal' : 'signature', page: 2, rect: [60 + (i % 4) * 120, 80 + Math.floor(i / 4) * 60, 100, 50] }))
}

export function draft(o: Partial<DraftInput> & { parties?: Party[]; order?: string[][] } = {}): Contract {
  const parties = o.parties ?? [person('A'), person('B')]
  const input: DraftInput = {
    contractId: 'k1',
    title: '采购合同',
    senderUserId: SENDER,
    parties,
    order: o.order ?? parties.filter((p) => p.role === 'signer').map((p) => [p.partyId]),
    fields: o.fields ?? fieldsFor(parties),
    deadline: DEADLINE,
    validUntil: '2027-12-31',
    originalSha256: SHA(1),
    ...o,
  }
  const r = createDraft(input, T0)
  if (!r.ok) throw new Error(`draft: ${r.error.code} ${r.error.message}`)
  return r.value
}

export const sendCmd: Extract<ContractCommand, { type: 'send' }> = { type: 'send', by: SENDER, preparedSha256: SHA(2), pages: PAGES }

/** Applies the commands in turn; throws on the first error (for setting up a state). */
export function drive(c: Contract, cmds: ContractCommand[], now = T0): Contract {
  return cmds.reduce((state, cmd) => {
    const r = applyCommand(state, cmd, now)
    if (!r.ok) throw new Error(`${cmd.type}: ${r.error.code} ${r.error.message}`)
    return r.value.contract
  }, c)
}

export function signCmd(c: Contract, partyId: string, n = 10): ContractCommand {
  const p = c.parties.find((x) => x.partyId === partyId)
  return { type: 'sign', partyId, values: {}, marks: p?.kind === 'company' ? { sealId: 'seal-1' } : { signatureId: 'sig-1' }, documentSha256: SHA(n) }
}
