import { isCompanyVerified, companyKey, findMembership, type MemberRole } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'

/**
 * The caller's role in `companyId`, required to be `admin` when `admin` is set and the company
 * to have passed enterprise verification when `verified` is set: `FORBIDDEN` for non-members or
 * operators, `COMPANY_NOT_VERIFIED` for an unverified company.
 */
export async function requireCompanyRole(
  deps: { metadata: MetadataStore },
  input: { userId: string; companyId: string; admin?: boolean; verified?: boolean },
): Promise<Result<{ role: MemberRole }>> {
  const membership = await findMembership(deps, input)
  if (!membership) return err('FORBIDDEN', '您不是该企业的成员')
  if (input.admin && membership.role !== 'admin') return err('FORBIDDEN', '只有企业管理员可以执行此操作')
  if (input.verified) {
    const { pk, sk } = companyKey(input.companyId)
    if (!isCompanyVerified(await deps.metadata.get(pk, sk))) return err('COMPANY_NOT_VERIFIED', '企业完成认证后才能制作或上传印章')
  }
  return ok(membership)
}
