import type { MemberView } from '../../api/identity.types'
import { ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { companyAccess } from './get-company'
import { MEMBER_PREFIX, companyPartition } from './records'

/** `GET /api/identity/companies/{id}/members`: the members of a company, for its members. */
export async function listMembers(deps: IdentityDeps, input: { userId: string; companyId: string }): Promise<Result<MemberView[]>> {
  const access = await companyAccess(deps, input)
  if (!access.ok) return access
  if (access.value.role !== 'admin' && access.value.role !== 'operator') return { ok: false, error: { code: 'FORBIDDEN', message: '仅企业成员可以查看成员列表' } }
  const page = await deps.metadata.query(companyPartition(input.companyId), { skPrefix: MEMBER_PREFIX })
  return ok(
    page.items.map((m) => ({
      userId: String(m.userId),
      name: String(m.name ?? ''),
      role: m.role === 'admin' ? ('admin' as const) : ('operator' as const),
      ...(m.maskedPhone ? { maskedPhone: String(m.maskedPhone) } : {}),
      joinedAt: String(m.joinedAt),
    })),
  )
}
