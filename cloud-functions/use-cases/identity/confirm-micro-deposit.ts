import type { CompanyView } from '../../api/identity.types'
import { MICRO_DEPOSIT_POLICY, parseYuanToFen } from '../../core/identity/attempt-limits'
import { checkCode } from '../../core/identity/one-time-code'
import { err, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { finishCompanyVerification } from './finish-company-verification'
import { companyAccess } from './get-company'
import { epochSeconds, withoutVersion } from './records'
import { depositScope } from './start-micro-deposit'

/**
 * `POST /api/identity/companies/{id}/micro-deposit/confirm`: the applicant enters the amount that
 * arrived. In order: no deposit → `VERIFICATION_STEP_INVALID`; older than 72 h →
 * `MICRO_DEPOSIT_EXPIRED`; 3 wrong amounts already → `MICRO_DEPOSIT_ATTEMPTS_EXCEEDED`; not an
 * amount → `VALIDATION_FAILED` (not counted); a wrong amount counts one attempt
 * (`MICRO_DEPOSIT_WRONG_AMOUNT` with `attemptsLeft`); the right one (constant-time comparison of
 * salted hashes) verifies the company with the applicant as its first admin.
 */
export async function confirmMicroDeposit(deps: IdentityDeps, input: { userId: string; companyId: string; amount: string }): Promise<Result<CompanyView>> {
  for (let round = 0; round < 5; round++) {
    const access = await companyAccess(deps, input)
    if (!access.ok) return access
    const { company, user } = access.value
    if (company.status === 'verified') return err('ALREADY_VERIFIED', '该企业已完成认证')
    if (company.applicantUserId !== input.userId) return err('FORBIDDEN', '仅企业认证的申请人可以填写打款金额')
    const md = company.microDeposit
    if (!md) return err('VERIFICATION_STEP_INVALID', '请先发起对公打款')
    const now = deps.clock.now()
    const fen = parseYuanToFen(input.amount)
    const stored = { salt: md.amountSalt, hash: md.amountHash, issuedAt: md.sentAt, validUntil: md.validUntil, attempts: md.attempts, usedAt: md.confirmedAt }
    const scope = depositScope(company.companyId, md.reference)
    // Expiry and exhaustion are reported before the input is even looked at.
    const gate = checkCode(stored, { code: '', scope, now, maxAttempts: MICRO_DEPOSIT_POLICY.maxAttempts })
    if (gate.outcome === 'expired') return err('MICRO_DEPOSIT_EXPIRED', '打款验证已超过 72 小时，请重新发起打款')
    if (gate.outcome === 'too-many-attempts') return err('MICRO_DEPOSIT_ATTEMPTS_EXCEEDED', '金额已填错 3 次，请重新发起打款', { attemptsLeft: 0 })
    if (gate.outcome === 'used') return err('ALREADY_VERIFIED', '该企业已完成认证')
    if (fen === undefined || fen < MICRO_DEPOSIT_POLICY.minFen || fen > MICRO_DEPOSIT_POLICY.maxFen) {
      return err('VALIDATION_FAILED', '请输入收到的金额，如 0.37（0.01–0.99 元）', { field: 'amount' })
    }
    const check = checkCode(stored, { code: String(fen), scope, now, maxAttempts: MICRO_DEPOSIT_POLICY.maxAttempts })
    if (check.outcome === 'wrong') {
      const written = await deps.metadata.put(withoutVersion({ ...company, microDeposit: { ...md, attempts: md.attempts + 1 } }), { expectedVersion: company.version })
      if (!written.ok) continue
      deps.logger.info({ companyId: company.companyId, step: 'micro-deposit-wrong', attemptsLeft: check.attemptsLeft }, 'company verification')
      return check.attemptsLeft === 0
        ? err('MICRO_DEPOSIT_ATTEMPTS_EXCEEDED', '金额已填错 3 次，请重新发起打款', { attemptsLeft: 0 })
        : err('MICRO_DEPOSIT_WRONG_AMOUNT', `金额不正确，还可尝试 ${check.attemptsLeft} 次`, { attemptsLeft: check.attemptsLeft, field: 'amount' })
    }
    if (check.outcome !== 'accepted') continue
    return finishCompanyVerification(deps, {
      company,
      changes: { microDeposit: { ...md, confirmedAt: epochSeconds(now) } },
      method: 'micro-deposit',
      admins: [user],
      caller: user,
    })
  }
  return err('CONFLICT', '企业认证信息正在被同时修改，请重试')
}
