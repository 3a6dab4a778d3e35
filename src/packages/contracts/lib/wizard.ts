import type { CreateContractRequest, FieldInput, PartyInput } from '@api/contracts.types'
import { insidePage, overlaps, type PageSize } from '@/components/field-placer/geometry'
import { colourAt, PARTY_COLOURS } from '@/components/field-placer/colours'

/**
 * The create-and-send wizard's data and checks (pure): what the user typed, the checks each step
 * makes before going on (the same rules as the server's schema and its send checks, in Chinese),
 * and the request bodies built from it.
 */

export type PartyDraft = {
  partyId: string
  kind: 'person' | 'company'
  role: 'signer' | 'cc'
  /** The person's name, or for a company the acting member's (经办人) name. */
  name: string
  phone: string
  /** Companies only. */
  companyName: string
}

/** sequential: one after another in the listed order; parallel: all at once (同时签署); groups: by group number. */
export type OrderMode = 'sequential' | 'parallel' | 'groups'

export type WizardState = {
  title: string
  note: string
  documentId?: string
  parties: PartyDraft[]
  orderMode: OrderMode
  /** Group number (1-based) by party id, for `groups`. */
  groups: Record<string, number>
  fields: FieldInput[]
  /** YYYY-MM-DD (Beijing): signing closes at the end of that day. */
  deadline: string
  /** YYYY-MM-DD, optional. */
  validUntil: string
  /** 到期提醒 to every party too (not only the sender), 30, 7 and 1 days before `validUntil`. */
  validityNoticeToParties?: boolean
  /** 自动催办 preset (absent: the default). */
  reminders?: ReminderPreset
}

/** 自动催办 choices of the send step, and the settings each sends (`ReminderSettings`). */
export type ReminderPreset = 'default' | 'daily' | 'off'
export const REMINDER_PRESETS: { key: ReminderPreset; label: string; hint: string; settings?: { afterDays: number[]; beforeDeadlineHours: number | null } }[] = [
  { key: 'default', label: '默认', hint: '通知后第 1、3、7 天，截止前 24 小时' },
  { key: 'daily', label: '每天', hint: '通知后第 1–5 天每天一次，截止前 24 小时', settings: { afterDays: [1, 2, 3, 4, 5], beforeDeadlineHours: 24 } },
  { key: 'off', label: '关闭', hint: '不自动催办（仍可手动催办）', settings: { afterDays: [], beforeDeadlineHours: null } },
]

/** The 自动催办 in force, in words (contract detail). */
export function reminderText(r: { afterDays: number[]; beforeDeadlineHours: number | null }): string {
  const parts: string[] = []
  if (r.afterDays.length) parts.push(`通知后第 ${r.afterDays.join('、')} 天`)
  if (r.beforeDeadlineHours !== null) parts.push(`截止前 ${r.beforeDeadlineHours} 小时`)
  return parts.length ? `${parts.join('，')}（22:00–08:00 顺延至 08:00）` : '已关闭'
}

export type FieldKind = FieldInput['kind']

export const FIELD_LABELS: Record<FieldKind, string> = {
  signature: '签名',
  seal: '企业印章',
  date: '签署日期',
  text: '文本',
  checkbox: '勾选框',
  'cross-page-seal': '骑缝章',
}

/** Default sizes in points of a newly placed field (a seal is about 42 mm across). */
export const FIELD_SIZES: Record<Exclude<FieldKind, 'cross-page-seal'>, { width: number; height: number }> = {
  signature: { width: 120, height: 50 },
  seal: { width: 119, height: 119 },
  date: { width: 110, height: 22 },
  text: { width: 150, height: 22 },
  checkbox: { width: 16, height: 16 },
}

export { PARTY_COLOURS }
/** One colour per signer (components/field-placer/colours.ts, shared with the template editor's roles). */
export const partyColour = (parties: { partyId: string }[], partyId: string) => colourAt(parties.findIndex((p) => p.partyId === partyId))

const PHONE = /^1[3-9]\d{9}$/
const DAY = 86_400_000

/** The Beijing calendar day of an instant, YYYY-MM-DD. */
export const beijingDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
/** The Beijing day `days` days after `at`. */
export const addDays = (at: Date, days: number) => beijingDay(new Date(at.getTime() + days * DAY))
/** The end of a Beijing day as an ISO instant with its offset (the API's deadline). */
export const endOfBeijingDay = (day: string) => `${day}T23:59:59+08:00`

export const emptyWizard = (now: Date): WizardState => ({
  title: '',
  note: '',
  parties: [],
  orderMode: 'sequential',
  groups: {},
  fields: [],
  deadline: addDays(now, 7),
  validUntil: '',
})

/** A fresh party id not yet used (`p1`, `p2`, …). */
export function nextId(prefix: string, used: string[]): string {
  for (let i = 1; ; i++) if (!used.includes(`${prefix}${i}`)) return `${prefix}${i}`
}

export const partyLabel = (p: PartyDraft) => (p.kind === 'company' ? `${p.companyName || '企业'}（${p.name || '经办人'}）` : p.name || '签署人')
export const signers = (s: Pick<WizardState, 'parties'>) => s.parties.filter((p) => p.role === 'signer')

/** Step 1: a PDF uploaded and a title. */
export function checkDocument(s: WizardState): string[] {
  const errors: string[] = []
  if (!s.documentId) errors.push('请先选择并上传合同文件（PDF）')
  if (!s.title.trim()) errors.push('请填写合同名称')
  else if (s.title.length > 200) errors.push('合同名称不能超过 200 个字')
  if (s.note.length > 1000) errors.push('备注不能超过 1000 个字')
  return errors
}

/** Step 2: parties, each complete and valid, at least one signer, no phone twice. */
export function checkParties(s: WizardState): string[] {
  const errors: string[] = []
  if (s.parties.length === 0) errors.push('请至少添加一位签署方')
  else if (signers(s).length === 0) errors.push('至少需要一位签署人（抄送人不签署）')
  if (s.parties.length > 50) errors.push('签署方不能超过 50 个')
  s.parties.forEach((p, i) => {
    const who = `第 ${i + 1} 位签署方`
    if (p.kind === 'company' && !p.companyName.trim()) errors.push(`${who}：请填写企业名称`)
    if (!p.name.trim()) errors.push(`${who}：请填写${p.kind === 'company' ? '经办人姓名' : '姓名'}`)
    else if (p.name.trim().length > 60) errors.push(`${who}：姓名不能超过 60 个字`)
    if (!PHONE.test(p.phone)) errors.push(`${who}：请填写正确的 11 位手机号`)
  })
  const phones = s.parties.map((p) => `${p.kind}:${p.kind === 'company' ? p.companyName.trim() : ''}:${p.phone}`)
  if (new Set(phones).size !== phones.length) errors.push('同一签署方不能重复添加')
  if (s.orderMode === 'groups') {
    for (const p of signers(s)) {
      const g = s.groups[p.partyId]
      if (!g || !Number.isInteger(g) || g < 1 || g > 50) errors.push(`${partyLabel(p)}：请选择签署顺序（第 1–50 批）`)
    }
  }
  return errors
}

/** The signing order as groups of party ids: groups in sequence, signers within a group in parallel. */
export function buildOrder(s: Pick<WizardState, 'parties' | 'orderMode' | 'groups'>): string[][] {
  const ids = signers(s).map((p) => p.partyId)
  if (ids.length === 0) return []
  if (s.orderMode === 'sequential') return ids.map((id) => [id])
  if (s.orderMode === 'parallel') return [ids]
  const numbers = [...new Set(ids.map((id) => s.groups[id] ?? 1))].sort((a, b) => a - b)
  return numbers.map((n) => ids.filter((id) => (s.groups[id] ?? 1) === n))
}

/** Step 3: every signer has a signature or seal field, a company signer a seal; seals only for companies; fields on their page. */
export function checkFields(s: WizardState, pages: PageSize[]): string[] {
  const errors: string[] = []
  const byId = new Map(s.parties.map((p) => [p.partyId, p]))
  for (const p of signers(s)) {
    const mine = s.fields.filter((f) => f.partyId === p.partyId)
    if (p.kind === 'company' && !mine.some((f) => f.kind === 'seal' || f.kind === 'cross-page-seal')) errors.push(`请为 ${partyLabel(p)} 放置企业印章`)
    else if (!mine.some((f) => f.kind === 'signature' || f.kind === 'seal' || f.kind === 'cross-page-seal')) errors.push(`请为 ${partyLabel(p)} 放置签名位置`)
  }
  for (const f of s.fields) {
    const p = byId.get(f.partyId)
    if (!p || p.role !== 'signer') errors.push(`有签署位置属于已删除的签署方或抄送人，请删除后重试`)
    else if ((f.kind === 'seal' || f.kind === 'cross-page-seal') && p.kind !== 'company') errors.push(`${partyLabel(p)} 是个人，不能加盖企业印章`)
    if (f.kind !== 'cross-page-seal') {
      const page = pages[f.page]
      if (!page || !insidePage(f.rect, page)) errors.push(`${FIELD_LABELS[f.kind]}位置超出了第 ${f.page + 1} 页`)
    }
  }
  const placed = s.fields.flatMap((f) => (f.kind === 'cross-page-seal' ? [] : [f]))
  placed.forEach((a, i) => {
    if (placed.slice(i + 1).some((b) => b.page === a.page && overlaps(a.rect, b.rect))) errors.push(`第 ${a.page + 1} 页上有签署位置重叠，请拖开`)
  })
  if (s.fields.length > 500) errors.push('签署位置不能超过 500 个')
  return [...new Set(errors)]
}

/** Step 4: the deadline is a day from today on; the validity end, if any, not before it. */
export function checkSchedule(s: WizardState, now: Date): string[] {
  const errors: string[] = []
  const today = beijingDay(now)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.deadline)) errors.push('请选择签署截止日期')
  else if (s.deadline < today) errors.push('签署截止日期不能早于今天')
  if (s.validUntil) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s.validUntil)) errors.push('合同到期日期格式应为 YYYY-MM-DD')
    else if (s.validUntil < s.deadline) errors.push('合同到期日期不能早于签署截止日期')
  }
  return errors
}

function partyInput(p: PartyDraft): PartyInput {
  return p.kind === 'company'
    ? { partyId: p.partyId, role: p.role, kind: 'company', companyName: p.companyName.trim(), member: { name: p.name.trim(), phone: p.phone } }
    : { partyId: p.partyId, role: p.role, kind: 'person', name: p.name.trim(), phone: p.phone }
}

/** The body of `POST /api/contracts` and `PUT /api/contracts/{id}`. */
export function buildCreateRequest(s: WizardState, senderCompanyId?: string): CreateContractRequest {
  return {
    title: s.title.trim(),
    ...(s.note.trim() ? { note: s.note.trim() } : {}),
    documentId: s.documentId ?? '',
    ...(senderCompanyId ? { senderCompanyId } : {}),
    parties: s.parties.map(partyInput),
    order: buildOrder(s),
    fields: s.fields,
    deadline: endOfBeijingDay(s.deadline),
    ...(s.validUntil ? { validUntil: s.validUntil } : {}),
    ...(s.validUntil && s.validityNoticeToParties ? { validityNoticeToParties: true } : {}),
    ...(REMINDER_PRESETS.find((p) => p.key === s.reminders)?.settings ? { reminders: REMINDER_PRESETS.find((p) => p.key === s.reminders)!.settings } : {}),
  }
}

/** Field kinds a party may get: seals and 骑缝章 for companies only. */
export const kindsFor = (p: Pick<PartyDraft, 'kind'>): FieldKind[] =>
  p.kind === 'company' ? ['seal', 'signature', 'cross-page-seal', 'date', 'text', 'checkbox'] : ['signature', 'date', 'text', 'checkbox']
