import http from 'node:http'
import { TencentCloudClient } from '../../cloud-functions/adapters/tencent-cloud/tencent-cloud-client'
import { TencentIdentityProvider } from '../../cloud-functions/adapters/tencent-cloud/tencent-identity-provider'
import { TencentSmsSender } from '../../cloud-functions/adapters/tencent-cloud/tencent-sms-sender'
import { signTc3 } from '../../cloud-functions/adapters/tencent-cloud/tc3-signature'
import { WeChatLogin } from '../../cloud-functions/adapters/wechat/wechat-login'
import { ProviderRejectedError, ProviderUnavailableError } from '../../cloud-functions/ports/provider-errors'
import { FakeTencentCloud, type FakeAnswer, type FakeCall } from '../support/fake-tencent-cloud'
import { FakeWeChat } from '../support/fake-wechat'
import { ManualClock } from '../support/manual-clock'

const SECRET_ID = 'AKIDfakeTestSecretId0000000000000000'
const SECRET_KEY = 'fakeTestSecretKey000000000000000'
const ID = '110101199003070011'

describe('Tencent Cloud adapters against a fake that checks TC3 signatures', () => {
  let fake: FakeTencentCloud
  const clock = new ManualClock()
  const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY }
  let identity: TencentIdentityProvider
  let sms: TencentSmsSender

  beforeAll(async () => {
    fake = await new FakeTencentCloud({ [SECRET_ID]: SECRET_KEY }).start()
    identity = new TencentIdentityProvider({ credentials, clock, faceIdEndpoint: fake.url, ocrEndpoint: fake.url, faceRuleId: '7', timeoutMs: 2000 })
    sms = new TencentSmsSender({ credentials, clock, endpoint: fake.url, sdkAppId: '1400006666', signName: '签约', templateId: '123456', timeoutMs: 2000 })
  })
  afterAll(async () => fake.stop())
  beforeEach(() => {
    fake.calls.length = 0
    clock.advanceSeconds(0)
  })

  const script = (byAction: Record<string, FakeAnswer | ((c: FakeCall) => FakeAnswer)>) => {
    fake.answer = (call) => {
      const a = byAction[call.action]
      if (!a) return { Error: { Code: 'InvalidAction', Message: call.action } }
      return typeof a === 'function' ? a(call) : a
    }
  }

  describe('FaceID IdCardVerification (name + ID number)', () => {
    it.each([
      ['0', { outcome: 'pass' }],
      ['-1', { outcome: 'fail', reason: 'mismatch' }],
      ['-2', { outcome: 'fail', reason: 'invalid-input' }],
      ['-3', { outcome: 'fail', reason: 'invalid-input' }],
      ['-5', { outcome: 'fail', reason: 'no-record' }],
      ['-7', { outcome: 'fail', reason: 'daily-limit' }],
    ])('Result %s → %j', async (result, expected) => {
      // Prepare
      script({ IdCardVerification: { Result: result, Description: 'x' } })

      // Act
      const r = await identity.verifyIdNumber({ name: '张三', idNumber: ID })

      // Assess
      expect(r).toMatchObject(expected)
      expect(fake.calls).toEqual([
        { service: 'faceid', action: 'IdCardVerification', version: '2018-03-01', region: undefined, body: { IdCard: ID, Name: '张三' }, signedHeaders: 'content-type;host' },
      ])
    })

    it.each(['-4', '-6'])('Result %s (service busy / upgrading) → ProviderUnavailableError (retryable)', async (result) => {
      script({ IdCardVerification: { Result: result, Description: 'busy' } })
      await expect(identity.verifyIdNumber({ name: '张三', idNumber: ID })).rejects.toBeInstanceOf(ProviderUnavailableError)
    })
  })

  describe('FaceID PhoneVerification (carrier three elements)', () => {
    it.each([
      ['0', { outcome: 'pass' }],
      ['-4', { outcome: 'fail', reason: 'mismatch' }],
      ['-6', { outcome: 'fail', reason: 'invalid-input' }],
      ['-9', { outcome: 'fail', reason: 'no-record' }],
      ['-12', { outcome: 'fail', reason: 'daily-limit' }],
      ['-13', { outcome: 'fail', reason: 'invalid-input' }],
    ])('Result %s → %j', async (result, expected) => {
      script({ PhoneVerification: { Result: result, Description: 'x', Isp: '移动' } })
      await expect(identity.verifyPhoneOwner({ name: '张三', idNumber: ID, phone: '13800000001' })).resolves.toMatchObject(expected)
      expect(fake.calls[0]!.body).toEqual({ IdCard: ID, Name: '张三', Phone: '13800000001' })
    })

    it('Result -11 (verification centre busy) → retryable', async () => {
      script({ PhoneVerification: { Result: '-11', Description: 'busy' } })
      await expect(identity.verifyPhoneOwner({ name: '张三', idNumber: ID, phone: '13800000001' })).rejects.toBeInstanceOf(ProviderUnavailableError)
    })
  })

  describe('FaceID DetectAuth + GetDetectInfoEnhanced (H5 face flow)', () => {
    it('starts a session with RuleId, identity, RedirectUrl and Extra, and returns Url + BizToken', async () => {
      script({ DetectAuth: { Url: 'https://faceid.qq.com/h5?token=BT1', BizToken: 'BT1' } })
      const s = await identity.startFaceSession({ name: '张三', idNumber: ID, redirectUrl: 'https://app.example/#/back', reference: 'person:U1' })
      expect(s).toEqual({ sessionToken: 'BT1', url: 'https://faceid.qq.com/h5?token=BT1' })
      expect(fake.calls[0]!.body).toEqual({ RuleId: '7', IdCard: ID, Name: '张三', RedirectUrl: 'https://app.example/#/back', Extra: 'person:U1' })
    })

    it.each([
      [{ Text: { ErrCode: 0, ErrMsg: '成功', Sim: '93.5' } }, { outcome: 'pass', similarity: 93.5 }],
      [{ Text: { ErrCode: 17, ErrMsg: '本次流程未完成' } }, { outcome: 'pending' }],
      [{ Text: { ErrCode: null } }, { outcome: 'pending' }],
      [{ Text: { ErrCode: 15, ErrMsg: 'Token过期' } }, { outcome: 'expired' }],
      [{ Text: { ErrCode: 2016, ErrMsg: '比对相似度未达到通过标准' } }, { outcome: 'fail', providerCode: '2016' }],
      [{ Text: { ErrCode: 1002, ErrMsg: '疑似非真人录制' } }, { outcome: 'fail', providerCode: '1002' }],
      [{ Text: { ErrCode: 2006, ErrMsg: '姓名和身份证号不匹配' } }, { outcome: 'fail', providerCode: '2006' }],
      [{ Error: { Code: 'InvalidParameterValue.BizTokenIllegal', Message: 'BizToken illegal' } }, { outcome: 'expired' }],
    ] as Array<[FakeAnswer, object]>)('%j → %j', async (answer, expected) => {
      script({ GetDetectInfoEnhanced: answer })
      await expect(identity.getFaceResult({ sessionToken: 'BT1' })).resolves.toMatchObject(expected)
      expect(fake.calls[0]!.body).toEqual({ BizToken: 'BT1', RuleId: '7', InfoType: '1' })
    })

    it('engine timeouts are retryable; setup errors are not', async () => {
      script({ GetDetectInfoEnhanced: { Text: { ErrCode: 1001 } } })
      await expect(identity.getFaceResult({ sessionToken: 'BT1' })).rejects.toBeInstanceOf(ProviderUnavailableError)
      script({ GetDetectInfoEnhanced: { Text: { ErrCode: 204 } } })
      await expect(identity.getFaceResult({ sessionToken: 'BT1' })).rejects.toBeInstanceOf(ProviderRejectedError)
    })
  })

  describe('OCR VerifyEnterpriseFourFactors (business registry)', () => {
    const input = { companyName: '沙箱测试科技有限公司', creditCode: '91350100M000100Y43', legalRepName: '张三', legalRepIdNumber: ID }

    it.each([
      [{ State: 1 }, { outcome: 'pass' }],
      [{ State: 2, Detail: { Result: -23, Desc: '证件号码不一致' } }, { outcome: 'fail', reason: 'mismatch', providerCode: '-23' }],
      [{ State: 3 }, { outcome: 'fail', reason: 'no-record' }],
    ] as Array<[FakeAnswer, object]>)('%j → %j, with the ocr version and a region', async (answer, expected) => {
      script({ VerifyEnterpriseFourFactors: answer })
      await expect(identity.verifyEnterprise(input)).resolves.toMatchObject(expected)
      expect(fake.calls[0]).toMatchObject({
        service: 'ocr',
        version: '2018-11-19',
        region: 'ap-guangzhou',
        body: { RealName: '张三', IdCard: ID, EnterpriseName: input.companyName, EnterpriseMark: input.creditCode },
      })
    })
  })

  describe('SMS SendSms', () => {
    const send = () => sms.sendVerificationCode({ phone: '13800000001', code: '123456', purpose: 'login', ttlMinutes: 5 })

    it('sends to +86…, with the app, signature, template and parameters; per-number Code "Ok" is success', async () => {
      script({ SendSms: { SendStatusSet: [{ SerialNo: 'S1', PhoneNumber: '+8613800000001', Fee: 1, Code: 'Ok', Message: 'send success', IsoCode: 'CN' }] } })
      await expect(send()).resolves.toEqual({ ok: true, messageId: 'S1' })
      expect(fake.calls[0]).toMatchObject({
        service: 'sms',
        version: '2021-01-11',
        region: 'ap-guangzhou',
        body: { PhoneNumberSet: ['+8613800000001'], SmsSdkAppId: '1400006666', SignName: '签约', TemplateId: '123456', TemplateParamSet: ['123456', '5'] },
      })
    })

    it.each([
      [{ SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberThirtySecondLimit' }] }, { ok: false, reason: 'rate-limited' }],
      [{ Error: { Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'daily' } }, { ok: false, reason: 'rate-limited' }],
      [{ SendStatusSet: [{ Code: 'InvalidParameterValue.IncorrectPhoneNumber' }] }, { ok: false, reason: 'invalid-phone' }],
      [{ SendStatusSet: [{ Code: 'FailedOperation.ContainSensitiveWord' }] }, { ok: false, reason: 'rejected' }],
      [{ SendStatusSet: [{ Code: 'ok' }] }, { ok: false, reason: 'rejected' }],
    ] as Array<[FakeAnswer, object]>)('%j → %j (the per-number code decides, exact case)', async (answer, expected) => {
      script({ SendSms: answer })
      await expect(send()).resolves.toMatchObject(expected)
    })

    it('template or signature problems are setup errors; InternalError is retryable', async () => {
      script({ SendSms: { Error: { Code: 'FailedOperation.TemplateIncorrectOrUnapproved', Message: 'x' } } })
      await expect(send()).rejects.toBeInstanceOf(ProviderRejectedError)
      script({ SendSms: { Error: { Code: 'InternalError.Timeout', Message: 'x' } } })
      await expect(send()).rejects.toBeInstanceOf(ProviderUnavailableError)
    })
  })

  describe('the wire: signature, errors with HTTP 200, timeouts', () => {
    it('a wrong secret key is refused by the fake (AuthFailure.SignatureFailure, HTTP 200) → ProviderRejectedError', async () => {
      script({ IdCardVerification: { Result: '0' } })
      const wrong = new TencentIdentityProvider({ credentials: { secretId: SECRET_ID, secretKey: 'not-the-key' }, clock, faceIdEndpoint: fake.url, faceRuleId: '7' })
      const e = await wrong.verifyIdNumber({ name: '张三', idNumber: ID }).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(ProviderRejectedError)
      expect((e as ProviderRejectedError).providerCode).toBe('AuthFailure.SignatureFailure')
      expect(fake.calls).toHaveLength(0)
    })

    it('a clock more than 5 minutes off is refused (AuthFailure.SignatureExpire)', async () => {
      script({ IdCardVerification: { Result: '0' } })
      const skewed = new ManualClock(new Date(Date.now() - 301_000))
      const p = new TencentIdentityProvider({ credentials, clock: skewed, faceIdEndpoint: fake.url, faceRuleId: '7' })
      const e = await p.verifyIdNumber({ name: '张三', idNumber: ID }).catch((x: unknown) => x)
      expect((e as ProviderRejectedError).providerCode).toBe('AuthFailure.SignatureExpire')
    })

    it('the fake also accepts the current doc variant that signs x-tc-action', async () => {
      // Prepare: a hand-made request signed with content-type;host;x-tc-action.
      script({ IdCardVerification: { Result: '0' } })
      const body = JSON.stringify({ IdCard: ID, Name: '张三' })
      const host = new URL(fake.url).host
      const timestamp = Math.floor(Date.now() / 1000)
      const { authorization } = signTc3({ ...credentials, service: 'faceid', host, method: 'POST', contentType: 'application/json; charset=utf-8', payload: body, timestamp, action: 'IdCardVerification', signedHeaders: 'content-type;host;x-tc-action' })

      // Act
      const answer = await post(fake.url, body, { Authorization: authorization, 'Content-Type': 'application/json; charset=utf-8', 'X-TC-Action': 'IdCardVerification', 'X-TC-Version': '2018-03-01', 'X-TC-Timestamp': String(timestamp) })

      // Assess
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body).Response.Result).toBe('0')
      expect(fake.calls[0]!.signedHeaders).toBe('content-type;host;x-tc-action')
    })

    it('a body changed after signing fails the signature check', async () => {
      script({ IdCardVerification: { Result: '0' } })
      const host = new URL(fake.url).host
      const timestamp = Math.floor(Date.now() / 1000)
      const signed = JSON.stringify({ IdCard: ID, Name: '张三' })
      const { authorization } = signTc3({ ...credentials, service: 'faceid', host, method: 'POST', contentType: 'application/json', payload: signed, timestamp })
      const answer = await post(fake.url, signed.replace('张三', '李四'), { Authorization: authorization, 'Content-Type': 'application/json', 'X-TC-Action': 'IdCardVerification', 'X-TC-Version': '2018-03-01', 'X-TC-Timestamp': String(timestamp) })
      expect(JSON.parse(answer.body).Response.Error.Code).toBe('AuthFailure.SignatureFailure')
    })

    it('no answer within the timeout → ProviderUnavailableError, quickly', async () => {
      script({ IdCardVerification: { $hang: true } })
      const slow = new TencentIdentityProvider({ credentials, clock, faceIdEndpoint: fake.url, faceRuleId: '7', timeoutMs: 300 })
      const started = Date.now()
      await expect(slow.verifyIdNumber({ name: '张三', idNumber: ID })).rejects.toBeInstanceOf(ProviderUnavailableError)
      expect(Date.now() - started).toBeLessThan(2000)
    })

    it('HTTP 5xx, a non-JSON body and a refused connection are retryable', async () => {
      script({ IdCardVerification: { $http: 502 } })
      await expect(identity.verifyIdNumber({ name: '张三', idNumber: ID })).rejects.toBeInstanceOf(ProviderUnavailableError)
      script({ IdCardVerification: { $http: 200, body: '<html>gateway</html>' } })
      await expect(identity.verifyIdNumber({ name: '张三', idNumber: ID })).rejects.toBeInstanceOf(ProviderUnavailableError)
      const client = new TencentCloudClient({ endpoint: 'http://127.0.0.1:9', service: 'faceid', version: '2018-03-01', credentials, clock, timeoutMs: 500 })
      await expect(client.call('IdCardVerification', {})).rejects.toBeInstanceOf(ProviderUnavailableError)
    })

    it('a wrong version is NoSuchVersion from the fake (a bug on our side, surfaced as an API error)', async () => {
      const client = new TencentCloudClient({ endpoint: fake.url, service: 'faceid', version: '2017-01-01', credentials, clock })
      await expect(client.call('IdCardVerification', {})).rejects.toMatchObject({ name: 'TencentCloudApiError', code: 'NoSuchVersion' })
    })
  })
})

describe('WeChat code2Session against a fake api.weixin.qq.com', () => {
  let fake: FakeWeChat
  beforeAll(async () => {
    fake = await new FakeWeChat('wx-app', 'wx-secret').start()
  })
  afterAll(async () => fake.stop())

  it('exchanges a code once for the openid; a reused or unknown code is invalid-code', async () => {
    const login = new WeChatLogin({ appId: 'wx-app', appSecret: 'wx-secret', apiBase: fake.url })
    const code = fake.issueCode('openid-1')
    await expect(login.code2Session(code)).resolves.toEqual({ ok: true, openid: 'openid-1' })
    await expect(login.code2Session(code)).resolves.toEqual({ ok: false, reason: 'invalid-code', errcode: 40163 })
    await expect(login.code2Session('nope')).resolves.toEqual({ ok: false, reason: 'invalid-code', errcode: 40029 })
  })

  it('a wrong secret is a setup error; -1 is retryable; the secret never appears in the error', async () => {
    const wrong = new WeChatLogin({ appId: 'wx-app', appSecret: 'bad-secret', apiBase: fake.url })
    const e = await wrong.code2Session(fake.issueCode('x')).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ProviderRejectedError)
    expect(String((e as Error).message)).not.toContain('bad-secret')
    const login = new WeChatLogin({ appId: 'wx-app', appSecret: 'wx-secret', apiBase: fake.url })
    await expect(login.code2Session('busy')).rejects.toBeInstanceOf(ProviderUnavailableError)
  })
})

function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
