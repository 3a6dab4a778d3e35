import type { CompanyView } from '../../api/identity.types'
import { MICRO_DEPOSIT_POLICY, randomDepositFen } from '../../core/identity/attempt-limits'
import { parseBankAccount } from '../../core/identity/bank-account'
import { hashCode } from '../../core/identity/one-time-code'
import { encryptPersonalData, lookupHash } from '../../core/identity/personal-data'
import { maskBankAccount } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { companyAccess } from './get-company'
import { companyView, epochSeconds, withoutVersion, type CompanyRecord } from './records'
import { callProvider } from './call-provider'

/** What the salted amount hash is bound to. */
export const depositScope = (companyId: string, reference: string) => `micro-deposit\u0000${companyId}\u0000${reference}`

/**
 * `POST /api/identity/companies/{id}/micro-deposit` (path b, 对公打款): pay a random 0.01–0.99 CNY
 * into the company's corporate account, in the company's name, with a reference. The applicant then
 * has 72 h and 3 tries to enter the amount. The amount is stored only as a salted hash, the account
 * encrypted with a lookup hash and a mask. `BANK_ACCOUNT_INVALID` names the field; a deposit still
 * awaiting its amount → `MICRO_DEPOSIT_PENDING`; an outage of the payout → nothing stored.
 */
export async function startMicroDeposit(deps: IdentityDeps, input: { userId: string; companyId: string; bankName: string; bankAccount: string }): Promise<Result<CompanyView>> {
  const payout = deps.payout
  if (!payout) return err('PAYOUT_UNAVAILABLE', '对公打款暂不可用，请使用法定代表人授权方式认证')
  const account = parseBankAccount(input.bankAccount, 'corporate')
  if (!account.ok) return account
  const access = await companyAccess(deps, input)
  if (!access.ok) return access
  const { company, user } = access.value
  if (company.status === 'verified') return err('ALREADY_VERIFIED', '该企业已完成认证')
  if (company.applicantUserId !== input.userId) return err('FORBIDDEN', '仅企业认证的申请人可以发起对公打款')
  const now = deps.clock.now()
  const t = epochSeconds(now)
  const md = company.microDeposit
  if (md && !md.confirmedAt && md.attempts < MICRO_DEPOSIT_POLICY.maxAttempts && t < md.validUntil) {
    return err('MICRO_DEPOSIT_PENDING', '已向对公账户打款，请查看账户流水后填写收到的金额', { expiresAt: new Date(md.validUntil * 1000).toISOString() })
  }

  const amountFen = randomDepositFen((n) => deps.ids.randomBytes(n))
  const reference = `QY${deps.ids.newId().slice(-10)}`
  const sent = await callProvider(deps.logger, 'sendMicroDeposit', () =>
    payout.sendMicroDeposit({ reference, accountName: company.name, bankName: input.bankName.trim(), bankAccount: account.value, amountFen }),
  )
  if (!sent.ok) return sent
  const salt = Buffer.from(deps.ids.randomBytes(16)).toString('base64')
  const microDeposit: NonNullable<CompanyRecord['microDeposit']> = {
    reference,
    payoutId: sent.value.payoutId,
    bankName: input.bankName.trim(),
    bankAccountEnc: encryptPersonalData(deps.personalData, 'bank-account', account.value),
    bankAccountHash: lookupHash(deps.personalData, 'bank-account', account.value),
    maskedBankAccount: maskBankAccount(account.value),
    amountSalt: salt,
    amountHash: hashCode(salt, depositScope(company.companyId, reference), String(amountFen)),
    attempts: 0,
    sentAt: t,
    validUntil: t + MICRO_DEPOSIT_POLICY.ttlSeconds,
  }
  const updated = { ...company, microDeposit }
  const written = await deps.metadata.put(withoutVersion(updated), { expectedVersion: company.version })
  if (!written.ok) return err('CONFLICT', '企业认证信息已被修改，请刷新后重试')
  deps.logger.info({ companyId: company.companyId, step: 'micro-deposit-sent', payoutId: sent.value.payoutId }, 'company verification')
  return ok(companyView({ ...updated, version: company.version + 1 }, access.value.role, user, now, true))
}
