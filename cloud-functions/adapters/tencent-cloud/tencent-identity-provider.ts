import type { Clock } from '../../ports/clock'
import type { FaceResult, FaceSession, IdentityCheck, IdentityProvider } from '../../ports/identity-provider'
import { ProviderRejectedError, ProviderUnavailableError } from '../../ports/provider-errors'
import { TencentCloudApiError, TencentCloudClient, type TencentCloudCredentials } from './tencent-cloud-client'

export type TencentIdentityProviderOptions = {
  credentials: TencentCloudCredentials
  clock: Clock
  /** FaceID base URL; default `https://faceid.tencentcloudapi.com`. */
  faceIdEndpoint?: string
  /** OCR base URL (enterprise four-factor check); default `https://ocr.tencentcloudapi.com`. */
  ocrEndpoint?: string
  /** The 业务流程 RuleId of the FaceID console (DetectAuth / GetDetectInfoEnhanced). */
  faceRuleId: string
  /** Region for the OCR API (FaceID takes none); default `ap-guangzhou`. */
  region?: string
  timeoutMs?: number
}

/** A `Result` code of IdCardVerification / PhoneVerification, and what it means (CHINA-APIS.md §2.1–2.2). */
type Mapping = IdentityCheck | 'retry'

const ID_CARD_RESULTS: Record<string, Mapping> = {
  '0': { outcome: 'pass' },
  '-1': fail('mismatch', '姓名和身份证号不一致', '-1'),
  '-2': fail('invalid-input', '身份证号不合法', '-2'),
  '-3': fail('invalid-input', '姓名不合法', '-3'),
  '-4': 'retry',
  '-5': fail('no-record', '证件库中无此身份证记录', '-5'),
  '-6': 'retry',
  '-7': fail('daily-limit', '认证次数超过当日限制', '-7'),
}

const PHONE_RESULTS: Record<string, Mapping> = {
  '0': { outcome: 'pass' },
  '-4': fail('mismatch', '手机号、姓名和身份证号不一致', '-4'),
  '-6': fail('invalid-input', '手机号码不合法', '-6'),
  '-7': fail('invalid-input', '身份证号码有误', '-7'),
  '-8': fail('invalid-input', '姓名校验不通过', '-8'),
  '-9': fail('no-record', '运营商没有该手机号的记录', '-9'),
  '-11': 'retry',
  '-12': fail('daily-limit', '验证次数超过当日限制', '-12'),
  '-13': fail('invalid-input', '该号段不支持验证', '-13'),
}

/** GetDetectInfoEnhanced `Text.ErrCode` values that are not a finished failed attempt. */
const FACE_PENDING = new Set([17])
const FACE_EXPIRED = new Set([15])
/** Caller-side setup errors (调用方式出错, 无权限, 小程序未授权…): an operator must act. */
const FACE_SETUP_ERRORS = new Set([1, 2, 3, 203, 204])
/** Service faults (服务异常, 引擎超时): retry. */
const FACE_SERVICE_ERRORS = new Set([4, 8, 10, 12, 13, 1001, 2001])

function fail(reason: Extract<IdentityCheck, { outcome: 'fail' }>['reason'], message: string, providerCode: string): IdentityCheck {
  return { outcome: 'fail', reason, message, providerCode }
}

/**
 * {@link IdentityProvider} on Tencent Cloud: FaceID (`faceid`, 2018-03-01) IdCardVerification,
 * PhoneVerification (简版), DetectAuth and GetDetectInfoEnhanced; OCR (`ocr`, 2018-11-19)
 * VerifyEnterpriseFourFactors for the business-registry check. All base URLs are configurable.
 */
export class TencentIdentityProvider implements IdentityProvider {
  private readonly faceid: TencentCloudClient
  private readonly ocr: TencentCloudClient

  constructor(private readonly options: TencentIdentityProviderOptions) {
    const common = { credentials: options.credentials, clock: options.clock, timeoutMs: options.timeoutMs }
    this.faceid = new TencentCloudClient({ ...common, endpoint: options.faceIdEndpoint ?? 'https://faceid.tencentcloudapi.com', service: 'faceid', version: '2018-03-01' })
    this.ocr = new TencentCloudClient({ ...common, endpoint: options.ocrEndpoint ?? 'https://ocr.tencentcloudapi.com', service: 'ocr', version: '2018-11-19', region: options.region ?? 'ap-guangzhou' })
  }

  describe() {
    return { kind: 'tencent-cloud' as const }
  }

  async verifyIdNumber(input: { name: string; idNumber: string }): Promise<IdentityCheck> {
    const r = await this.guard('IdCardVerification', () => this.faceid.call<{ Result?: string }>('IdCardVerification', { IdCard: input.idNumber, Name: input.name }))
    return this.mapResult('IdCardVerification', ID_CARD_RESULTS, r.Result)
  }

  async verifyPhoneOwner(input: { name: string; idNumber: string; phone: string }): Promise<IdentityCheck> {
    const r = await this.guard('PhoneVerification', () =>
      this.faceid.call<{ Result?: string }>('PhoneVerification', { IdCard: input.idNumber, Name: input.name, Phone: input.phone }),
    )
    return this.mapResult('PhoneVerification', PHONE_RESULTS, r.Result)
  }

  async startFaceSession(input: { name: string; idNumber: string; redirectUrl: string; reference: string }): Promise<FaceSession> {
    const r = await this.guard('DetectAuth', () =>
      this.faceid.call<{ Url?: string; BizToken?: string }>('DetectAuth', {
        RuleId: this.options.faceRuleId,
        IdCard: input.idNumber,
        Name: input.name,
        RedirectUrl: input.redirectUrl,
        Extra: input.reference,
      }),
    )
    if (!r.Url || !r.BizToken) throw new ProviderUnavailableError('tencent-cloud faceid.DetectAuth', 'the answer has no Url or BizToken')
    return { sessionToken: r.BizToken, url: r.Url }
  }

  async getFaceResult(input: { sessionToken: string }): Promise<FaceResult> {
    let r: { Text?: { ErrCode?: number | null; ErrMsg?: string; Sim?: string } }
    try {
      r = await this.faceid.call('GetDetectInfoEnhanced', { BizToken: input.sessionToken, RuleId: this.options.faceRuleId, InfoType: '1' })
    } catch (e) {
      if (e instanceof TencentCloudApiError && /BizToken/i.test(e.code)) return { outcome: 'expired' }
      throw this.translate('GetDetectInfoEnhanced', e)
    }
    const code = r.Text?.ErrCode
    if (code === undefined || code === null || FACE_PENDING.has(code)) return { outcome: 'pending' }
    if (code === 0) {
      const sim = Number(r.Text?.Sim)
      return Number.isFinite(sim) ? { outcome: 'pass', similarity: sim } : { outcome: 'pass' }
    }
    if (FACE_EXPIRED.has(code)) return { outcome: 'expired' }
    if (FACE_SETUP_ERRORS.has(code)) throw new ProviderRejectedError('tencent-cloud faceid.GetDetectInfoEnhanced', String(code), r.Text?.ErrMsg ?? 'setup error')
    if (FACE_SERVICE_ERRORS.has(code)) throw new ProviderUnavailableError('tencent-cloud faceid.GetDetectInfoEnhanced', `ErrCode ${code}`)
    return { outcome: 'fail', message: r.Text?.ErrMsg || '人脸核验未通过', providerCode: String(code) }
  }

  async verifyEnterprise(input: { companyName: string; creditCode: string; legalRepName: string; legalRepIdNumber: string }): Promise<IdentityCheck> {
    const r = await this.guard('VerifyEnterpriseFourFactors', () =>
      this.ocr.call<{ State?: number; Detail?: { Result?: number; Desc?: string } | null }>('VerifyEnterpriseFourFactors', {
        RealName: input.legalRepName,
        IdCard: input.legalRepIdNumber,
        EnterpriseName: input.companyName,
        EnterpriseMark: input.creditCode,
      }),
    )
    if (r.State === 1) return { outcome: 'pass' }
    if (r.State === 3) return fail('no-record', '工商信息中查询无此企业', '3')
    if (r.State === 2) {
      const detail: Record<number, string> = { [-22]: '法定代表人姓名不一致', [-23]: '法定代表人证件号码不一致', [-24]: '企业名称不一致', [-25]: '统一社会信用代码不一致' }
      const code = r.Detail?.Result
      return fail('mismatch', (code !== undefined && detail[code]) || '企业信息与工商登记不一致', code !== undefined ? String(code) : '2')
    }
    throw new ProviderUnavailableError('tencent-cloud ocr.VerifyEnterpriseFourFactors', `unexpected State ${String(r.State)}`)
  }

  private mapResult(action: string, table: Record<string, Mapping>, result: string | undefined): IdentityCheck {
    const mapped = result === undefined ? undefined : table[String(result)]
    if (mapped === 'retry') throw new ProviderUnavailableError(`tencent-cloud faceid.${action}`, `Result ${result}: busy, retry later`)
    if (!mapped) throw new ProviderUnavailableError(`tencent-cloud faceid.${action}`, `unexpected Result ${String(result)}`)
    return mapped
  }

  private async guard<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (e) {
      throw this.translate(action, e)
    }
  }

  /** API errors that are not answers become provider errors (InvalidParameter* is a bug or setup problem on our side). */
  private translate(action: string, e: unknown): unknown {
    if (e instanceof TencentCloudApiError) return new ProviderRejectedError(`tencent-cloud ${action}`, e.code, `request refused (RequestId ${e.requestId ?? '-'})`)
    return e
  }
}
