import type { CompanyView } from '../../api/identity.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { callerRole, companyView, loadCompany, requireUser, type CompanyRecord, type UserRecord, userPartition } from './records'

/**
 * `GET /api/identity/companies/{id}`: the company's verification state, for its members, its
 * applicant and its legal representative; `COMPANY_NOT_FOUND` for anyone else (no existence leak).
 */
export async function getCompany(deps: IdentityDeps, input: { userId: string; companyId: string }): Promise<Result<CompanyView>> {
  const access = await companyAccess(deps, input)
  if (!access.ok) return access
  const { company, user, role } = access.value
  return ok(companyView(company, role, user, deps.clock.now(), Boolean(deps.payout)))
}

/** The company and the caller's role in it, or `COMPANY_NOT_FOUND` when the caller has none. */
export async function companyAccess(
  deps: IdentityDeps,
  input: { userId: string; companyId: string },
): Promise<Result<{ company: CompanyRecord; user: UserRecord; role: NonNullable<CompanyView['myRole']> }>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const company = await loadCompany(deps.metadata, input.companyId)
  const role = company ? await callerRole(deps.metadata, company, user.value) : undefined
  if (!company || !role) return err('COMPANY_NOT_FOUND', '企业不存在或您无权查看')
  return ok({ company, user: user.value, role })
}

/**
 * `GET /api/identity/companies`: companies the caller applied for or is a member of, newest first.
 */
export async function listMyCompanies(deps: IdentityDeps, input: { userId: string }): Promise<Result<CompanyView[]>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const page = await deps.metadata.queryIndex(userPartition(input.userId))
  const ids = new Set<string>()
  for (const item of page.items) {
    const m = /^(?:APPLICATION|COMPANY)#(.+)$/.exec(String(item.gsi1sk))
    if (m) ids.add(m[1]!)
  }
  const views: CompanyView[] = []
  for (const companyId of ids) {
    const company = await loadCompany(deps.metadata, companyId)
    if (!company) continue
    const role = await callerRole(deps.metadata, company, user.value)
    if (role) views.push(companyView(company, role, user.value, deps.clock.now(), Boolean(deps.payout)))
  }
  return ok(views.sort((a, b) => (a.companyId < b.companyId ? 1 : -1)))
}

