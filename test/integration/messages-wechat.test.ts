/**
 * WeChat subscription messages (issue 15) in the local server, with the real adapter against the
 * fake api.weixin.qq.com (test/support/fake-wechat.ts checks tokens, openids, templates, keyword
 * limits and spends one subscription per send, as WeChat does): a person who logged in with WeChat
 * records the answer of `wx.requestSubscribeMessage`; a notice then goes as a subscription message
 * instead of an SMS; with none left (by our count or by WeChat's 43101), with WeChat down, or with
 * the channel turned off, the SMS (the sandbox outbox) goes instead, and a subscription WeChat did
 * not use is given back.
 */
import { withIdentityServices } from '../../cloud-functions/runtime/services'
import { createNotifier } from '../../cloud-functions/use-cases/messages/create-notifier'
import { apiClient } from '../support/api-client'
import { FakeWeChat } from '../support/fake-wechat'
import { startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(120_000)

const APP = 'wx-notice-app'
const SECRET = 'wx-notice-secret'
const SIGN = 'tmpl-sign-request-1'
const DONE = 'tmpl-completed-1'
const OPENID = 'openid-notice-1'
const PHONE = '13800000009'
let wechat: FakeWeChat
let app: TestApp
let token: string
let userId: string

const notice = { kind: 'sign-request' as const, sender: '周九', title: '劳动合同', link: 'http://x/s/abc', deadline: '2026-12-10 18:00' }
const smsTo = async (phone: string) => (await apiClient(app).outbox(phone)).length

beforeAll(async () => {
  wechat = await new FakeWeChat(APP, SECRET).start()
  wechat.templates.add(SIGN).add(DONE)
  app = await startTestApp({
    ESIGN_WECHAT_APP_ID: APP,
    ESIGN_WECHAT_APP_SECRET: SECRET,
    ESIGN_WECHAT_API_BASE: wechat.url,
    ESIGN_WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify({ 'sign-request': SIGN, completed: DONE }),
  })
  const login = await apiClient(app).call('POST', '/api/auth/wechat-login', { code: wechat.issueCode(OPENID) })
  expect(login.status).toBe(200)
  token = login.body.token
  userId = login.body.account.userId
})
afterAll(async () => {
  await app?.stop()
  await wechat?.stop()
})

it('lists the templates to subscribe to; records accepts (one each), ignores rejects, refuses a template that is not ours', async () => {
  const { call } = apiClient(app)
  expect((await call('GET', '/api/messages/wechat-subscriptions', undefined, token)).body).toEqual({ templates: { 'sign-request': SIGN, completed: DONE }, credits: { [SIGN]: 0, [DONE]: 0 } })
  const recorded = await call('POST', '/api/messages/wechat-subscriptions', { results: { [SIGN]: 'accept', [DONE]: 'reject' } }, token)
  expect(recorded.body).toEqual({ templates: { 'sign-request': SIGN, completed: DONE }, credits: { [SIGN]: 1, [DONE]: 0 } })
  const foreign = await call('POST', '/api/messages/wechat-subscriptions', { results: { [SIGN]: 'accept', 'tmpl-other': 'accept' } }, token)
  expect(foreign.status).toBe(400)
  expect(foreign.body.error.code).toBe('VALIDATION_FAILED')
  expect((await call('GET', '/api/messages/wechat-subscriptions', undefined, token)).body.credits[SIGN]).toBe(1)
  expect((await call('GET', '/api/messages/wechat-subscriptions')).status).toBe(401)
  expect(app.logs()).not.toContain(OPENID)
})

it('a notice goes as a subscription message (no SMS) while one is left, then by SMS', async () => {
  wechat.grantSubscription(OPENID, SIGN, 1) // WeChat's side of the accept recorded above
  const notifier = createNotifier(await withIdentityServices(app.deps))
  const before = await smsTo(PHONE)
  expect(await notifier.notify({ userId, phone: PHONE }, notice, { contractId: 'ct_wx1' })).toEqual({ ok: true, channels: ['in-app', 'wechat'] })
  expect(wechat.delivered.at(-1)).toMatchObject({ touser: OPENID, template_id: SIGN, page: 'packages/contracts/pages/detail/index?contractId=ct_wx1', data: { thing1: { value: '劳动合同' }, phrase3: { value: '待签署' }, time4: { value: '2026年12月10日 18:00' } } })
  expect(await smsTo(PHONE)).toBe(before)
  // None left by our count: SMS, and WeChat is not called.
  const delivered = wechat.delivered.length
  expect(await notifier.notify({ userId, phone: PHONE }, notice, { contractId: 'ct_wx1' })).toEqual({ ok: true, channels: ['in-app', 'sms'] })
  expect(wechat.delivered.length).toBe(delivered)
  expect(await smsTo(PHONE)).toBe(before + 1)
  // A kind with no template configured: SMS.
  expect(await notifier.notify({ userId, phone: PHONE }, { kind: 'expired', title: '劳动合同' }, {})).toEqual({ ok: true, channels: ['in-app', 'sms'] })
})

it('falls back to SMS when WeChat says none is left (43101, our count zeroed) or is down (-1, the subscription given back); and when the person turned WeChat off', async () => {
  const { call } = apiClient(app)
  const notifier = createNotifier(await withIdentityServices(app.deps))
  const credits = async () => (await call('GET', '/api/messages/wechat-subscriptions', undefined, token)).body.credits[SIGN] as number
  await call('POST', '/api/messages/wechat-subscriptions', { results: { [SIGN]: 'accept' } }, token)
  await call('POST', '/api/messages/wechat-subscriptions', { results: { [SIGN]: 'accept' } }, token)
  expect(await credits()).toBe(2)
  // WeChat has none (the user's accept never reached it): 43101 → SMS, our count set to 0.
  expect(wechat.subscriptionsLeft(OPENID, SIGN)).toBe(0)
  let sms = await smsTo(PHONE)
  expect(await notifier.notify({ userId, phone: PHONE }, notice, {})).toEqual({ ok: true, channels: ['in-app', 'sms'] })
  expect(await credits()).toBe(0)
  expect(await smsTo(PHONE)).toBe(sms + 1)
  // WeChat down: SMS, and the subscription is still there for the next notice.
  await call('POST', '/api/messages/wechat-subscriptions', { results: { [SIGN]: 'accept' } }, token)
  wechat.grantSubscription(OPENID, SIGN, 1)
  wechat.nextSendErrcode = -1
  sms = await smsTo(PHONE)
  expect(await notifier.notify({ userId, phone: PHONE }, notice, {})).toEqual({ ok: true, channels: ['in-app', 'sms'] })
  expect(await credits()).toBe(1)
  expect(await smsTo(PHONE)).toBe(sms + 1)
  // Turned off in settings: SMS, the subscription kept.
  expect((await call('PUT', '/api/messages/channels', { wechat: false }, token)).status).toBe(200)
  expect(await notifier.notify({ userId, phone: PHONE }, notice, {})).toEqual({ ok: true, channels: ['in-app', 'sms'] })
  expect(await credits()).toBe(1)
  // Back on: it goes by WeChat again.
  expect((await call('PUT', '/api/messages/channels', { wechat: true }, token)).status).toBe(200)
  expect(await notifier.notify({ userId, phone: PHONE }, notice, {})).toEqual({ ok: true, channels: ['in-app', 'wechat'] })
  expect(await credits()).toBe(0)
  expect(app.logs()).not.toContain(OPENID)
  expect(app.logs()).not.toContain(SECRET)
})
