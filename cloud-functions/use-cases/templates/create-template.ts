import type { CreateTemplateRequest, TemplateView } from '../../api/templates.types'
import { err, ok, type Result } from '../../core/shared/result'
import { findMembership } from '../identity/records'
import { checkTemplateInput } from './check-template-input'
import type { TemplateDeps } from './deps'
import { writeTemplateVersion, type TemplateHead, type TemplateVersion } from './records'
import { toTemplateView } from './template-view'

/** A new template of company `companyId` (its version 1). Company admins only (`FORBIDDEN` for other members and outsiders). */
export async function createTemplate(deps: TemplateDeps, input: CreateTemplateRequest & { userId: string; companyId: string }): Promise<Result<TemplateView>> {
  const member = await findMembership(deps, { userId: input.userId, companyId: input.companyId })
  if (member?.role !== 'admin') return err('FORBIDDEN', '仅企业管理员可以创建模板')
  const checked = await checkTemplateInput(deps, input)
  if (!checked.ok) return checked
  const now = deps.clock.now().toISOString()
  const templateId = Buffer.from(deps.ids.randomBytes(12)).toString('hex')
  const head: TemplateHead = { type: 'template', templateId, companyId: input.companyId, name: input.name, latestVersion: 1, enabled: true, createdAt: now, updatedAt: now }
  const version = newTemplateVersion(templateId, 1, input, checked.value, now)
  const written = await writeTemplateVersion(deps.metadata, head, version)
  if (!written.ok) return err('CONFLICT', '模板保存冲突，请重试')
  deps.logger.info({ userId: input.userId, templateId, companyId: input.companyId }, 'template created')
  return ok(toTemplateView(head, version, [{ version: 1, createdAt: now, name: input.name }], true))
}

type CheckedInput = Extract<Awaited<ReturnType<typeof checkTemplateInput>>, { ok: true }>['value']

/** Version `version` of a template as written: the request's content with what its check found, by `input.userId` at `now`. */
export function newTemplateVersion(
  templateId: string,
  version: number,
  input: Pick<CreateTemplateRequest, 'name' | 'documentId' | 'roles' | 'fields' | 'placeholders'> & { userId: string },
  checked: CheckedInput,
  now: string,
): TemplateVersion {
  return {
    type: 'template-version',
    templateId,
    version,
    name: input.name,
    documentId: input.documentId,
    ...checked,
    roles: input.roles,
    fields: input.fields,
    placeholders: input.placeholders,
    createdAt: now,
    createdBy: input.userId,
  }
}
