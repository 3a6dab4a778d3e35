import { err, ok, type Result } from '../shared/result'

/** A role of a template (甲方, 乙方, …): a person or a company; the `sender` role is the one who sends. */
export type TemplateRole = { roleId: string; label: string; kind: 'person' | 'company'; sender?: true }

/** A fill-in text drawn into the PDF when a contract is made: `key` (e.g. 乙方姓名) in a box of `page` (display space, points). */
export type TemplatePlaceholder = { key: string; page: number; rect: [number, number, number, number]; fontSize?: number; maxLength?: number }

/** The default size of placeholder text, in points. */
export const DEFAULT_PLACEHOLDER_FONT_SIZE = 12

/**
 * The values a contract fills in, checked against the template's placeholders: every key given
 * and not blank, no unknown key, each within its `maxLength` (characters). Whether a value fits its
 * box is checked when it is drawn (`fill-placeholders.ts`). The values trimmed.
 */
export function checkPlaceholderValues(placeholders: Pick<TemplatePlaceholder, 'key' | 'maxLength'>[], values: Record<string, string>): Result<Record<string, string>> {
  const keys = new Set(placeholders.map((p) => p.key))
  for (const key of Object.keys(values)) {
    if (!keys.has(key)) return err('TEMPLATE_VALUE_INVALID', `模板中没有填写项「${key}」`, { key })
  }
  const out: Record<string, string> = {}
  for (const p of placeholders) {
    const value = Object.prototype.hasOwnProperty.call(values, p.key) ? values[p.key]!.trim() : ''
    if (!value) return err('TEMPLATE_VALUE_INVALID', `请填写「${p.key}」`, { key: p.key })
    if (p.maxLength !== undefined && [...value].length > p.maxLength) return err('TEMPLATE_VALUE_TOO_LONG', `「${p.key}」不能超过 ${p.maxLength} 个字`, { key: p.key, maxLength: p.maxLength })
    out[p.key] = value
  }
  return ok(out)
}

/**
 * The structure of a template: unique role ids, at most one sender role, placeholder keys unique,
 * 1–20 characters without braces; fields name known roles (`roleId`).
 */
export function checkTemplateStructure(t: { roles: TemplateRole[]; placeholders: TemplatePlaceholder[]; fields: { fieldId: string; roleId: string }[] }): Result<void> {
  const roleIds = new Set<string>()
  for (const r of t.roles) {
    if (roleIds.has(r.roleId)) return err('TEMPLATE_INVALID', `角色编号「${r.roleId}」重复`, { roleId: r.roleId })
    roleIds.add(r.roleId)
  }
  if (t.roles.filter((r) => r.sender).length > 1) return err('TEMPLATE_INVALID', '只能有一个发起方角色')
  const keys = new Set<string>()
  for (const p of t.placeholders) {
    if (keys.has(p.key)) return err('TEMPLATE_INVALID', `填写项「${p.key}」重复`, { key: p.key })
    keys.add(p.key)
  }
  const fieldIds = new Set<string>()
  for (const f of t.fields) {
    if (!roleIds.has(f.roleId)) return err('TEMPLATE_INVALID', `签署位置属于不存在的角色「${f.roleId}」`, { fieldId: f.fieldId })
    if (fieldIds.has(f.fieldId)) return err('TEMPLATE_INVALID', `签署位置编号「${f.fieldId}」重复`, { fieldId: f.fieldId })
    fieldIds.add(f.fieldId)
  }
  return ok(undefined)
}
