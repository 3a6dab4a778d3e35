import type { TemplateView } from '../../api/templates.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { TemplateDeps } from './deps'
import { listTemplateVersions, loadTemplateVersion } from './records'
import { findTemplate } from './template-access'
import { toTemplateView } from './template-view'

/** A template at `version` (default: the latest), with the list of its versions. Members of its company. */
export async function getTemplate(deps: TemplateDeps, input: { userId: string; templateId: string; version?: number }): Promise<Result<TemplateView>> {
  const found = await findTemplate(deps, input)
  if (!found.ok) return found
  const { head, role } = found.value
  const v = await loadTemplateVersion(deps.metadata, head.templateId, input.version ?? head.latestVersion)
  if (!v) return err('TEMPLATE_NOT_FOUND', '模板的该版本不存在')
  return ok(toTemplateView(head, v, await listTemplateVersions(deps.metadata, head.templateId), role === 'admin'))
}
