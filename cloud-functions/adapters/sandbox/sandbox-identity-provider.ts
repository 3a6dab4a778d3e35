import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { FaceResult, FaceSession, IdentityCheck, IdentityProvider } from '../../ports/identity-provider'
import type { MetadataStore } from '../../ports/metadata-store'
import { ProviderUnavailableError } from '../../ports/provider-errors'
import { SANDBOX_COMPANIES, SANDBOX_PEOPLE, type SandboxPerson } from './sandbox-identities'

/** A face session as the sandbox keeps it: no personal data, only what the 沙箱 page needs. */
type FaceSessionRecord = {
  status: 'pending' | 'pass' | 'fail'
  /** 赵六: the face step fails whatever the tester chooses. */
  alwaysFails: boolean
  redirectUrl: string
}

const SESSION_SECONDS = 7200
const sessionKey = (token: string) => ({ pk: `SANDBOX#FACE#${token}`, sk: 'SESSION' })

/**
 * {@link IdentityProvider} of the embedded default: deterministic answers for the documented test
 * identities (`sandbox-identities.ts`), and a face step that is a clearly labelled 沙箱 page
 * (`GET /api/identity/sandbox/face/{token}`) where the tester chooses 通过 or 不通过. Sessions live
 * in the metadata store for 2 h, like a FaceID BizToken.
 */
export class SandboxIdentityProvider implements IdentityProvider {
  constructor(private readonly deps: { metadata: MetadataStore; clock: Clock; ids: Ids; publicBaseUrl: string }) {}

  describe() {
    return { kind: 'sandbox' as const }
  }

  async verifyIdNumber(input: { name: string; idNumber: string }): Promise<IdentityCheck> {
    const listed = this.listed(input.idNumber)
    if (!listed) return { outcome: 'pass' }
    this.maybeTimeout(listed)
    if (listed.behaviour === 'no-record') return fail('no-record', '证件库中无此身份证记录（沙箱）', '-5')
    if (listed.behaviour === 'id-mismatch' || listed.name !== input.name) return fail('mismatch', '姓名和身份证号不一致（沙箱）', '-1')
    return { outcome: 'pass' }
  }

  async verifyPhoneOwner(input: { name: string; idNumber: string; phone: string }): Promise<IdentityCheck> {
    const listed = this.listed(input.idNumber)
    if (!listed) return { outcome: 'pass' }
    this.maybeTimeout(listed)
    if (listed.behaviour === 'phone-mismatch' || listed.name !== input.name || listed.phone !== input.phone) {
      return fail('mismatch', '手机号、姓名和身份证号不一致（沙箱）', '-4')
    }
    return { outcome: 'pass' }
  }

  async startFaceSession(input: { name: string; idNumber: string; redirectUrl: string; reference: string }): Promise<FaceSession> {
    const listed = this.listed(input.idNumber)
    if (listed) this.maybeTimeout(listed)
    const token = `sbx_${this.deps.ids.newId()}`
    const record: FaceSessionRecord = { status: 'pending', alwaysFails: listed?.behaviour === 'face-fails', redirectUrl: input.redirectUrl }
    await this.deps.metadata.put({ ...sessionKey(token), ...record, expiresAt: this.nowSeconds() + SESSION_SECONDS }, { mustNotExist: true })
    return { sessionToken: token, url: `${this.deps.publicBaseUrl}/api/identity/sandbox/face/${token}` }
  }

  async getFaceResult(input: { sessionToken: string }): Promise<FaceResult> {
    const item = await this.session(input.sessionToken)
    if (!item) return { outcome: 'expired' }
    if (item.status === 'pending') return { outcome: 'pending' }
    if (item.status === 'pass') return { outcome: 'pass', similarity: 92 }
    return { outcome: 'fail', message: '比对相似度未达到通过阈值（沙箱）', providerCode: '2016' }
  }

  async verifyEnterprise(input: { companyName: string; creditCode: string; legalRepName: string; legalRepIdNumber: string }): Promise<IdentityCheck> {
    const person = this.listed(input.legalRepIdNumber)
    if (person) this.maybeTimeout(person)
    const listed = SANDBOX_COMPANIES.find((c) => c.creditCode === input.creditCode)
    if (!listed) return { outcome: 'pass' }
    if (listed.behaviour === 'no-record') return fail('no-record', '工商信息中查询无此企业（沙箱）', '3')
    if (listed.behaviour === 'mismatch' || listed.name !== input.companyName) return fail('mismatch', '企业名称与工商登记不一致（沙箱）', '-24')
    if (listed.legalRepName !== input.legalRepName) return fail('mismatch', '法定代表人姓名不一致（沙箱）', '-22')
    if (listed.legalRepIdNumber !== input.legalRepIdNumber) return fail('mismatch', '法定代表人证件号码不一致（沙箱）', '-23')
    return { outcome: 'pass' }
  }

  /** For the 沙箱 face page: whether the session exists and is still open. */
  async faceSessionStatus(token: string): Promise<'pending' | 'done' | 'missing'> {
    const item = await this.session(token)
    return !item ? 'missing' : item.status === 'pending' ? 'pending' : 'done'
  }

  /** The tester's choice on the 沙箱 page; returns where to send the browser next (undefined: no such open session). */
  async completeFaceSession(token: string, choice: 'pass' | 'fail'): Promise<string | undefined> {
    const raw = await this.deps.metadata.get(sessionKey(token).pk, sessionKey(token).sk)
    if (!raw || raw.status !== 'pending') return undefined
    const status = choice === 'pass' && !raw.alwaysFails ? 'pass' : 'fail'
    const { version, ...rest } = raw
    const written = await this.deps.metadata.put({ ...rest, status }, { expectedVersion: version })
    if (!written.ok) return undefined
    const url = String(raw.redirectUrl)
    return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`
  }

  private async session(token: string): Promise<FaceSessionRecord | undefined> {
    if (!/^sbx_[0-9A-Z]{26}$/.test(token)) return undefined
    const item = await this.deps.metadata.get(sessionKey(token).pk, sessionKey(token).sk)
    return item as unknown as FaceSessionRecord | undefined
  }

  private listed(idNumber: string): SandboxPerson | undefined {
    return SANDBOX_PEOPLE.find((p) => p.idNumber === idNumber)
  }

  private maybeTimeout(person: SandboxPerson): void {
    if (person.behaviour === 'provider-timeout') throw new ProviderUnavailableError('sandbox', 'simulated provider timeout (test identity 钱七)')
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now().getTime() / 1000)
  }
}

function fail(reason: Extract<IdentityCheck, { outcome: 'fail' }>['reason'], message: string, providerCode: string): IdentityCheck {
  return { outcome: 'fail', reason, message, providerCode }
}
