import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { findMembership, type MemberRole } from '../identity/records'
import { loadTemplateHead, type TemplateHead } from './records'

/**
 * Template `templateId` and the caller's role in its company. Templates belong to a company:
 * every member (admin or operator) may read and use them, only admins manage them (`manage`).
 * A missing template and another company's are the same `TEMPLATE_NOT_FOUND` (404); a member
 * who is not an admin asking to manage is `FORBIDDEN`.
 */
export async function findTemplate(
  deps: { metadata: MetadataStore },
  input: { userId: string; templateId: string; manage?: boolean },
): Promise<Result<{ head: TemplateHead & { version: number }; role: MemberRole }>> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(input.templateId)) return err('TEMPLATE_NOT_FOUND', '模板不存在')
  const head = await loadTemplateHead(deps.metadata, input.templateId)
  if (!head) return err('TEMPLATE_NOT_FOUND', '模板不存在')
  const member = await findMembership(deps, { userId: input.userId, companyId: head.companyId })
  if (!member) return err('TEMPLATE_NOT_FOUND', '模板不存在')
  if (input.manage && member.role !== 'admin') return err('FORBIDDEN', '仅企业管理员可以修改或停用模板')
  return ok({ head, role: member.role })
}
