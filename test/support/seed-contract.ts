import { randomBytes } from 'node:crypto'
import type { Contract, ContractStatus, Party } from '../../cloud-functions/core/contracts/contract'
import { derivePersonalDataKeys } from '../../cloud-functions/core/identity/personal-data'
import type { MetadataStore } from '../../cloud-functions/ports/metadata-store'
import { createContractItem, sealPhones } from '../../cloud-functions/use-cases/contracts/records'

/**
 * A contract record in a given state with parties bound to accounts, for tests of what other areas
 * allow on contracts (intent only for a signer of a live contract). The contract flow itself is
 * tested through its routes (test/integration/contracts-*.test.ts).
 */
export async function seedContract(
  deps: { metadata: MetadataStore },
  input: { contractId: string; status: ContractStatus; parties: Array<{ signerId: string; userId?: string; role: 'signer' | 'cc' }>; createdBy: string; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date()
  const parties: Party[] = input.parties.map((p, i) => ({ partyId: p.signerId, role: p.role, kind: 'person', name: `签署人${i + 1}`, phone: `1390000${String(1000 + i)}`, ...(p.userId ? { userId: p.userId } : {}) }))
  const signers = parties.filter((p) => p.role === 'signer')
  const contract: Contract = {
    contractId: input.contractId,
    title: '测试合同',
    senderUserId: input.createdBy,
    parties,
    order: [signers.map((p) => p.partyId)],
    fields: [],
    deadline: new Date(now.getTime() + 7 * 86400_000).toISOString(),
    createdAt: now.toISOString(),
    status: input.status,
    document: { originalSha256: '0'.repeat(64), preparedSha256: '1'.repeat(64), latestSha256: '1'.repeat(64) },
    signers: Object.fromEntries(signers.map((p) => [p.partyId, { status: 'notified' as const }])),
  }
  const sealed = sealPhones(derivePersonalDataKeys(randomBytes(32)), contract)
  // A contract that is already there (seeded by an earlier step of the same test) is kept as it is.
  await createContractItem(deps.metadata, { type: 'contract', ...sealed, senderName: '发起人', eventCount: 0 })
}
