import { err, ok, type Result } from '../shared/result'
import { partyName, type Contract } from './contract'

export const CONTRACT_LIMITS = {
  titleLength: 100,
  noteLength: 500,
  parties: 50,
  fields: 500,
  textMaxLength: 2000,
  reasonLength: 500,
} as const

const DATE = /^\d{4}-\d{2}-\d{2}$/
const PHONE = /^1[3-9]\d{9}$/
/** Party and field ids: 1–64 URL-safe characters starting with a letter or digit (so never `__proto__` as a record key). */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/**
 * The checks that need no document: a title; parties with names, valid mainland mobile numbers and
 * unique ids; the order naming every signer exactly once in non-empty groups (and no cc party);
 * fields with unique ids that belong to signers, with sane kinds (company seals only for company
 * parties, text with a max length); a deadline instant and a validity end date not before it.
 * `CONTRACT_INVALID` with the reason otherwise.
 */
export function checkContractStructure(c: Pick<Contract, 'title' | 'note' | 'parties' | 'order' | 'fields' | 'deadline' | 'validUntil'>): Result<true> {
  const title = c.title.trim()
  if (!title) return err('CONTRACT_INVALID', '请填写合同名称', { reason: 'TITLE_REQUIRED' })
  if ([...title].length > CONTRACT_LIMITS.titleLength) return err('CONTRACT_INVALID', `合同名称不能超过 ${CONTRACT_LIMITS.titleLength} 个字`, { reason: 'TITLE_TOO_LONG' })
  if (c.note !== undefined && [...c.note].length > CONTRACT_LIMITS.noteLength) return err('CONTRACT_INVALID', `备注不能超过 ${CONTRACT_LIMITS.noteLength} 个字`, { reason: 'NOTE_TOO_LONG' })
  if (c.parties.length > CONTRACT_LIMITS.parties) return err('CONTRACT_INVALID', `签署方不能超过 ${CONTRACT_LIMITS.parties} 个`, { reason: 'TOO_MANY_PARTIES' })
  if (c.fields.length > CONTRACT_LIMITS.fields) return err('CONTRACT_INVALID', `签署位置不能超过 ${CONTRACT_LIMITS.fields} 个`, { reason: 'TOO_MANY_FIELDS' })

  const parties = new Map(c.parties.map((p) => [p.partyId, p]))
  if (parties.size !== c.parties.length) return err('CONTRACT_INVALID', '签署方编号重复', { reason: 'DUPLICATE_PARTY' })
  for (const p of c.parties) {
    if (!ID.test(p.partyId)) return err('CONTRACT_INVALID', '签署方编号格式不正确', { reason: 'PARTY_ID_INVALID' })
    const person = p.kind === 'person' ? p : p.member
    if (!partyName(p).trim() || !person.name.trim()) return err('CONTRACT_INVALID', '请填写签署方名称', { reason: 'PARTY_NAME_REQUIRED', partyId: p.partyId })
    if (!PHONE.test(person.phone)) return err('CONTRACT_INVALID', `${partyName(p)}的手机号不正确`, { reason: 'PARTY_PHONE_INVALID', partyId: p.partyId })
  }
  const signers = c.parties.filter((p) => p.role === 'signer')
  if (signers.length === 0) return err('CONTRACT_INVALID', '请至少添加一位签署方', { reason: 'NO_SIGNER' })

  const seen = new Set<string>()
  for (const group of c.order) {
    if (group.length === 0) return err('CONTRACT_INVALID', '签署顺序中有空的步骤', { reason: 'EMPTY_GROUP' })
    for (const id of group) {
      const p = parties.get(id)
      if (!p || p.role !== 'signer') return err('CONTRACT_INVALID', '签署顺序中只能包含签署方', { reason: 'ORDER_NOT_A_SIGNER', partyId: id })
      if (seen.has(id)) return err('CONTRACT_INVALID', '同一签署方在签署顺序中出现了两次', { reason: 'ORDER_DUPLICATE', partyId: id })
      seen.add(id)
    }
  }
  const unordered = signers.find((p) => !seen.has(p.partyId))
  if (unordered) return err('CONTRACT_INVALID', `${partyName(unordered)}不在签署顺序中`, { reason: 'ORDER_MISSING_SIGNER', partyId: unordered.partyId })

  const fieldIds = new Set<string>()
  for (const f of c.fields) {
    if (!ID.test(f.fieldId)) return err('CONTRACT_INVALID', '签署位置编号格式不正确', { reason: 'FIELD_ID_INVALID' })
    if (fieldIds.has(f.fieldId)) return err('CONTRACT_INVALID', '签署位置编号重复', { reason: 'DUPLICATE_FIELD', fieldId: f.fieldId })
    fieldIds.add(f.fieldId)
    const p = parties.get(f.partyId)
    if (!p || p.role !== 'signer') return err('CONTRACT_INVALID', '签署位置只能分配给签署方', { reason: 'FIELD_NOT_FOR_SIGNER', fieldId: f.fieldId })
    if ((f.kind === 'seal' || f.kind === 'cross-page-seal') && p.kind !== 'company') {
      return err('CONTRACT_INVALID', '企业印章位置只能分配给企业签署方', { reason: 'SEAL_FOR_PERSON', fieldId: f.fieldId })
    }
    if (f.kind === 'text' && (!Number.isInteger(f.maxLength) || f.maxLength < 1 || f.maxLength > CONTRACT_LIMITS.textMaxLength)) {
      return err('CONTRACT_INVALID', `文本字段的最大长度应在 1 到 ${CONTRACT_LIMITS.textMaxLength} 之间`, { reason: 'TEXT_MAX_LENGTH', fieldId: f.fieldId })
    }
    if (f.kind === 'date' && f.format !== undefined && f.format !== 'YYYY-MM-DD' && f.format !== 'YYYY年MM月DD日') {
      return err('CONTRACT_INVALID', '日期格式不正确', { reason: 'DATE_FORMAT', fieldId: f.fieldId })
    }
  }

  const deadline = Date.parse(c.deadline)
  if (!Number.isFinite(deadline)) return err('CONTRACT_INVALID', '请设置签署截止时间', { reason: 'DEADLINE_REQUIRED' })
  if (c.validUntil !== undefined) {
    const end = Date.parse(`${c.validUntil}T23:59:59.999+08:00`)
    if (!DATE.test(c.validUntil) || !Number.isFinite(end)) return err('CONTRACT_INVALID', '合同有效期格式不正确', { reason: 'VALID_UNTIL_INVALID' })
    if (end < deadline) return err('CONTRACT_INVALID', '合同有效期不能早于签署截止时间', { reason: 'VALID_UNTIL_BEFORE_DEADLINE' })
  }
  return ok(true)
}
