import type { Party } from '../../core/contracts/contract'
import type { MetadataStore } from '../../ports/metadata-store'
import { loadCompany, MEMBERSHIP_INDEX_PREFIX, userPartition, type CompanyRecord } from '../identity/records'

/**
 * The company `userId` acts for as the company party `party`: one they are a member of with the
 * party's company name (and its id, when the party already names one). `undefined`: none.
 */
export async function findActingCompany(metadata: MetadataStore, userId: string, party: Extract<Party, { kind: 'company' }>): Promise<CompanyRecord | undefined> {
  const memberships = await metadata.queryIndex(userPartition(userId), { skPrefix: MEMBERSHIP_INDEX_PREFIX, limit: 100 })
  for (const m of memberships.items) {
    const company = await loadCompany(metadata, String(m.gsi1sk).slice(MEMBERSHIP_INDEX_PREFIX.length))
    if (company && company.name === party.companyName && (!party.companyId || party.companyId === company.companyId)) return company
  }
  return undefined
}
