import type { TemplateFieldInput, TemplatePlaceholderInput, TemplateRoleInput } from '../../api/templates.types'
import type { Item, MetadataStore, NewItem } from '../../ports/metadata-store'

/**
 * The templates' metadata rows (the only file that writes their keys):
 * - `TEMPLATE#<id>` / `META`: the head — company, latest version, enabled, name; listed per company
 *   through the index (`TEMPLATES#<companyId>` / `TEMPLATE#<createdAt>#<id>`);
 * - `TEMPLATE#<id>` / `VERSION#<nnnnnn>`: one version each, never changed once written.
 */
export type TemplateHead = {
  type: 'template'
  templateId: string
  companyId: string
  name: string
  latestVersion: number
  enabled: boolean
  createdAt: string
  updatedAt: string
}

export type TemplateVersion = {
  type: 'template-version'
  templateId: string
  version: number
  name: string
  documentId: string
  /** SHA-256 of the document's bytes (`documents/<sha256>.pdf`). */
  sha256: string
  fileName: string
  pages: { width: number; height: number }[]
  roles: TemplateRoleInput[]
  fields: TemplateFieldInput[]
  placeholders: TemplatePlaceholderInput[]
  createdAt: string
  createdBy: string
}

const headKey = (templateId: string) => ({ pk: `TEMPLATE#${templateId}`, sk: 'META' })
const versionKey = (templateId: string, version: number) => ({ pk: `TEMPLATE#${templateId}`, sk: `VERSION#${String(version).padStart(6, '0')}` })
const companyIndex = (companyId: string) => `TEMPLATES#${companyId}`

export async function loadTemplateHead(metadata: MetadataStore, templateId: string): Promise<(TemplateHead & { version: number }) | undefined> {
  const k = headKey(templateId)
  const item = await metadata.get(k.pk, k.sk)
  return item?.type === 'template' ? (item as unknown as TemplateHead & { version: number }) : undefined
}

export async function loadTemplateVersion(metadata: MetadataStore, templateId: string, version: number): Promise<TemplateVersion | undefined> {
  const k = versionKey(templateId, version)
  const item = await metadata.get(k.pk, k.sk)
  return item?.type === 'template-version' ? versionOf(item) : undefined
}

/** Every version's number, date and name, oldest first. */
export async function listTemplateVersions(metadata: MetadataStore, templateId: string): Promise<{ version: number; createdAt: string; name: string }[]> {
  const page = await metadata.query(headKey(templateId).pk, { skPrefix: 'VERSION#' })
  return page.items.map((i) => ({ version: Number(i.version_), createdAt: String(i.createdAt), name: String(i.name) }))
}

/** The company's templates (heads), newest first. */
export async function listCompanyTemplates(metadata: MetadataStore, companyId: string): Promise<TemplateHead[]> {
  const page = await metadata.queryIndex(companyIndex(companyId), { skPrefix: 'TEMPLATE#', reverse: true, limit: 200 })
  return page.items.filter((i) => i.type === 'template') as unknown as TemplateHead[]
}

/** Write version `v.version` and the head (new, or expected at `headVersion`) in one transaction. */
export async function writeTemplateVersion(metadata: MetadataStore, head: TemplateHead, v: TemplateVersion, headVersion?: number) {
  const headItem: NewItem = { ...headKey(head.templateId), gsi1pk: companyIndex(head.companyId), gsi1sk: `TEMPLATE#${head.createdAt}#${head.templateId}`, ...head }
  // `version` is the store's own optimistic-lock attribute: the template's version number is kept as `version_`.
  const { version, ...rest } = v
  const versionItem: NewItem = { ...versionKey(v.templateId, version), ...rest, version_: version }
  return metadata.transact([
    { put: headItem, condition: headVersion === undefined ? { mustNotExist: true } : { expectedVersion: headVersion } },
    { put: versionItem, condition: { mustNotExist: true } },
  ])
}

/** Replace the head (enable / disable), expected at `headVersion`. */
export async function writeTemplateHead(metadata: MetadataStore, head: TemplateHead, headVersion: number) {
  return metadata.put({ ...headKey(head.templateId), gsi1pk: companyIndex(head.companyId), gsi1sk: `TEMPLATE#${head.createdAt}#${head.templateId}`, ...head }, { expectedVersion: headVersion })
}

/** A version item as read back (`version_` → `version`). */
export function versionOf(item: Item | TemplateVersion): TemplateVersion {
  const i = item as unknown as TemplateVersion & { version_?: number }
  return { ...i, version: Number(i.version_ ?? i.version) }
}
