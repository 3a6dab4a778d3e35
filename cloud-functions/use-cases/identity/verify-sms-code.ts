import { SMS_CODE_POLICY, checkCode, type StoredCode } from '../../core/identity/one-time-code'
import { lookupHash, type PersonalDataKeys } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import type { SmsPurpose } from '../../ports/sms-sender'
import { epochSeconds, withoutVersion, smsCodeKey } from './records'

/**
 * Check a code sent by `sendSmsCode` for `phone` + `purpose` + `scope`, and use it up. In order:
 * no code → `SMS_CODE_INVALID` (请先获取); already accepted once → `SMS_CODE_USED` (a replay);
 * past 5 minutes → `SMS_CODE_EXPIRED`; 5 wrong entries → `SMS_CODE_ATTEMPTS_EXCEEDED`; then a
 * constant-time comparison of salted hashes. A wrong code counts an attempt (`attemptsLeft` in the
 * details); the right one is marked used. Concurrent entries are serialised by the record version.
 */
export async function verifySmsCode(
  deps: { metadata: MetadataStore; clock: Clock; personalData: PersonalDataKeys },
  input: { phone: string; purpose: SmsPurpose; scope: string; code: string },
): Promise<Result<void>> {
  const key = smsCodeKey(lookupHash(deps.personalData, 'phone', input.phone), input.purpose)
  for (let round = 0; round < 5; round++) {
    const item = await deps.metadata.get(key.pk, key.sk)
    if (!item) return err('SMS_CODE_INVALID', '请先获取验证码', { field: 'code' })
    const now = deps.clock.now()
    const check = checkCode(item as unknown as StoredCode, { code: input.code, scope: input.scope, now })
    switch (check.outcome) {
      case 'used':
        return err('SMS_CODE_USED', '验证码已使用，请重新获取', { field: 'code' })
      case 'expired':
        return err('SMS_CODE_EXPIRED', '验证码已过期，请重新获取', { field: 'code' })
      case 'too-many-attempts':
        return err('SMS_CODE_ATTEMPTS_EXCEEDED', `验证码已错误 ${SMS_CODE_POLICY.maxAttempts} 次，请重新获取`, { field: 'code', attemptsLeft: 0 })
      case 'wrong': {
        const written = await deps.metadata.put({ ...withoutVersion(item), attempts: Number(item.attempts) + 1 }, { expectedVersion: item.version })
        if (!written.ok) continue
        return check.attemptsLeft === 0
          ? err('SMS_CODE_ATTEMPTS_EXCEEDED', `验证码已错误 ${SMS_CODE_POLICY.maxAttempts} 次，请重新获取`, { field: 'code', attemptsLeft: 0 })
          : err('SMS_CODE_INVALID', `验证码不正确，还可尝试 ${check.attemptsLeft} 次`, { field: 'code', attemptsLeft: check.attemptsLeft })
      }
      case 'accepted': {
        const written = await deps.metadata.put({ ...withoutVersion(item), usedAt: epochSeconds(now) }, { expectedVersion: item.version })
        if (!written.ok) continue
        return ok(undefined)
      }
    }
  }
  return err('CONFLICT', '验证码正在被同时使用，请重试')
}
