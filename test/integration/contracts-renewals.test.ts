/**
 * 续签 renewals (issue 15) over HTTP against the real local server with a controllable clock: a
 * completed contract's validity end is told 30, 7 and 1 days before (09:00 Shanghai) to the sender —
 * and to every party when the sender chose so — once each even with a double tick and two
 * concurrent ticks; the list's 即将到期 / 已到期 filters; `POST /renew` makes a draft linked both
 * ways and shown as a chain on both details (and drops the original's remaining notices); a
 * long-term certificate is renewed by the tick 30 days before its notAfter, once.
 */
import { randomUUID } from 'node:crypto'
import { runRemindersTick } from '../../cloud-functions/handlers/schedule/reminders-tick'
import { listOwnerCertificates } from '../../cloud-functions/use-cases/pki/records'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'

jest.setTimeout(900_000)

const DAY = 86_400_000
/** 10:00 in Shanghai today. */
const start = new Date(new Date().toISOString().slice(0, 10) + 'T02:00:00Z')
const clock = new ManualClock(start)
let app: TestApp
let flow: ReturnType<typeof contractFlow>
let people = 0
const person = (name: string) => {
  people += 1
  return flow.verifiedPerson(name, `1390000${String(7000 + people)}`, 60 + people)
}
const at = (ms: number) => clock.advanceSeconds((ms - clock.now().getTime()) / 1000)
const tick = () => runRemindersTick(app.deps)
/** The Beijing date `d` days after the start. */
const beijingDate = (d: number) => new Date(start.getTime() + 8 * 3600_000 + d * DAY).toISOString().slice(0, 10)
/** 09:00 Shanghai on the Beijing date `d` days after the start. */
const nineAm = (d: number) => Date.parse(`${beijingDate(d)}T09:00:00+08:00`)
type Entry = { text?: string }
const notices = async (p: Person, title: string) => ((await flow.outbox(p.phone)) as Entry[]).filter((e) => e.text?.includes(`《${title}》将于`))
/** A fresh session (the clock moves by weeks in this file). */
const relogin = async (p: Person, n: number): Promise<Person> => ({ ...p, token: (await flow.login(p.phone, n)).token })
const dueItems = async (type: string) => (await app.deps.metadata.queryIndex('RENEWAL#DUE', { limit: 100 })).items.filter((i) => i.type === type)

beforeAll(async () => {
  app = await startTestApp({}, { clock })
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
})

async function completedContract(sender: Person, signer: Person, title: string, validUntil: string, toParties: boolean): Promise<string> {
  const documentId = await flow.upload(sender.token, await makePdf('Renew', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title,
    documentId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
    order: [['A']],
    fields: [{ fieldId: 's0', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(clock.now().getTime() + 5 * DAY).toISOString(),
    validUntil,
    ...(toParties ? { validityNoticeToParties: true } : {}),
  }, sender.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  const id = created.body.contractId as string
  const sent = await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)
  expect([sent.status, sent.body.error]).toEqual([200, undefined])
  const signed = await flow.sign(signer, id, 'A')
  expect([signed.status, signed.body.error, signed.body.contract?.status]).toEqual([200, undefined, 'completed'])
  return id
}

let s: Person
let a: Person
let b: Person
let shared: string
let own: string

it('tells the sender (and every party when chosen) 30, 7 and 1 days before the validity ends, each once with double and concurrent ticks', async () => {
  ;[s, a, b] = await Promise.all([person('鲁发起'), person('韦甲'), person('昌乙')])
  // Validity ends on day 40 (Beijing): notices on days 10, 33 and 39 at 09:00 Shanghai.
  shared = await completedContract(s, a, '租赁合同', beijingDate(40), true)
  own = await completedContract(s, b, '服务合同', beijingDate(40), false)
  // Due items on the index, not a scan: sender + party A for the shared one, the sender only for the other.
  const scheduled = await dueItems('validity-notice')
  expect(scheduled.filter((i) => i.contractId === shared).map((i) => `${i.recipient}:${i.slot}`).sort()).toEqual(['A:v1', 'A:v30', 'A:v7', 'sender:v1', 'sender:v30', 'sender:v7'])
  expect(scheduled.filter((i) => i.contractId === own).map((i) => `${i.recipient}:${i.slot}`).sort()).toEqual(['sender:v1', 'sender:v30', 'sender:v7'])

  // A minute early: nothing.
  at(nineAm(10) - 60_000)
  await tick()
  expect(await notices(s, '租赁合同')).toHaveLength(0)
  // 30 days before, a double tick: once each, to the sender and to A (chosen); B is not told (not chosen).
  at(nineAm(10))
  await tick()
  await tick()
  const first = await notices(s, '租赁合同')
  expect(first).toHaveLength(1)
  expect(first[0]!.text).toContain(`《租赁合同》将于 ${beijingDate(40)} 到期（还有 30 天）`)
  expect(await notices(a, '租赁合同')).toHaveLength(1)
  expect(await notices(s, '服务合同')).toHaveLength(1)
  expect(await notices(b, '服务合同')).toHaveLength(0)
  // The sender also has it in their in-app messages.
  s = await relogin(s, 60)
  const messages = await flow.call('GET', '/api/messages', undefined, s.token)
  expect((messages.body.items as Array<{ title: string; contractId?: string }>).filter((m) => m.title === '合同即将到期' && m.contractId === shared)).toHaveLength(1)

  // 7 days before: two ticks at once send each once.
  at(nineAm(33))
  await Promise.all([tick(), tick()])
  expect(await notices(s, '租赁合同')).toHaveLength(1)
  expect((await notices(s, '租赁合同'))[0]!.text).toContain('还有 7 天')
  expect(await notices(a, '租赁合同')).toHaveLength(1)
  expect(await notices(s, '服务合同')).toHaveLength(1)
  // 1 day before.
  at(nineAm(39))
  await Promise.all([tick(), tick()])
  await tick()
  expect((await notices(s, '租赁合同')).map((e) => e.text?.includes('还有 1 天'))).toEqual([true])
  expect(await notices(a, '租赁合同')).toHaveLength(1)
  expect(await notices(s, '服务合同')).toHaveLength(1)
  expect(await dueItems('validity-notice')).toHaveLength(0)
})

it('lists 即将到期 and 已到期 contracts', async () => {
  s = await relogin(s, 60)
  const list = async (validity: string) => ((await flow.call('GET', `/api/contracts?validity=${validity}`, undefined, s.token)).body.items as Array<{ contractId: string; validity?: string }>).map((i) => i.contractId).sort()
  // Day 39: both end within 30 days.
  expect(await list('expiring')).toEqual([shared, own].sort())
  expect(await list('ended')).toEqual([])
  // Day 41 (the validity end date passed): 已到期.
  at(Date.parse(`${beijingDate(41)}T00:00:00+08:00`))
  s = await relogin(s, 60)
  expect(await list('expiring')).toEqual([])
  expect(await list('ended')).toEqual([shared, own].sort())
  const view = await flow.call('GET', `/api/contracts/${own}`, undefined, s.token)
  expect([view.body.validity, view.body.me.canRenew]).toEqual(['ended', true])
  const bad = await flow.call('GET', '/api/contracts?validity=soon', undefined, s.token)
  expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
})

it('renews a completed contract as a new draft linked both ways, shown as a chain on both details, once', async () => {
  a = await relogin(a, 61)
  const body = { deadline: new Date(clock.now().getTime() + 7 * DAY).toISOString(), validUntil: beijingDate(500) }
  // Only the sender; the signer sees the contract but may not renew it.
  const notSender = await flow.call('POST', `/api/contracts/${shared}/renew`, body, a.token)
  expect([notSender.status, notSender.body.error.code]).toEqual([403, 'NOT_THE_SENDER'])
  const badBody = await flow.call('POST', `/api/contracts/${shared}/renew`, { deadline: 'tomorrow' }, s.token)
  expect([badBody.status, badBody.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])

  const renewed = await flow.call('POST', `/api/contracts/${shared}/renew`, body, s.token)
  expect([renewed.status, renewed.body.error]).toEqual([201, undefined])
  const draft = renewed.body
  const original = (await flow.call('GET', `/api/contracts/${shared}`, undefined, s.token)).body
  expect([draft.status, draft.title, draft.validUntil, draft.deadline, draft.renewedFrom]).toEqual(['draft', '租赁合同', beijingDate(500), body.deadline, shared])
  expect(draft.parties.map((p: { name: string; maskedPhone: string; role: string }) => [p.name, p.maskedPhone, p.role])).toEqual(original.parties.map((p: { name: string; maskedPhone: string; role: string }) => [p.name, p.maskedPhone, p.role]))
  expect([draft.fields, draft.order, draft.document.originalSha256, draft.validityNoticeToParties]).toEqual([original.fields, original.order, original.document.originalSha256, true])
  expect([original.renewedBy, original.me.canRenew]).toEqual([draft.contractId, false])
  // The chain on both details, oldest first.
  expect(original.renewalChain.map((l: { contractId: string; current: boolean }) => [l.contractId, l.current])).toEqual([[shared, true], [draft.contractId, false]])
  const again = (await flow.call('GET', `/api/contracts/${draft.contractId}`, undefined, s.token)).body
  expect(again.renewalChain.map((l: { contractId: string; current: boolean; status: string }) => [l.contractId, l.current, l.status])).toEqual([[shared, false, 'completed'], [draft.contractId, true, 'draft']])
  // The signer sees the chain on the original (the draft is not theirs to see yet).
  const asSigner = (await flow.call('GET', `/api/contracts/${shared}`, undefined, a.token)).body
  expect(asSigner.renewedBy).toBe(draft.contractId)
  expect(asSigner.renewalChain).toBeUndefined()

  // Once: a second renewal names the first; a draft cannot be renewed.
  const twice = await flow.call('POST', `/api/contracts/${shared}/renew`, body, s.token)
  expect([twice.status, twice.body.error.code, twice.body.error.details?.renewedBy]).toEqual([409, 'CONTRACT_ALREADY_RENEWED', draft.contractId])
  const ofDraft = await flow.call('POST', `/api/contracts/${draft.contractId}/renew`, body, s.token)
  expect([ofDraft.status, ofDraft.body.error.code]).toEqual([409, 'CONTRACT_NOT_RENEWABLE'])
  // The draft is sent as any other, and completes into a chain of two completed contracts.
  const sent = await flow.call('POST', `/api/contracts/${draft.contractId}/send`, undefined, s.token)
  expect([sent.status, sent.body.error]).toEqual([200, undefined])
})

it('two renewals at once make one draft', async () => {
  const body = { deadline: new Date(clock.now().getTime() + 7 * DAY).toISOString() }
  const both = await Promise.all([1, 2].map((n) => flow.call('POST', `/api/contracts/${own}/renew`, body, s.token, { 'idempotency-key': `${randomUUID()}-${n}` })))
  expect(both.map((r) => [r.status, r.body.error?.code]).sort()).toEqual([[201, undefined], [409, 'CONTRACT_ALREADY_RENEWED']])
  const original = (await flow.call('GET', `/api/contracts/${own}`, undefined, s.token)).body
  expect(original.renewedBy).toBe(both.find((r) => r.status === 201)!.body.contractId)
})

it('renews a long-term certificate 30 days before its notAfter through the tick, once', async () => {
  const [old] = (await listOwnerCertificates(app.deps.metadata, b.userId)).filter((r) => r.kind === 'long-term' && r.status === 'good')
  expect(old).toBeDefined()
  const due = (await dueItems('certificate-renewal')).find((i) => i.serialNumber === old!.serialNumber)
  expect(due).toBeDefined()
  const renewAt = Date.parse(old!.notAfter) - 30 * DAY
  at(renewAt - 60_000)
  await tick()
  expect((await listOwnerCertificates(app.deps.metadata, b.userId)).find((r) => r.serialNumber === old!.serialNumber)?.status).toBe('good')
  at(renewAt)
  await Promise.all([tick(), tick()])
  await tick()
  const after = await listOwnerCertificates(app.deps.metadata, b.userId)
  const previous = after.find((r) => r.serialNumber === old!.serialNumber)!
  expect(previous.status).toBe('superseded')
  const successors = after.filter((r) => r.kind === 'long-term' && r.status === 'good' && r.subjectCommonName === old!.subjectCommonName)
  expect(successors.map((r) => r.serialNumber)).toEqual([previous.supersededBy])
  // The successor is scheduled in its turn; the old one's item is gone.
  const items = await dueItems('certificate-renewal')
  expect(items.some((i) => i.serialNumber === old!.serialNumber)).toBe(false)
  expect(items.some((i) => i.serialNumber === previous.supersededBy)).toBe(true)
})
