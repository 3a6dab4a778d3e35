import type { TemplateList } from '../../api/templates.types'
import { err, ok, type Result } from '../../core/shared/result'
import { findMembership } from '../identity/records'
import type { TemplateDeps } from './deps'
import { listCompanyTemplates, loadTemplateVersion } from './records'
import { toTemplateSummary } from './template-view'

/** The company's templates, newest first (disabled ones only with `includeDisabled`). Members only (`FORBIDDEN` otherwise). */
export async function listTemplates(deps: TemplateDeps, input: { userId: string; companyId: string; includeDisabled?: boolean }): Promise<Result<TemplateList>> {
  const member = await findMembership(deps, { userId: input.userId, companyId: input.companyId })
  if (!member) return err('FORBIDDEN', '您不是该企业的成员')
  const canManage = member.role === 'admin'
  const heads = (await listCompanyTemplates(deps.metadata, input.companyId)).filter((h) => h.enabled || input.includeDisabled)
  const items = await Promise.all(heads.map(async (h) => toTemplateSummary(h, await loadTemplateVersion(deps.metadata, h.templateId, h.latestVersion), canManage)))
  return ok({ items, canManage })
}
