import type { TemplateView, UpdateTemplateRequest } from '../../api/templates.types'
import { err, ok, type Result } from '../../core/shared/result'
import { checkTemplateInput } from './check-template-input'
import type { TemplateDeps } from './deps'
import { newTemplateVersion } from './create-template'
import { listTemplateVersions, writeTemplateVersion, type TemplateHead } from './records'
import { findTemplate } from './template-access'
import { toTemplateView } from './template-view'

/**
 * Edit a template: its version N+1 (earlier versions stay as they were, and contracts made from them
 * keep naming them). Company admins only.
 */
export async function updateTemplate(deps: TemplateDeps, input: UpdateTemplateRequest & { userId: string; templateId: string }): Promise<Result<TemplateView>> {
  const found = await findTemplate(deps, { ...input, manage: true })
  if (!found.ok) return found
  const { head: stored } = found.value
  const checked = await checkTemplateInput(deps, input)
  if (!checked.ok) return checked
  const now = deps.clock.now().toISOString()
  const next = stored.latestVersion + 1
  const { version: headVersion, ...headFields } = stored
  const head: TemplateHead = { ...headFields, name: input.name, latestVersion: next, updatedAt: now }
  const version = newTemplateVersion(stored.templateId, next, input, checked.value, now)
  const written = await writeTemplateVersion(deps.metadata, head, version, headVersion)
  if (!written.ok) return err('CONFLICT', '模板已被修改，请刷新后重试')
  deps.logger.info({ userId: input.userId, templateId: stored.templateId, version: next }, 'template edited')
  return ok(toTemplateView(head, version, await listTemplateVersions(deps.metadata, stored.templateId), true))
}
