/**
 * Automatic reminders (issue 15) over HTTP against the real local server with a controllable
 * clock: 1, 3 and 7 days after a party was notified and 24 h before the deadline, only to the party
 * whose turn it is, quiet hours (22:00–08:00 Shanghai) deferred to 08:00; a tick run twice or two
 * ticks at once send each reminder once; a revoked contract's reminders are dropped. The reminder
 * index is empty afterwards: nothing is left due.
 */
import { runRemindersTick } from '../../cloud-functions/handlers/schedule/reminders-tick'
import { withContractServices } from '../../cloud-functions/runtime/services'
import { sendDueReminders } from '../../cloud-functions/use-cases/notifications/send-due-reminders'
import { reminderIndexPartitions } from '../../cloud-functions/use-cases/notifications/records'
import type { SmsSender } from '../../cloud-functions/ports/sms-sender'
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'

jest.setTimeout(600_000)

/** 22:00 in Shanghai today: a reminder one day later falls in the quiet hours. */
const start = new Date(new Date().toISOString().slice(0, 10) + 'T14:00:00Z')
const clock = new ManualClock(start)
let app: TestApp
let flow: ReturnType<typeof contractFlow>
let people = 0
const person = (name: string) => {
  people += 1
  return flow.verifiedPerson(name, `1390000${String(8000 + people)}`, 80 + people)
}
const at = (iso: string) => clock.advanceSeconds((Date.parse(iso) - clock.now().getTime()) / 1000)
const day = (d: number, hhmmZ: string) => new Date(start.getTime() + d * 86400_000).toISOString().slice(0, 11) + hhmmZ + ':00.000Z'
const tick = () => runRemindersTick(app.deps)
/** Every scheduled reminder in the due index (all its shards). */
const dueIndexItems = async () => (await Promise.all(reminderIndexPartitions().map((p) => app.deps.metadata.queryIndex(p, { limit: 100 })))).flatMap((page) => page.items)
type Entry = { text?: string; link?: string }
const reminders = async (p: Person) => ((await flow.outbox(p.phone)) as Entry[]).filter((e) => e.text?.includes('提醒您签署'))

beforeAll(async () => {
  app = await startTestApp({}, { clock })
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
})

const sentContract = (sender: Person, signers: Person[], order: string[][], title: string, deadline: Date, extra: Record<string, unknown> = {}) =>
  flow.sendToPersons(sender, signers, { order, title, deadline, extra })

it('reminds only the party whose turn it is, at 1/3/7 days and 24 h before the deadline, quiet hours deferred, each once', async () => {
  const [s, a, b, s2, c] = await Promise.all([person('邹发起'), person('喻甲'), person('柏乙'), person('水发起'), person('窦丙')])
  // Deadline: day 10 at 12:00Z (20:00 Shanghai), so the 24 h reminder is day 9 at 20:00 Shanghai.
  const deadline = new Date(day(10, '12:00'))
  const cooperation = await sentContract(s, [a, b], [['A'], ['B']], '合作协议', deadline)
  const revoked = await sentContract(s2, [c], [['A']], '顾问协议', deadline)
  expect((await flow.call('POST', `/api/contracts/${revoked}/revoke`, { reason: '不再需要' }, s2.token)).status).toBe(200)

  // Day 1 at 22:00 Shanghai is in the quiet hours: nothing yet.
  at(day(1, '14:01'))
  await tick()
  expect(await reminders(a)).toHaveLength(0)
  // 08:00 Shanghai the next morning: A is reminded once; B (not their turn yet) and the revoked contract's party are not.
  at(day(2, '00:00'))
  await tick()
  await tick()
  const first = await reminders(a)
  expect(first).toHaveLength(1)
  expect(first[0]!.text).toContain('邹发起提醒您签署《合作协议》')
  expect(await reminders(b)).toHaveLength(0)
  expect(await reminders(c)).toHaveLength(0)

  // (The sandbox outbox keeps a day of messages, so each step below sees only the reminders of the last day.)
  // Day 3 (deferred to day 4 08:00 Shanghai): two ticks at once send it once.
  at(day(3, '23:00'))
  await Promise.all([tick(), tick()])
  expect(await reminders(a)).toHaveLength(0)
  at(day(4, '00:00'))
  await Promise.all([tick(), tick()])
  expect(await reminders(a)).toHaveLength(1)

  // Day 7 → day 8 08:00 Shanghai; then day 9 20:00 Shanghai (24 h before the deadline).
  at(day(8, '00:00'))
  await tick()
  expect(await reminders(a)).toHaveLength(1)
  at(day(9, '11:59'))
  await tick()
  expect(await reminders(a)).toHaveLength(0)
  at(day(9, '12:00'))
  await tick()
  await tick()
  expect(await reminders(a)).toHaveLength(1)
  expect(await reminders(b)).toHaveLength(0)
  expect((await dueIndexItems())).toHaveLength(0)
  // Each reminder that went is in the contract's evidence, once, by the tick (actor `system`).
  const chain = await verifyEvidenceChain(app.deps, { contractId: cooperation })
  if (!chain.ok) throw new Error(chain.error.message)
  const sent = chain.value.records.filter((r) => r.type === 'reminder.sent')
  expect(sent.map((r) => [r.data, r.context])).toEqual([1, 2, 3, 4].map(() => [{ contractId: cooperation, partyId: 'A', channel: 'sms' }, { actor: 'system' }]))
})

it('a reminder the provider did not accept stays due and goes on a later tick after a backoff', async () => {
  // A party with no account yet: SMS is their only channel (an account would also get an in-app message).
  const [s, d] = await Promise.all([person('祁发起'), Promise.resolve({ name: '毛丁', phone: '13900008990', idNumber: '', token: '', userId: '' } as Person)])
  at(day(9, '12:00'))
  await sentContract(s, [d], [['A']], '保密协议', new Date(day(12, '12:00')))
  const services = await withContractServices(app.deps)
  // The gateway refuses every notice (a stand-in for the provider only; the tick's code is real).
  const refusing: SmsSender = { ...services.sms, describe: () => services.sms.describe(), sendVerificationCode: (i) => services.sms.sendVerificationCode(i), sendNotice: async () => ({ ok: false, reason: 'rejected', providerCode: 'LimitExceeded' }) }
  at(day(10, '12:00'))
  expect(await sendDueReminders({ ...services, sms: refusing })).toEqual({ sent: 0, dropped: 0, failed: 1 })
  expect(await reminders(d)).toHaveLength(0)
  const left = (await dueIndexItems())
  expect(left.map((i) => [i.slot, i.attempts, String(i.gsi1sk).slice(0, 24)])).toEqual(expect.arrayContaining([['d1', 1, day(10, '12:05')]]))
  // Not yet due again before the backoff ends; then the real provider accepts it, once.
  at(day(10, '12:04'))
  await tick()
  expect(await reminders(d)).toHaveLength(0)
  at(day(10, '12:05'))
  await tick()
  await tick()
  expect(await reminders(d)).toHaveLength(1)
})

it('the sender chooses the reminders at send time (other days, no deadline reminder) or switches them off; the view shows what is in force; bad settings are refused', async () => {
  const [s, a, b, d] = await Promise.all([person('阮发起'), person('滕甲'), person('殷乙'), person('罗丁')])
  const base = clock.now().getTime()
  const deadline = new Date(base + 10 * 86400_000)
  const dueOf = async (contractId: string) => (await dueIndexItems()).filter((i) => i.contractId === contractId).map((i) => i.slot)

  const custom = await sentContract(s, [a], [['A']], '定制催办', deadline, { reminders: { afterDays: [2], beforeDeadlineHours: null } })
  const off = await sentContract(s, [b], [['A']], '不催办', deadline, { reminders: { afterDays: [], beforeDeadlineHours: null } })
  const plain = await sentContract(s, [d], [['A']], '默认催办', deadline)
  expect((await flow.call('GET', `/api/contracts/${custom}`, undefined, s.token)).body.reminders).toEqual({ afterDays: [2], beforeDeadlineHours: null })
  expect((await flow.call('GET', `/api/contracts/${off}`, undefined, s.token)).body.reminders).toEqual({ afterDays: [], beforeDeadlineHours: null })
  expect((await flow.call('GET', `/api/contracts/${plain}`, undefined, s.token)).body.reminders).toEqual({ afterDays: [1, 3, 7], beforeDeadlineHours: 24 })
  expect(await dueOf(custom)).toEqual(['d2'])
  expect(await dueOf(off)).toEqual([])
  expect((await dueOf(plain)).sort()).toEqual(['d1', 'd3', 'd7', 'deadline'])

  // Refused, nothing stored (before the clock moves on: sessions last a day): a day out of range, a repeated day, too many hours.
  const documentId = await flow.upload(s.token, await makePdf('Remind', 1))
  for (const reminders of [{ afterDays: [0], beforeDeadlineHours: null }, { afterDays: [2, 2], beforeDeadlineHours: null }, { afterDays: [], beforeDeadlineHours: 500 }]) {
    const bad = await flow.call('POST', '/api/contracts', {
      title: '错误设置',
      documentId,
      parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: a.name, phone: a.phone }],
      order: [['A']],
      fields: [{ fieldId: 's0', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
      deadline: deadline.toISOString(),
      reminders,
    }, s.token)
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'VALIDATION_FAILED'])
  }

  // Two days and a morning later: the custom party is reminded once, the switched-off one never.
  at(new Date(base + 3 * 86400_000).toISOString().slice(0, 11) + '01:00:00.000Z')
  await tick()
  await tick()
  expect(await reminders(a)).toHaveLength(1)
  expect(await reminders(b)).toHaveLength(0)
})
