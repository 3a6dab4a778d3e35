import type { AccountView, LoginResponse } from '../../api/identity.types'
import { encryptPersonalData, lookupHash } from '../../core/identity/personal-data'
import { parsePhone } from '../../core/identity/phone'
import { maskPhone } from '../../core/shared/mask'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { userKey, loadUser, phoneLookupKey, type UserRecord } from './records'
import { verifySmsCode } from './verify-sms-code'

/** Session lifetime of a login. */
export const LOGIN_TTL_SECONDS = 12 * 3600

/**
 * `POST /api/auth/sms-login`: check the login code, then find the account by the phone's lookup
 * hash, or create it (account + phone claim in one transaction, so two first logins of one phone
 * agree on one account). Returns a user session token.
 */
export async function loginWithSmsCode(deps: IdentityDeps, input: { phone: string; code: string }): Promise<Result<LoginResponse>> {
  const phone = parsePhone(input.phone)
  if (!phone.ok) return phone
  const checked = await verifySmsCode(deps, { phone: phone.value, purpose: 'login', scope: 'login', code: input.code })
  if (!checked.ok) return checked
  const phoneHash = lookupHash(deps.personalData, 'phone', phone.value)
  const found = await findOrCreate(deps, phoneHash, phone.value)
  if (!found.ok) return found
  const { user, created } = found.value
  deps.logger.info({ userId: user.userId, created, method: 'sms' }, 'login')
  return ok({ token: await deps.sessions.issue({ kind: 'user', sub: user.userId }, LOGIN_TTL_SECONDS), expiresInSeconds: LOGIN_TTL_SECONDS, created, account: accountView(user) })
}

async function findOrCreate(deps: IdentityDeps, phoneHash: string, phone: string): Promise<Result<{ user: UserRecord; created: boolean }>> {
  for (let round = 0; round < 3; round++) {
    const claim = await deps.metadata.get(phoneLookupKey(phoneHash).pk, phoneLookupKey(phoneHash).sk)
    if (claim) {
      const user = await loadUser(deps.metadata, String(claim.userId))
      if (user) return ok({ user, created: false })
    }
    const userId = deps.ids.newId()
    const user = {
      ...userKey(userId),
      type: 'user' as const,
      userId,
      createdAt: deps.clock.now().toISOString(),
      loginPhoneEnc: encryptPersonalData(deps.personalData, 'phone', phone),
      loginPhoneHash: phoneHash,
      maskedLoginPhone: maskPhone(phone),
    }
    const written = await deps.metadata.transact([
      { put: user, condition: { mustNotExist: true } },
      { put: { ...phoneLookupKey(phoneHash), userId, createdAt: user.createdAt }, condition: { mustNotExist: true } },
    ])
    if (written.ok) return ok({ user: { ...user, version: 1 }, created: true })
  }
  return err('CONFLICT', '账号正在创建，请重试')
}

export function accountView(user: UserRecord): AccountView {
  return {
    userId: user.userId,
    ...(user.maskedLoginPhone ? { maskedPhone: user.maskedLoginPhone } : {}),
    realName: user.person?.status ?? 'unverified',
    ...(user.person?.status === 'verified' ? { name: user.person.name } : {}),
  }
}
