/**
 * In-app messages (站内信, issue 15) over HTTP against the real local server: a contract's notices
 * land in the message list of each person with an account (a signer asked to sign, the sender told
 * of a decline), with an unread count; marking read works only on one's own messages; read-all
 * clears the count; paging, bad ids and unauthenticated calls answer as documented.
 */
import { contractFlow, type Person } from '../support/contract-flow'
import { startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(300_000)

let app: TestApp
let flow: ReturnType<typeof contractFlow>

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
})

const sentContract = (sender: Person, signer: Person, title: string) =>
  flow.sendToPersons(sender, [signer], { order: [['A']], title, deadline: new Date(Date.now() + 7 * 86400_000) })

const unread = async (who: Person) => {
  const r = await flow.call('GET', '/api/messages/unread-count', undefined, who.token)
  expect(r.status).toBe(200)
  return r.body.unread as number
}

it('a notice lands in the message list of its account; only the owner marks it read; read-all clears the count', async () => {
  const [s, a, other] = await Promise.all([flow.verifiedPerson('孔发起', '13900007101', 71), flow.verifiedPerson('严签署', '13900007102', 72), flow.verifiedPerson('华旁人', '13900007103', 73)])
  expect(await unread(a)).toBe(0)
  const first = await sentContract(s, a, '房屋租赁合同')
  const second = await sentContract(s, a, '车位租赁合同')

  expect(await unread(a)).toBe(2)
  const list = await flow.call('GET', '/api/messages', undefined, a.token)
  expect(list.status).toBe(200)
  expect(list.body.items).toHaveLength(2)
  expect(list.body.items[0]).toMatchObject({ kind: 'sign-request', title: '待您签署', contractId: second, read: false })
  expect(list.body.items[0].body).toContain('「车位租赁合同」')
  expect(list.body.items[0].body).toContain('孔发起')
  expect(list.body.items[1]).toMatchObject({ contractId: first, read: false })
  expect(JSON.stringify(list.body)).not.toContain('13900007102')
  expect(await unread(other)).toBe(0)
  expect((await flow.call('GET', '/api/messages', undefined, other.token)).body.items).toEqual([])

  // Paging: newest first, `next` continues below.
  const page1 = await flow.call('GET', '/api/messages?limit=1', undefined, a.token)
  expect(page1.body.items.map((m: { contractId: string }) => m.contractId)).toEqual([second])
  expect(page1.body.next).toBe(page1.body.items[0].messageId)
  const page2 = await flow.call('GET', `/api/messages?limit=1&cursor=${page1.body.next}`, undefined, a.token)
  expect(page2.body.items.map((m: { contractId: string }) => m.contractId)).toEqual([first])
  expect(page2.body.next).toBeUndefined()

  // Someone else's message is not found for them, and stays unread.
  const messageId = list.body.items[0].messageId as string
  const foreign = await flow.call('POST', `/api/messages/${messageId}/read`, undefined, other.token)
  expect([foreign.status, foreign.body.error?.code]).toEqual([404, 'MESSAGE_NOT_FOUND'])
  expect(await unread(a)).toBe(2)

  const read = await flow.call('POST', `/api/messages/${messageId}/read`, undefined, a.token)
  expect([read.status, read.body.read, read.body.messageId]).toEqual([200, true, messageId])
  expect(await unread(a)).toBe(1)
  const again = await flow.call('POST', `/api/messages/${messageId}/read`, undefined, a.token)
  expect([again.status, again.body.read]).toEqual([200, true])
  expect(await unread(a)).toBe(1)

  // A decline tells the sender (not a party) in their list too.
  const declined = await flow.call('POST', `/api/contracts/${first}/decline`, { reason: '租金需要再商量' }, a.token, { 'idempotency-key': 'messages-decline-1' })
  expect(declined.status).toBe(200)
  const senderList = await flow.call('GET', '/api/messages', undefined, s.token)
  expect(senderList.body.items[0]).toMatchObject({ kind: 'declined', title: '合同被拒签', contractId: first, read: false })
  expect(senderList.body.items[0].body).toContain('租金需要再商量')

  const all = await flow.call('POST', '/api/messages/read-all', undefined, a.token)
  expect([all.status, all.body.unread]).toEqual([200, 0])
  expect(await unread(a)).toBe(0)
  expect(await unread(s)).toBe(1)
  const after = await flow.call('GET', '/api/messages', undefined, a.token)
  expect(after.body.items.every((m: { read: boolean }) => m.read)).toBe(true)
})

it('bad ids and queries are 400; without a session 401', async () => {
  const p = await flow.verifiedPerson('卫查询', '13900007104', 74)
  const bad = await flow.call('POST', '/api/messages/bad%20id!/read', undefined, p.token)
  expect([bad.status, bad.body.error?.code]).toEqual([400, 'VALIDATION_FAILED'])
  const badQuery = await flow.call('GET', '/api/messages?limit=0', undefined, p.token)
  expect([badQuery.status, badQuery.body.error?.code]).toEqual([400, 'VALIDATION_FAILED'])
  const missing = await flow.call('POST', '/api/messages/01ABCDEFGHJKMNPQRSTVWXYZ00/read', undefined, p.token)
  expect([missing.status, missing.body.error?.code]).toEqual([404, 'MESSAGE_NOT_FOUND'])
  const anonymous = await flow.call('GET', '/api/messages', undefined)
  expect(anonymous.status).toBe(401)
})

describe('channel settings', () => {
  it('defaults, e-mail needs an address, the address is stored encrypted and answered masked', async () => {
    const p = await flow.verifiedPerson('钱设置', '13900007105', 75)
    const initial = await flow.call('GET', '/api/messages/channels', undefined, p.token)
    expect([initial.status, initial.body]).toEqual([200, { sms: true, wechat: true, email: false }])

    const noAddress = await flow.call('PUT', '/api/messages/channels', { email: true }, p.token)
    expect([noAddress.status, noAddress.body.error?.code]).toEqual([400, 'VALIDATION_FAILED'])
    const badAddress = await flow.call('PUT', '/api/messages/channels', { email: true, emailAddress: 'not-an-address' }, p.token)
    expect([badAddress.status, badAddress.body.error?.code]).toEqual([400, 'VALIDATION_FAILED'])
    const unknownField = await flow.call('PUT', '/api/messages/channels', { fax: true }, p.token)
    expect(unknownField.status).toBe(400)
    expect((await flow.call('GET', '/api/messages/channels', undefined, p.token)).body).toEqual({ sms: true, wechat: true, email: false })

    const on = await flow.call('PUT', '/api/messages/channels', { email: true, emailAddress: 'qianshezhi@example.com', wechat: false }, p.token)
    expect([on.status, on.body]).toEqual([200, { sms: true, wechat: false, email: true, maskedEmail: 'q***@example.com' }])
    expect((await flow.call('GET', '/api/messages/channels', undefined, p.token)).body).toEqual(on.body)
    const stored = await app.deps.metadata.get(`CHANNELS#${p.userId}`, 'SETTINGS')
    expect(stored).toBeDefined()
    expect(JSON.stringify(stored)).not.toContain('qianshezhi')

    const removed = await flow.call('PUT', '/api/messages/channels', { emailAddress: null }, p.token)
    expect([removed.status, removed.body]).toEqual([200, { sms: true, wechat: false, email: false }])
    expect((await flow.call('GET', '/api/messages/channels', undefined, p.token)).status).toBe(200)
    expect((await flow.call('PUT', '/api/messages/channels', { sms: false }, undefined)).status).toBe(401)
  })

  it('a person who turned SMS off gets the notice only in the app; with SMS on, both', async () => {
    const [s, quiet, loud] = await Promise.all([flow.verifiedPerson('孙发起', '13900007106', 76), flow.verifiedPerson('李静音', '13900007107', 77), flow.verifiedPerson('周短信', '13900007108', 78)])
    expect((await flow.call('PUT', '/api/messages/channels', { sms: false }, quiet.token)).status).toBe(200)
    const smsCount = async (phone: string) => (await flow.outbox(phone)).filter((e) => !(e as { code?: string }).code).length
    const [quietBefore, loudBefore] = [await smsCount(quiet.phone), await smsCount(loud.phone)]

    await sentContract(s, quiet, '静音合同')
    await sentContract(s, loud, '短信合同')

    expect(await smsCount(quiet.phone)).toBe(quietBefore)
    expect(await smsCount(loud.phone)).toBe(loudBefore + 1)
    expect(await unread(quiet)).toBe(1)
    expect(await unread(loud)).toBe(1)
  })
})
