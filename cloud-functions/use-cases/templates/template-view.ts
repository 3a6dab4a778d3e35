import type { TemplateSummary, TemplateView } from '../../api/templates.types'
import type { TemplateHead, TemplateVersion } from './records'

/** One version of a template as the API shows it. */
export function toTemplateView(head: TemplateHead, v: TemplateVersion, versions: TemplateView['versions'], canManage: boolean): TemplateView {
  return {
    templateId: head.templateId,
    companyId: head.companyId,
    name: v.name,
    version: v.version,
    latestVersion: head.latestVersion,
    enabled: head.enabled,
    documentId: v.documentId,
    fileName: v.fileName,
    pages: v.pages,
    roles: v.roles,
    fields: v.fields,
    placeholders: v.placeholders,
    createdAt: head.createdAt,
    updatedAt: head.updatedAt,
    versions,
    canManage,
  }
}

/** A template in the company's list (its latest version's name). */
export function toTemplateSummary(head: TemplateHead, latest: TemplateVersion | undefined, canManage: boolean): TemplateSummary {
  return {
    templateId: head.templateId,
    companyId: head.companyId,
    name: head.name,
    latestVersion: head.latestVersion,
    enabled: head.enabled,
    updatedAt: head.updatedAt,
    canManage,
    placeholderCount: latest?.placeholders.length ?? 0,
    roleLabels: latest?.roles.map((r) => r.label) ?? [],
  }
}
