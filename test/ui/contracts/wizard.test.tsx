import {
  addDays,
  beijingDay,
  buildCreateRequest,
  buildOrder,
  checkDocument,
  checkFields,
  checkParties,
  checkSchedule,
  emptyWizard,
  endOfBeijingDay,
  kindsFor,
  nextId,
  reminderText,
  type PartyDraft,
  type WizardState,
} from '@/packages/contracts/lib/wizard'
import { ZCreateContractRequest } from '@api/contracts.types'

const NOW = new Date('2026-12-04T18:00:00Z') // 2026-12-05 02:00 in Beijing
const A4 = { width: 595.28, height: 841.89 }
const person = (partyId: string, name: string, phone: string): PartyDraft => ({ partyId, kind: 'person', role: 'signer', name, phone, companyName: '' })
const company = (partyId: string): PartyDraft => ({ partyId, kind: 'company', role: 'signer', name: '王经办', phone: '13900000003', companyName: '杭州示例科技有限公司' })

function ready(): WizardState {
  return {
    ...emptyWizard(NOW),
    title: '房屋租赁合同',
    documentId: 'doc1',
    parties: [company('p1'), person('p2', '张三', '13800000001'), person('p3', '李四', '13800000002')],
    fields: [
      { kind: 'seal', fieldId: 'f1', partyId: 'p1', page: 0, rect: [100, 100, 119, 119] },
      { kind: 'signature', fieldId: 'f2', partyId: 'p2', page: 0, rect: [300, 100, 120, 50] },
      { kind: 'signature', fieldId: 'f3', partyId: 'p3', page: 1, rect: [300, 100, 120, 50] },
      { kind: 'date', fieldId: 'f4', partyId: 'p3', page: 1, rect: [300, 60, 110, 22] },
    ],
  }
}

describe('create-and-send wizard: checks per step and the request built', () => {
  it('defaults: deadline 7 Beijing days from now, sequential order, nothing else', () => {
    const s = emptyWizard(NOW)
    expect(beijingDay(NOW)).toBe('2026-12-05')
    expect(s.deadline).toBe('2026-12-12')
    expect(s.orderMode).toBe('sequential')
    expect(s.validUntil).toBe('')
  })

  it('step 1 needs an uploaded file and a title', () => {
    expect(checkDocument(emptyWizard(NOW))).toEqual(['请先选择并上传合同文件（PDF）', '请填写合同名称'])
    expect(checkDocument({ ...emptyWizard(NOW), documentId: 'd', title: '  ' })).toEqual(['请填写合同名称'])
    expect(checkDocument({ ...emptyWizard(NOW), documentId: 'd', title: '合同' })).toEqual([])
  })

  it('step 2 names each incomplete party, a bad phone, a company without its name, no signer at all, and a party added twice', () => {
    const s = { ...emptyWizard(NOW), parties: [person('p1', '', '1380000'), { ...company('p2'), companyName: '' }] }
    expect(checkParties(s)).toEqual(['第 1 位签署方：请填写姓名', '第 1 位签署方：请填写正确的 11 位手机号', '第 2 位签署方：请填写企业名称'])
    expect(checkParties({ ...emptyWizard(NOW) })).toEqual(['请至少添加一位签署方'])
    expect(checkParties({ ...emptyWizard(NOW), parties: [{ ...person('p1', '张三', '13800000001'), role: 'cc' }] })).toEqual(['至少需要一位签署人（抄送人不签署）'])
    expect(checkParties({ ...emptyWizard(NOW), parties: [person('p1', '张三', '13800000001'), person('p2', '张三', '13800000001')] })).toEqual(['同一签署方不能重复添加'])
    expect(checkParties(ready())).toEqual([])
  })

  it('the order: sequential one by one, 同时签署 in one group, groups by number in ascending order; cc parties never sign', () => {
    const s = ready()
    s.parties.push({ ...person('p4', '赵抄送', '13800000004'), role: 'cc' })
    expect(buildOrder({ ...s, orderMode: 'sequential' })).toEqual([['p1'], ['p2'], ['p3']])
    expect(buildOrder({ ...s, orderMode: 'parallel' })).toEqual([['p1', 'p2', 'p3']])
    expect(buildOrder({ ...s, orderMode: 'groups', groups: { p1: 3, p2: 1, p3: 3 } })).toEqual([['p2'], ['p1', 'p3']])
  })

  it('step 3: every signer needs a signature, a company a seal; a person cannot get a seal; a field must lie on its page', () => {
    const s = ready()
    expect(checkFields(s, [A4, A4])).toEqual([])
    const noSeal = { ...s, fields: s.fields.filter((f) => f.fieldId !== 'f1') }
    expect(checkFields(noSeal, [A4, A4])).toEqual(['请为 杭州示例科技有限公司（王经办） 放置企业印章'])
    const onlyDate = { ...s, fields: s.fields.filter((f) => f.fieldId !== 'f3') }
    expect(checkFields(onlyDate, [A4, A4])).toEqual(['请为 李四 放置签名位置'])
    const personSeal = { ...s, fields: [...s.fields, { kind: 'seal' as const, fieldId: 'f9', partyId: 'p2', page: 0, rect: [400, 600, 119, 119] as [number, number, number, number] }] }
    expect(checkFields(personSeal, [A4, A4])).toEqual(['张三 是个人，不能加盖企业印章'])
    const offPage = { ...s, fields: s.fields.map((f) => (f.fieldId === 'f2' ? { ...f, rect: [550, 100, 120, 50] as [number, number, number, number] } : f)) }
    expect(checkFields(offPage, [A4, A4])).toEqual(['签名位置超出了第 1 页'])
    const overlapping = { ...s, fields: s.fields.map((f) => (f.fieldId === 'f2' ? { ...f, rect: [150, 150, 120, 50] as [number, number, number, number] } : f)) }
    expect(checkFields(overlapping, [A4, A4])).toEqual(['第 1 页上有签署位置重叠，请拖开'])
    // A page that does not exist (page 2 of a one-page document).
    expect(checkFields(s, [A4])).toEqual(['签名位置超出了第 2 页', '签署日期位置超出了第 2 页'])
  })

  it('step 4: the deadline not before today (Beijing), the validity end not before the deadline', () => {
    expect(checkSchedule(ready(), NOW)).toEqual([])
    expect(checkSchedule({ ...ready(), deadline: '2026-12-04' }, NOW)).toEqual(['签署截止日期不能早于今天'])
    expect(checkSchedule({ ...ready(), deadline: '2026-12-05' }, NOW)).toEqual([])
    expect(checkSchedule({ ...ready(), validUntil: '2026-12-10' }, NOW)).toEqual(['合同到期日期不能早于签署截止日期'])
    expect(checkSchedule({ ...ready(), validUntil: '2027-12-31' }, NOW)).toEqual([])
  })

  it('the request body passes the server’s own schema, with the deadline at the end of the Beijing day', () => {
    const body = buildCreateRequest({ ...ready(), validUntil: '2027-12-31', note: ' 请尽快签署 ' }, 'company-1')
    expect(ZCreateContractRequest.safeParse(body).success).toBe(true)
    expect(body.deadline).toBe('2026-12-12T23:59:59+08:00')
    expect(Date.parse(body.deadline)).toBe(Date.parse('2026-12-12T15:59:59Z'))
    expect(body.senderCompanyId).toBe('company-1')
    expect(body.note).toBe('请尽快签署')
    expect(body.parties[0]).toEqual({ partyId: 'p1', role: 'signer', kind: 'company', companyName: '杭州示例科技有限公司', member: { name: '王经办', phone: '13900000003' } })
    expect(body.order).toEqual([['p1'], ['p2'], ['p3']])
    // The draft made after the parties step: no fields yet, still a valid body.
    expect(ZCreateContractRequest.safeParse(buildCreateRequest({ ...ready(), fields: [] })).success).toBe(true)
  })

  it('自动催办 presets: the default sends nothing (the server’s defaults), 每天 and 关闭 send their settings; the detail text says what is in force', () => {
    expect(buildCreateRequest(ready()).reminders).toBeUndefined()
    expect(buildCreateRequest({ ...ready(), reminders: 'default' }).reminders).toBeUndefined()
    const daily = buildCreateRequest({ ...ready(), reminders: 'daily' })
    expect(daily.reminders).toEqual({ afterDays: [1, 2, 3, 4, 5], beforeDeadlineHours: 24 })
    expect(ZCreateContractRequest.safeParse(daily).success).toBe(true)
    const off = buildCreateRequest({ ...ready(), reminders: 'off' })
    expect(off.reminders).toEqual({ afterDays: [], beforeDeadlineHours: null })
    expect(ZCreateContractRequest.safeParse(off).success).toBe(true)
    expect(reminderText({ afterDays: [1, 3, 7], beforeDeadlineHours: 24 })).toBe('通知后第 1、3、7 天，截止前 24 小时（22:00–08:00 顺延至 08:00）')
    expect(reminderText({ afterDays: [], beforeDeadlineHours: null })).toBe('已关闭')
  })

  it('helpers: fresh ids, day arithmetic, field kinds per party kind', () => {
    expect(nextId('p', ['p1', 'p3'])).toBe('p2')
    expect(addDays(NOW, 1)).toBe('2026-12-06')
    expect(endOfBeijingDay('2026-12-31')).toBe('2026-12-31T23:59:59+08:00')
    expect(kindsFor({ kind: 'person' })).not.toContain('seal')
    expect(kindsFor({ kind: 'company' })).toEqual(expect.arrayContaining(['seal', 'cross-page-seal']))
  })
})
