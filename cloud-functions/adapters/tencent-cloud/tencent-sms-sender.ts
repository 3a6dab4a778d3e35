import type { Clock } from '../../ports/clock'
import { ProviderRejectedError, ProviderUnavailableError } from '../../ports/provider-errors'
import type { SmsNotice, SmsPurpose, SmsSendResult, SmsSender } from '../../ports/sms-sender'
import { TencentCloudApiError, TencentCloudClient, type TencentCloudCredentials } from './tencent-cloud-client'

export type TencentSmsSenderOptions = {
  credentials: TencentCloudCredentials
  clock: Clock
  /** Base URL; default `https://sms.tencentcloudapi.com`. */
  endpoint?: string
  region?: string
  /** SmsSdkAppId of the console application. */
  sdkAppId: string
  /** The approved signature's content (e.g. `签约`), required for mainland numbers. */
  signName: string
  /** Approved template with two variables: `{1}` the code, `{2}` minutes of validity. */
  templateId: string
  /** Approved notice templates by kind (variables as `SmsNotice`, in its field order); a kind without one is not sent. */
  noticeTemplateIds?: Partial<Record<SmsNotice['kind'], string>>
  timeoutMs?: number
}

const RATE_LIMITED = /^LimitExceeded\.PhoneNumber/
const BAD_NUMBER = /^(InvalidParameterValue\.IncorrectPhoneNumber|FailedOperation\.PhoneNumberInBlacklist|UnsupportedOperation)/

/**
 * {@link SmsSender} on Tencent Cloud SMS (`sms`, 2021-01-11, SendSms; CHINA-APIS.md §3). The per-number
 * `SendStatusSet[].Code` decides (`Ok` exactly), as a request can succeed while a number fails.
 */
export class TencentSmsSender implements SmsSender {
  private readonly client: TencentCloudClient

  constructor(private readonly options: TencentSmsSenderOptions) {
    this.client = new TencentCloudClient({
      endpoint: options.endpoint ?? 'https://sms.tencentcloudapi.com',
      service: 'sms',
      version: '2021-01-11',
      region: options.region ?? 'ap-guangzhou',
      credentials: options.credentials,
      clock: options.clock,
      timeoutMs: options.timeoutMs,
    })
  }

  describe() {
    return { kind: 'tencent-cloud' as const }
  }

  async sendVerificationCode(input: { phone: string; code: string; purpose: SmsPurpose; ttlMinutes: number }): Promise<SmsSendResult> {
    return this.send(input.phone, this.options.templateId, [input.code, String(input.ttlMinutes)])
  }

  async sendNotice(input: { phone: string; notice: SmsNotice }): Promise<SmsSendResult> {
    const templateId = this.options.noticeTemplateIds?.[input.notice.kind]
    if (!templateId) return { ok: false, reason: 'rejected', providerCode: 'NoTemplateConfigured' }
    const { kind: _kind, ...params } = input.notice
    return this.send(input.phone, templateId, Object.values(params).map(String))
  }

  private async send(phone: string, templateId: string, params: string[]): Promise<SmsSendResult> {
    let r: { SendStatusSet?: Array<{ Code?: string; SerialNo?: string }> }
    try {
      r = await this.client.call('SendSms', {
        PhoneNumberSet: [`+86${phone}`],
        SmsSdkAppId: this.options.sdkAppId,
        SignName: this.options.signName,
        TemplateId: templateId,
        TemplateParamSet: params,
      })
    } catch (e) {
      if (e instanceof TencentCloudApiError) return this.classify(e.code)
      throw e
    }
    const status = r.SendStatusSet?.[0]
    if (!status?.Code) return { ok: false, reason: 'rejected', providerCode: 'NoSendStatus' }
    if (status.Code === 'Ok') return { ok: true, messageId: status.SerialNo ?? '' }
    return this.classify(status.Code)
  }

  private classify(code: string): SmsSendResult {
    if (/^InternalError/.test(code)) throw new ProviderUnavailableError('tencent-cloud sms.SendSms', code)
    if (RATE_LIMITED.test(code)) return { ok: false, reason: 'rate-limited', providerCode: code }
    if (BAD_NUMBER.test(code)) return { ok: false, reason: 'invalid-phone', providerCode: code }
    if (/^(FailedOperation\.(Signature|Template)|InvalidParameterValue\.(SdkAppIdNotExist|Template)|UnauthorizedOperation|FailedOperation\.InsufficientBalance)/.test(code)) {
      throw new ProviderRejectedError('tencent-cloud sms.SendSms', code, 'the SMS account or template is not usable')
    }
    return { ok: false, reason: 'rejected', providerCode: code }
  }
}
