import type { MetadataStore } from '../../ports/metadata-store'
import { loadUser, memberKey } from '../identity/records'

/** The members among `userIds` of `companyId`, with their names, in the given order; `missing` lists the ids that are not members. */
export async function loadApprovers(metadata: MetadataStore, companyId: string, userIds: readonly string[]): Promise<{ approvers: { userId: string; name: string }[]; missing: string[] }> {
  const approvers: { userId: string; name: string }[] = []
  const missing: string[] = []
  for (const userId of userIds) {
    const { pk, sk } = memberKey(companyId, userId)
    const member = await metadata.get(pk, sk)
    if (member && (member.role === 'admin' || member.role === 'operator')) approvers.push({ userId, name: typeof member.name === 'string' && member.name ? member.name : ((await loadUser(metadata, userId))?.person?.name ?? '企业成员') })
    else missing.push(userId)
  }
  return { approvers, missing }
}
