import type { MySealsResponse } from '../../api/seals.types'
import { grantEndsAt } from '../../core/seals/seal-use-rules'
import { toGrant, toSealView, GRANT_INDEX_PREFIX, SEAL_PREFIX, sealKey } from './records'
import { ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { findMembership, MEMBERSHIP_INDEX_PREFIX, userPartition } from '../identity/records'

/**
 * The active company seals the caller may use: every seal of the companies they administer, and
 * the seals granted to them (unexpired). Uses the member and grant index (`gsi1pk USER#<id>`).
 */
export async function listMySeals(deps: { metadata: MetadataStore; clock: Clock }, input: { userId: string }): Promise<Result<MySealsResponse>> {
  const now = deps.clock.now().getTime()
  const out: MySealsResponse['seals'] = []
  const seen = new Set<string>()
  const memberships = await deps.metadata.queryIndex(userPartition(input.userId), { skPrefix: MEMBERSHIP_INDEX_PREFIX })
  for (const m of memberships.items) {
    if (m.role !== 'admin' || typeof m.pk !== 'string') continue
    const seals = await deps.metadata.query(m.pk, { skPrefix: SEAL_PREFIX })
    for (const s of seals.items) {
      const view = toSealView(s)
      if (view.status !== 'active') continue
      seen.add(`${view.companyId}/${view.sealId}`)
      out.push({ ...view, via: 'admin' })
    }
  }
  const grants = await deps.metadata.queryIndex(userPartition(input.userId), { skPrefix: GRANT_INDEX_PREFIX })
  for (const g of grants.items) {
    const grant = toGrant(g)
    const companyId = String(g.companyId)
    if (seen.has(`${companyId}/${grant.sealId}`) || grantEndsAt(grant.validUntil).getTime() < now) continue
    const key = sealKey(companyId, grant.sealId)
    const s = await deps.metadata.get(key.pk, key.sk)
    if (!s || s.status === 'disabled') continue
    if (!(await findMembership(deps, { userId: input.userId, companyId }))) continue
    out.push({ ...toSealView(s), via: 'grant', validUntil: grant.validUntil, templateIds: grant.templateIds })
  }
  return ok({ seals: out })
}
