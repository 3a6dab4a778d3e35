/**
 * 催办 (issue 15) over HTTP against the real local server with a controllable clock: the sender
 * chases the parties whose turn it is (one or all), each gets a notice naming the sender and the
 * contract with a fresh signing link (the old link stops working); a party is chased at most once
 * per 24 hours, and the carriers' same-text limit (30 s per number) answers a typed 429 with
 * `retryAfter` before anything is sent.
 */
import { verifyEvidenceChain } from '../../cloud-functions/use-cases/evidence/verify-evidence-chain'
import { contractFlow, type Person } from '../support/contract-flow'
import { startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'

jest.setTimeout(600_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>
const clock = new ManualClock()
let people = 0
const person = (name: string) => {
  people += 1
  return flow.verifiedPerson(name, `1390000${String(7000 + people)}`, 70 + people)
}

beforeAll(async () => {
  app = await startTestApp({}, { clock })
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
})

const sentContract = (sender: Person, signers: Person[], order: string[][], title = '服务协议') =>
  flow.sendToPersons(sender, signers, { order, title, deadline: new Date(clock.now().getTime() + 7 * 86400_000) })

type Entry = { text?: string; link?: string }
const entries = async (p: Person) => (await flow.outbox(p.phone)) as Entry[]
const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1)

describe('chase (催办)', () => {
  it('only the sender chases, only parties whose turn it is; the notice names sender and title with a fresh link; once per 24 h', async () => {
    const [s, a, b] = await Promise.all([person('孔发起'), person('曹甲'), person('严乙')])
    const id = await sentContract(s, [a, b], [['A'], ['B']], '采购合同')
    const firstLink = (await entries(a))[0]!.link!
    expect(firstLink).toContain('/s/')

    const byParty = await flow.call('POST', `/api/contracts/${id}/chase`, {}, a.token)
    expect([byParty.status, byParty.body.error.code]).toEqual([403, 'NOT_THE_SENDER'])
    const notYet = await flow.call('POST', `/api/contracts/${id}/chase`, { partyId: 'B' }, s.token)
    expect([notYet.status, notYet.body.error.code]).toEqual([409, 'PARTY_NOT_PENDING'])
    const bBefore = (await entries(b)).length

    const chased = await flow.call('POST', `/api/contracts/${id}/chase`, {}, s.token, { 'idempotency-key': 'chase-a-first' })
    expect([chased.status, chased.body]).toEqual([200, { chased: [{ partyId: 'A', name: '曹甲' }], skipped: [] }])
    const notice = (await entries(a))[0]!
    expect(notice.text).toContain('孔发起提醒您签署《采购合同》')
    expect(notice.link).toContain('/s/')
    expect(notice.link).not.toBe(firstLink)
    expect((await entries(b)).length).toBe(bBefore)
    // The fresh link works; the old one was replaced.
    expect((await flow.call('GET', `/api/signing-links/${tokenOf(notice.link!)}`)).status).toBe(200)
    const old = await flow.call('GET', `/api/signing-links/${tokenOf(firstLink)}`)
    expect(old.body.error.code).toBe('LINK_INVALID')
    // A retry with the same Idempotency-Key replays the answer and sends nothing more.
    const countA = (await entries(a)).length
    const replay = await flow.call('POST', `/api/contracts/${id}/chase`, {}, s.token, { 'idempotency-key': 'chase-a-first' })
    expect(replay.status).toBe(200)
    expect((await entries(a)).length).toBe(countA)

    // Again within 24 h: refused with the time it can be sent.
    clock.advanceSeconds(3600)
    const again = await flow.call('POST', `/api/contracts/${id}/chase`, { partyId: 'A' }, s.token)
    expect(again.status).toBe(429)
    expect(again.body.error).toMatchObject({ code: 'CHASE_TOO_SOON', message: expect.stringContaining('24 小时'), details: { retryAfter: expect.any(String) } })
    expect(Date.parse(again.body.error.details.retryAfter)).toBe(clock.now().getTime() + 23 * 3600_000)
    expect((await entries(a)).length).toBe(countA)

    clock.advanceSeconds(23 * 3600)
    const { token } = await flow.login(s.phone, 71) // the day-old session has ended
    const later = await flow.call('POST', `/api/contracts/${id}/chase`, { partyId: 'A' }, token)
    expect([later.status, later.body.chased]).toEqual([200, [{ partyId: 'A', name: '曹甲' }]])
    // (The sandbox outbox keeps a day of messages: the newest is this chase, with yet another link.)
    const newest = (await entries(a))[0]!
    expect(newest.text).toContain('孔发起提醒您签署《采购合同》')
    expect(newest.link).not.toBe(notice.link)
    // Each chase that went is evidence: reminder.sent by the sender, from the request's address.
    const chain = await verifyEvidenceChain(app.deps, { contractId: id })
    if (!chain.ok) throw new Error(chain.error.message)
    const sent = chain.value.records.filter((r) => r.type === 'reminder.sent')
    expect(sent.map((r) => r.data)).toEqual([1, 2].map(() => ({ contractId: id, partyId: 'A', channel: 'sms' })))
    expect(sent.map((r) => r.context?.actor)).toEqual([`user:${s.userId}`, `user:${s.userId}`])
    expect(sent.every((r) => typeof r.context?.ip === 'string')).toBe(true)
  })

  it("the carriers' limit: the same text to the same number within 30 s is refused with retryAfter, then goes", async () => {
    const [s, x] = await Promise.all([person('魏发起'), person('陶丙')])
    const first = await sentContract(s, [x], [['A']], '租赁合同')
    const second = await sentContract(s, [x], [['A']], '租赁合同')
    const ok1 = await flow.call('POST', `/api/contracts/${first}/chase`, {}, s.token)
    expect([ok1.status, ok1.body.chased]).toEqual([200, [{ partyId: 'A', name: '陶丙' }]])
    const count = (await entries(x)).length

    clock.advanceSeconds(10)
    const limited = await flow.call('POST', `/api/contracts/${second}/chase`, {}, s.token)
    expect(limited.status).toBe(429)
    expect(limited.body.error).toMatchObject({ code: 'SMS_CARRIER_LIMIT', details: { retryAfter: expect.any(String) } })
    expect(Date.parse(limited.body.error.details.retryAfter)).toBe(clock.now().getTime() + 20_000)
    expect((await entries(x)).length).toBe(count)

    clock.advanceSeconds(21)
    const ok2 = await flow.call('POST', `/api/contracts/${second}/chase`, {}, s.token)
    expect([ok2.status, ok2.body.chased]).toEqual([200, [{ partyId: 'A', name: '陶丙' }]])
    expect((await entries(x)).length).toBe(count + 1)
  })

  it('two chases at once send one notice', async () => {
    const [s, y] = await Promise.all([person('华发起'), person('金丁')])
    const id = await sentContract(s, [y], [['A']], '借款合同')
    const count = (await entries(y)).length
    const both = await Promise.all([1, 2].map(() => flow.call('POST', `/api/contracts/${id}/chase`, {}, s.token)))
    expect(both.map((r) => r.status).sort()).toEqual([200, 429])
    expect((await entries(y)).length).toBe(count + 1)
  })
})

describe('chase through the party channels', () => {
  it('a party who turned SMS off is chased by an in-app message only', async () => {
    const [s, q] = await Promise.all([person('骆发起'), person('冼丙')])
    const off = await flow.call('PUT', '/api/messages/channels', { sms: false }, q.token)
    expect(off.status).toBe(200)
    const id = await sentContract(s, [q], [['A']], '咨询协议')
    clock.advanceSeconds(60)
    const smsBefore = (await entries(q)).length
    const chased = await flow.call('POST', `/api/contracts/${id}/chase`, {}, s.token)
    expect([chased.status, chased.body]).toEqual([200, { chased: [{ partyId: 'A', name: '冼丙' }], skipped: [] }])
    expect((await entries(q)).length).toBe(smsBefore)
    const messages = await flow.call('GET', '/api/messages', undefined, q.token)
    const reminders = (messages.body.items as Array<{ kind: string; body: string; contractId?: string }>).filter((m) => m.kind === 'reminder' && m.contractId === id)
    expect(reminders).toHaveLength(1)
    expect(reminders[0]!.body).toContain('咨询协议')
  })
})
