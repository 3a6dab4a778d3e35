import type { ContractView, CreateContractRequest, FieldInput, PartyInput } from '../../api/contracts.types'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { decryptPersonalData } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import { checkPlaceholderValues } from '../../core/templates/template'
import { checkSender, createContract } from '../contracts/create-contract'
import { documentObjectKey } from '../documents/records'
import { uploadDocument } from '../documents/upload-document'
import { loadCompany, loadUser } from '../identity/records'
import type { TemplateDeps } from './deps'
import { loadTemplateVersion, type TemplateVersion } from './records'
import { findTemplate } from './template-access'

export type CreateContractFromTemplateInput = {
  userId: string
  request?: EvidenceContext
  templateId: string
  /** The template's company (the contract is always sent as it); another id is `FORBIDDEN`. */
  senderCompanyId?: string
  title?: string
  /** ISO 8601 instant. */
  deadline: string
  /** Placeholder key → text. */
  values: Record<string, string>
  /** Role id → who fills it; the sender's role may be left out (the caller and their company). */
  parties: Record<string, { name: string; phone: string; companyName?: string }>
}

/**
 * A contract draft from the latest version of an enabled template: the values are checked (every
 * placeholder given, no unknown key, within its length) and drawn into the template's PDF in the
 * CJK font (on the CPU pool; a value that does not fit its box is `TEMPLATE_VALUE_TOO_LONG`); the
 * filled PDF is stored as an upload of the sender (content-addressed) and the ordinary
 * `createContract` makes the draft: one party per role (in the roles' order, one after another),
 * the template's fields given to them, the contract recording `template: { templateId, version }`.
 * Sending is the ordinary `POST /api/contracts/{id}/send`. Bad input stores nothing.
 * A placeholder `<角色>姓名` (`乙方姓名`) left out is filled from that role's party name,
 * `<角色>名称` from its company name.
 */
export async function createContractFromTemplate(deps: TemplateDeps, input: CreateContractFromTemplateInput): Promise<Result<ContractView>> {
  const found = await findTemplate(deps, { userId: input.userId, templateId: input.templateId })
  if (!found.ok) return found
  const { head } = found.value
  if (!head.enabled) return err('TEMPLATE_DISABLED', '模板已停用，不能再用来发起合同')
  if (input.senderCompanyId && input.senderCompanyId !== head.companyId) return err('FORBIDDEN', '模板只能以其所属企业的名义使用')
  const v = await loadTemplateVersion(deps.metadata, head.templateId, head.latestVersion)
  if (!v) return err('TEMPLATE_NOT_FOUND', '模板不存在')
  const sender = await checkSender(deps, { userId: input.userId, senderCompanyId: head.companyId })
  if (!sender.ok) return sender
  const parties = await partiesOf(deps, v, input, head.companyId)
  if (!parties.ok) return parties
  const values = checkPlaceholderValues(v.placeholders, withRoleNames(v, input.values, parties.value))
  if (!values.ok) return values

  const original = await deps.objects.get(documentObjectKey(v.sha256))
  if (!original) return err('DOCUMENT_NOT_FOUND', '模板文件不存在')
  const filled = await deps.cpu.fillPlaceholders(original, v.placeholders, values.value)
  if (!filled.ok) return filled
  const stored = await uploadDocument(deps, { bytes: filled.value, fileName: v.fileName || `${v.name}.pdf`, ownerId: input.userId })
  if (!stored.ok) return stored

  const request: CreateContractRequest = {
    title: input.title ?? v.name,
    documentId: stored.value.document.id,
    senderCompanyId: head.companyId,
    parties: parties.value,
    order: v.roles.map((r) => [r.roleId]),
    fields: v.fields.map(({ roleId, ...f }) => ({ ...f, partyId: roleId }) as FieldInput),
    deadline: input.deadline,
  }
  return createContract(deps, { userId: input.userId, ...(input.request ? { request: input.request } : {}), template: { templateId: head.templateId, version: v.version }, ...request })
}

/** One signer party per role: the sender's role is the caller (and the template's company) unless given. */
async function partiesOf(deps: TemplateDeps, v: TemplateVersion, input: CreateContractFromTemplateInput, companyId: string): Promise<Result<PartyInput[]>> {
  const roleIds = new Set(v.roles.map((r) => r.roleId))
  for (const id of Object.keys(input.parties)) if (!roleIds.has(id)) return err('TEMPLATE_VALUE_INVALID', `模板中没有角色「${id}」`, { roleId: id })
  const out: PartyInput[] = []
  for (const role of v.roles) {
    let given = input.parties[role.roleId]
    if (!given && role.sender) {
      const user = await loadUser(deps.metadata, input.userId)
      const company = await loadCompany(deps.metadata, companyId)
      if (!user?.person || !user.loginPhoneEnc) return err('TEMPLATE_VALUE_INVALID', `请填写「${role.label}」的姓名和手机号`, { roleId: role.roleId })
      given = { name: user.person.name, phone: decryptPersonalData(deps.personalData, 'phone', user.loginPhoneEnc), ...(company ? { companyName: company.name } : {}) }
    }
    if (!given) return err('TEMPLATE_VALUE_INVALID', `请填写「${role.label}」的姓名和手机号`, { roleId: role.roleId })
    if (role.kind === 'person') {
      out.push({ partyId: role.roleId, role: 'signer', kind: 'person', name: given.name, phone: given.phone })
    } else {
      if (!given.companyName) return err('TEMPLATE_VALUE_INVALID', `请填写「${role.label}」的企业名称`, { roleId: role.roleId })
      out.push({ partyId: role.roleId, role: 'signer', kind: 'company', companyName: given.companyName, member: { name: given.name, phone: given.phone } })
    }
  }
  return ok(out)
}

/** `<label>姓名` / `<label>名称` placeholders left out, filled from the parties. */
function withRoleNames(v: TemplateVersion, values: Record<string, string>, parties: PartyInput[]): Record<string, string> {
  const out = { ...values }
  const keys = new Set(v.placeholders.map((p) => p.key))
  for (const role of v.roles) {
    const party = parties.find((p) => p.partyId === role.roleId)
    if (!party) continue
    const person = party.kind === 'person' ? party.name : party.member.name
    if (keys.has(`${role.label}姓名`) && out[`${role.label}姓名`] === undefined) out[`${role.label}姓名`] = person
    if (party.kind === 'company' && keys.has(`${role.label}名称`) && out[`${role.label}名称`] === undefined) out[`${role.label}名称`] = party.companyName
  }
  return out
}
