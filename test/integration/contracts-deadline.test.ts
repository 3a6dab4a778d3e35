/**
 * 延期 (issue 15) over HTTP against the real local server with a controllable clock: only the
 * sender extends a deadline, only later and only before it passes; the signing link keeps working
 * past the old deadline, the "24 h before" reminder moves with it, and the contract expires at the
 * new deadline, the sender being told.
 */
import { runRemindersTick } from '../../cloud-functions/handlers/schedule/reminders-tick'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'

jest.setTimeout(600_000)

/** 10:00 in Shanghai today: every time below is in the daytime there. */
const start = new Date(new Date().toISOString().slice(0, 10) + 'T02:00:00Z')
const clock = new ManualClock(start)
let app: TestApp
let flow: ReturnType<typeof contractFlow>
const later = (hours: number) => new Date(start.getTime() + hours * 3600_000)
const at = (d: Date) => clock.advanceSeconds((d.getTime() - clock.now().getTime()) / 1000)

beforeAll(async () => {
  app = await startTestApp({}, { clock })
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
})

it('the sender extends the deadline before it passes; links and the deadline reminder follow; expiry at the new deadline tells the sender', async () => {
  const [s, a]: Person[] = await Promise.all([flow.verifiedPerson('伍发起', '13900009001', 91), flow.verifiedPerson('余甲', '13900009002', 92)])
  const documentId = await flow.upload(s.token, await makePdf('Deadline', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title: '运输合同',
    documentId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: a.name, phone: a.phone }],
    order: [['A']],
    fields: [{ fieldId: 's0', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: later(48).toISOString(),
  }, s.token)
  const id = created.body.contractId as string
  expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, s.token)).status).toBe(200)
  const newestLink = async () => {
    const link = ((await flow.outbox(a.phone)) as Array<{ link?: string }>).find((e) => e.link?.includes('/s/'))!.link!
    return link.slice(link.lastIndexOf('/') + 1)
  }

  const byParty = await flow.call('POST', `/api/contracts/${id}/deadline`, { deadline: later(120).toISOString() }, a.token)
  expect([byParty.status, byParty.body.error.code]).toEqual([403, 'NOT_THE_SENDER'])
  const earlier = await flow.call('POST', `/api/contracts/${id}/deadline`, { deadline: later(24).toISOString() }, s.token)
  expect([earlier.status, earlier.body.error.code]).toEqual([400, 'DEADLINE_INVALID'])
  expect((await flow.call('GET', `/api/contracts/${id}`, undefined, s.token)).body.deadline).toBe(later(48).toISOString())

  const extended = await flow.call('POST', `/api/contracts/${id}/deadline`, { deadline: later(120).toISOString() }, s.token, { 'idempotency-key': 'extend-deadline-1' })
  expect([extended.status, extended.body.deadline]).toEqual([200, later(120).toISOString()])
  const timeline = await flow.call('GET', `/api/contracts/${id}/timeline`, undefined, s.token)
  expect(timeline.body.items.map((e: { type: string }) => e.type)).toContain('DeadlineExtended')
  // The reminder 24 h before the deadline moved to the new deadline.
  const deadlineReminder = (await app.deps.metadata.get(`REMINDER#${id}#A`, 'deadline'))!
  expect(String(deadlineReminder.gsi1sk).slice(0, 24)).toBe(later(96).toISOString())

  // Past the old deadline: still live, the party's link (the day-1 reminder's, which replaced the first) still opens.
  at(later(50))
  await runRemindersTick(app.deps)
  const token = await newestLink()
  const sender = await flow.login(s.phone, 91)
  expect((await flow.call('GET', `/api/contracts/${id}`, undefined, sender.token)).body.status).toBe('sent')
  const opened = await flow.call('GET', `/api/signing-links/${token}`)
  expect([opened.status, opened.body.error]).toEqual([200, undefined])

  // Past the new deadline: the tick expires it and the sender is told; it cannot be extended any more.
  at(later(121))
  await runRemindersTick(app.deps)
  const again = await flow.login(s.phone, 91)
  expect((await flow.call('GET', `/api/contracts/${id}`, undefined, again.token)).body.status).toBe('expired')
  expect(((await flow.outbox(s.phone)) as Array<{ text?: string }>).some((e) => e.text?.includes('《运输合同》已超过签署截止时间'))).toBe(true)
  const tooLate = await flow.call('POST', `/api/contracts/${id}/deadline`, { deadline: later(200).toISOString() }, again.token)
  expect([tooLate.status, tooLate.body.error.code]).toEqual([409, 'CONTRACT_CLOSED'])
})
