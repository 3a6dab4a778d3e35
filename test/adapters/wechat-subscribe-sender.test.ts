/**
 * The WeChat subscription-message adapter against the fake api.weixin.qq.com (test/support/fake-wechat.ts,
 * which checks the requests as CHINA-APIS.md §4.2–4.3 says WeChat does): the stable_token is fetched
 * once and cached until 5 minutes before it expires, then fetched again; a token WeChat dropped
 * (40001) is fetched again and the send retried once; 43101 (no subscription left) and 47003
 * (a keyword value over its limit) are answers, `-1` an outage.
 */
import { WeChatSubscribeSender } from '../../cloud-functions/adapters/wechat/wechat-subscribe-sender'
import { wechatNoticeData } from '../../cloud-functions/core/messages/wechat-notice'
import { ProviderRejectedError, ProviderUnavailableError } from '../../cloud-functions/ports/provider-errors'
import { FakeWeChat } from '../support/fake-wechat'
import { ManualClock } from '../support/manual-clock'

const APP = 'wx-sub-app'
const SECRET = 'wx-sub-secret'
const TEMPLATE = 'tmpl-sign-request'
const OPENID = 'openid-sub-1'
let wechat: FakeWeChat
let clock: ManualClock
let sender: WeChatSubscribeSender

const message = (data: Record<string, string> = wechatNoticeData({ kind: 'completed', title: '劳动合同', link: 'x' }, '2026-12-04 16:05')) => ({
  openid: OPENID,
  templateId: TEMPLATE,
  page: 'packages/contracts/pages/detail/index?contractId=c1',
  data,
})

beforeAll(async () => {
  wechat = await new FakeWeChat(APP, SECRET).start()
  wechat.templates.add(TEMPLATE)
  // The openid becomes known to the fake through a login, as in the product.
  const code = wechat.issueCode(OPENID)
  await fetch(`${wechat.url}/sns/jscode2session?appid=${APP}&secret=${SECRET}&js_code=${code}&grant_type=authorization_code`)
})
afterAll(() => wechat.stop())
beforeEach(() => {
  clock = new ManualClock()
  sender = new WeChatSubscribeSender({ appId: APP, appSecret: SECRET, apiBase: wechat.url, clock, miniprogramState: 'developer' })
  wechat.invalidateToken()
  wechat.tokenRequests = 0
})

it('fetches the stable token once for many sends (concurrent ones included), and again once it is within 5 minutes of expiry', async () => {
  wechat.grantSubscription(OPENID, TEMPLATE, 5)
  expect(await Promise.all([sender.send(message()), sender.send(message())])).toEqual([{ ok: true }, { ok: true }])
  expect(await sender.send(message())).toEqual({ ok: true })
  expect(wechat.tokenRequests).toBe(1)
  clock.advanceSeconds(7200 - 301)
  expect(await sender.send(message())).toEqual({ ok: true })
  expect(wechat.tokenRequests).toBe(1)
  clock.advanceSeconds(2)
  expect(await sender.send(message())).toEqual({ ok: true })
  expect(wechat.tokenRequests).toBe(2)
  const last = wechat.delivered.at(-1)!
  expect(last).toMatchObject({ touser: OPENID, template_id: TEMPLATE, page: 'packages/contracts/pages/detail/index?contractId=c1' })
  expect(last.data).toEqual({ thing1: { value: '劳动合同' }, thing2: { value: '签约' }, phrase3: { value: '已完成' }, time4: { value: '2026年12月4日 16:05' } })
})

it('a token WeChat no longer accepts (40001) is fetched again and the send retried once', async () => {
  wechat.grantSubscription(OPENID, TEMPLATE, 1)
  expect(await sender.send(message())).toEqual({ ok: true })
  wechat.invalidateToken()
  wechat.grantSubscription(OPENID, TEMPLATE, 1)
  expect(await sender.send(message())).toEqual({ ok: true })
  expect(wechat.tokenRequests).toBe(2)
})

it('43101 when no subscription is left; 47003 for a value over its type’s limit (what the keyword cutting prevents); -1 is an outage', async () => {
  while (wechat.subscriptionsLeft(OPENID, TEMPLATE) > 0) await sender.send(message())
  expect(await sender.send(message())).toEqual({ ok: false, reason: 'no-subscription', errcode: 43101 })
  wechat.grantSubscription(OPENID, TEMPLATE, 1)
  const long = '上海示例科技有限公司与北京某某贸易有限公司年度采购框架协议'
  expect(await sender.send(message({ thing1: long, thing2: '签约', phrase3: '已完成', time4: '2026年12月4日 16:05' }))).toEqual({ ok: false, reason: 'rejected', errcode: 47003 })
  const fitted = wechatNoticeData({ kind: 'sign-request', sender: '上海示例科技有限公司（采购部）', title: long, link: 'x', deadline: '2026-12-10 18:00' }, '2026-12-04 16:05')
  expect(Array.from(fitted.thing1!)).toHaveLength(20)
  expect(await sender.send(message(fitted))).toEqual({ ok: true })
  wechat.grantSubscription(OPENID, TEMPLATE, 1)
  wechat.nextSendErrcode = -1
  await expect(sender.send(message())).rejects.toBeInstanceOf(ProviderUnavailableError)
})

it('a wrong app secret is a rejection of the configuration, not an outage', async () => {
  const wrong = new WeChatSubscribeSender({ appId: APP, appSecret: 'not-the-secret', apiBase: wechat.url, clock })
  await expect(wrong.send(message())).rejects.toBeInstanceOf(ProviderRejectedError)
})
