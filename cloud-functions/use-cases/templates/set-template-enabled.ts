import type { TemplateView } from '../../api/templates.types'
import { err, ok, type Result } from '../../core/shared/result'
import type { TemplateDeps } from './deps'
import { listTemplateVersions, loadTemplateVersion, writeTemplateHead, type TemplateHead } from './records'
import { findTemplate } from './template-access'
import { toTemplateView } from './template-view'

/** 停用 / 启用 a template: a disabled one cannot be used for new contracts (those made before are unaffected). Company admins only. */
export async function setTemplateEnabled(deps: TemplateDeps, input: { userId: string; templateId: string; enabled: boolean }): Promise<Result<TemplateView>> {
  const found = await findTemplate(deps, { ...input, manage: true })
  if (!found.ok) return found
  const { version: headVersion, ...headFields } = found.value.head
  const head: TemplateHead = { ...headFields, enabled: input.enabled, updatedAt: deps.clock.now().toISOString() }
  if (found.value.head.enabled !== input.enabled) {
    const written = await writeTemplateHead(deps.metadata, head, headVersion)
    if (!written.ok) return err('CONFLICT', '模板已被修改，请刷新后重试')
  }
  const latest = await loadTemplateVersion(deps.metadata, head.templateId, head.latestVersion)
  if (!latest) return err('TEMPLATE_NOT_FOUND', '模板不存在')
  return ok(toTemplateView(found.value.head.enabled !== input.enabled ? head : found.value.head, latest, await listTemplateVersions(deps.metadata, head.templateId), true))
}
