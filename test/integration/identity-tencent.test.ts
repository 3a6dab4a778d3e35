import { FakeTencentCloud, type FakeCall } from '../support/fake-tencent-cloud'
import { FakeWeChat } from '../support/fake-wechat'
import { startTestApp, type TestApp } from '../support/local-app'

const SECRET_ID = 'AKIDlocalServerTest000000000000000'
const SECRET_KEY = 'localServerTestKey00000000000000'
const PERSON = { name: '张三', idNumber: '110101199003070011', phone: '13800000001' }

describe('the local server with the real Tencent Cloud and WeChat adapters, against fakes that check the wire protocol', () => {
  let tencent: FakeTencentCloud
  let wechat: FakeWeChat
  let app: TestApp
  const sentCodes = new Map<string, string>()
  const faceState = new Map<string, number>()
  let idCardAnswer: () => Record<string, unknown> = () => ({ Result: '0', Description: '一致' })

  beforeAll(async () => {
    tencent = await new FakeTencentCloud({ [SECRET_ID]: SECRET_KEY }).start()
    wechat = await new FakeWeChat('wx-test-app', 'wx-test-secret').start()
    tencent.answer = (call: FakeCall) => {
      switch (call.action) {
        case 'SendSms': {
          const [number] = call.body.PhoneNumberSet as string[]
          sentCodes.set(number!, (call.body.TemplateParamSet as string[])[0]!)
          return { SendStatusSet: [{ SerialNo: `serial-${sentCodes.size}`, PhoneNumber: number, Fee: 1, Code: 'Ok', Message: 'send success', IsoCode: 'CN' }] }
        }
        case 'IdCardVerification':
          return idCardAnswer()
        case 'PhoneVerification':
          return { Result: '0', Description: '认证通过', Isp: '移动' }
        case 'DetectAuth': {
          const token = `BT-${faceState.size + 1}`
          faceState.set(token, 17)
          return { Url: `https://h5.faceid.example/?token=${token}`, BizToken: token }
        }
        case 'GetDetectInfoEnhanced':
          return { Text: { ErrCode: faceState.get(String(call.body.BizToken)) ?? 15, ErrMsg: '', Sim: '95' } }
        default:
          return { Error: { Code: 'InvalidAction', Message: call.action } }
      }
    }
    app = await startTestApp({
      ESIGN_IDENTITY_PROVIDER: 'tencent',
      ESIGN_SMS_PROVIDER: 'tencent',
      TENCENTCLOUD_SECRET_ID: SECRET_ID,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
      ESIGN_TENCENT_FACEID_ENDPOINT: tencent.url,
      ESIGN_TENCENT_OCR_ENDPOINT: tencent.url,
      ESIGN_TENCENT_SMS_ENDPOINT: tencent.url,
      ESIGN_FACEID_RULE_ID: '1',
      ESIGN_SMS_SDK_APP_ID: '1400000000',
      ESIGN_SMS_SIGN_NAME: '签约',
      ESIGN_SMS_TEMPLATE_ID: '100',
      ESIGN_PROVIDER_TIMEOUT_MS: '500',
      ESIGN_WECHAT_APP_ID: 'wx-test-app',
      ESIGN_WECHAT_APP_SECRET: 'wx-test-secret',
      ESIGN_WECHAT_API_BASE: wechat.url,
    })
  })
  afterAll(async () => {
    await app.stop()
    await tencent.stop()
    await wechat.stop()
  })

  const call = async (method: string, p: string, body?: unknown, token?: string) => {
    const res = await fetch(`${app.url}${p}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as any }
  }

  let token: string
  it('logs in with a code delivered through SendSms (signed request, per-number status)', async () => {
    expect((await call('POST', '/api/auth/sms-codes', { phone: PERSON.phone })).body).toMatchObject({ maskedPhone: '138****0001', sandbox: false })
    const login = await call('POST', '/api/auth/sms-login', { phone: PERSON.phone, code: sentCodes.get(`+86${PERSON.phone}`) })
    expect(login.status).toBe(200)
    token = login.body.token
    expect(tencent.calls.map((c) => `${c.service}.${c.action}`)).toEqual(['sms.SendSms'])
  })

  it('a provider timeout is a retryable 503 and advances nothing', async () => {
    idCardAnswer = () => ({ $hang: true })
    const r = await call('POST', '/api/identity/person', PERSON, token)
    expect(r.status).toBe(503)
    expect(r.body.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { retryable: true } })
    expect((await call('GET', '/api/identity/person', undefined, token)).body).toMatchObject({ status: 'unverified', sandbox: false })
    idCardAnswer = () => ({ Result: '-1', Description: '姓名和身份证号不一致' })
    expect((await call('POST', '/api/identity/person', PERSON, token)).body.error).toMatchObject({ code: 'IDENTITY_MISMATCH', details: { reason: 'mismatch', providerCode: '-1' } })
    idCardAnswer = () => ({ Result: '0', Description: '一致' })
  })

  it('verifies a person through IdCardVerification, PhoneVerification, DetectAuth and GetDetectInfoEnhanced', async () => {
    expect((await call('POST', '/api/identity/person', PERSON, token)).body).toMatchObject({ status: 'checked', sandbox: false })
    const face = await call('POST', '/api/identity/person/face', {}, token)
    expect(face.body.url).toMatch(/^https:\/\/h5\.faceid\.example\/\?token=BT-1$/)
    const detect = tencent.calls.find((c) => c.action === 'DetectAuth')!
    expect(detect.body).toMatchObject({ RuleId: '1', IdCard: PERSON.idNumber, Name: '张三', RedirectUrl: `${app.url}/#/packages/identity/pages/person/index?face=done` })
    expect((await call('POST', '/api/identity/person/face/result', undefined, token)).body.error.code).toBe('FACE_PENDING')
    faceState.set('BT-1', 0)
    const done = await call('POST', '/api/identity/person/face/result', undefined, token)
    expect(done.body).toMatchObject({ status: 'verified', certificate: { serialNumber: expect.any(String) } })
    // The sandbox pages do not exist with real providers; micro-deposit has no real payout yet.
    expect((await call('GET', '/api/identity/sandbox/outbox')).status).toBe(404)
    expect((await fetch(`${app.url}/api/identity/sandbox/face/sbx_01ARZ3NDEKTSV4RRFFQ69G5FAV`)).status).toBe(404)
  })

  it('logs in with WeChat (code2Session); a used code is WECHAT_CODE_INVALID', async () => {
    const code = wechat.issueCode('openid-abc')
    const first = await call('POST', '/api/auth/wechat-login', { code })
    expect(first.body).toMatchObject({ created: true, account: { realName: 'unverified' } })
    const again = await call('POST', '/api/auth/wechat-login', { code: wechat.issueCode('openid-abc') })
    expect(again.body).toMatchObject({ created: false, account: { userId: first.body.account.userId } })
    expect((await call('POST', '/api/auth/wechat-login', { code })).body.error.code).toBe('WECHAT_CODE_INVALID')
    expect(app.logs()).not.toContain('openid-abc')
    expect(app.logs()).not.toContain('wx-test-secret')
  })
})
