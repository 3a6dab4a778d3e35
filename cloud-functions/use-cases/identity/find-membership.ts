import type { MetadataStore } from '../../ports/metadata-store'

/** A company member's role. `admin` manages members and seals; `operator` acts for the company. */
export type MemberRole = 'admin' | 'operator'

/**
 * Metadata keys of the identity records other areas rely on:
 * - user: `USER#<userId>` / `PROFILE`
 * - company: `COMPANY#<companyId>` / `PROFILE`
 * - member: `COMPANY#<companyId>` / `MEMBER#<userId>`, indexed by `gsi1pk USER#<userId>`, `gsi1sk COMPANY#<companyId>`
 */
export const userKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' })
export const companyKey = (companyId: string) => ({ pk: `COMPANY#${companyId}`, sk: 'PROFILE' })
export const memberKey = (companyId: string, userId: string) => ({
  pk: `COMPANY#${companyId}`,
  sk: `MEMBER#${userId}`,
  gsi1pk: `USER#${userId}`,
  gsi1sk: `COMPANY#${companyId}`,
})

/**
 * The role `userId` holds in `companyId`, or `undefined` when they are not a member.
 *
 * @example
 * const m = await findMembership(deps, { userId, companyId })
 * if (m?.role !== 'admin') return err('FORBIDDEN', '仅企业管理员可以执行此操作')
 */
export async function findMembership(
  deps: { metadata: MetadataStore },
  input: { userId: string; companyId: string },
): Promise<{ role: MemberRole } | undefined> {
  if (!input.userId || !input.companyId) return undefined
  const { pk, sk } = memberKey(input.companyId, input.userId)
  const item = await deps.metadata.get(pk, sk)
  if (!item) return undefined
  const role = item.role
  return role === 'admin' || role === 'operator' ? { role } : undefined
}
