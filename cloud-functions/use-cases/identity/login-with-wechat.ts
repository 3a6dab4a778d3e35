import type { LoginResponse } from '../../api/identity.types'
import { encryptPersonalData, lookupHash } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { userKey, loadUser, wechatLookupKey } from './records'
import { callProvider } from './call-provider'
import { LOGIN_TTL_SECONDS, accountView } from './login-with-sms-code'

/**
 * `POST /api/auth/wechat-login`: exchange a `wx.login` code for the user's openid (code2Session),
 * find the account by the openid's lookup hash or create it. `WECHAT_LOGIN_UNAVAILABLE` when no
 * app id is configured; `WECHAT_CODE_INVALID` for a used or expired code.
 */
export async function loginWithWeChat(deps: IdentityDeps, input: { code: string }): Promise<Result<LoginResponse>> {
  const wechat = deps.wechat
  if (!wechat) return err('WECHAT_LOGIN_UNAVAILABLE', '未配置微信登录（ESIGN_WECHAT_APP_ID），请使用短信验证码登录')
  const answer = await callProvider(deps.logger, 'wechat code2Session', () => wechat.code2Session(input.code))
  if (!answer.ok) return answer
  if (!answer.value.ok) {
    if (answer.value.reason === 'rate-limited') return err('TOO_MANY_REQUESTS', '微信登录过于频繁，请稍后再试')
    if (answer.value.reason === 'blocked') return err('FORBIDDEN', '微信提示该账号存在风险，暂时无法登录')
    return err('WECHAT_CODE_INVALID', '微信登录凭证无效或已使用，请重新登录', { field: 'code' })
  }
  const openidHash = lookupHash(deps.personalData, 'wechat-openid', answer.value.openid)
  for (let round = 0; round < 3; round++) {
    const claim = await deps.metadata.get(wechatLookupKey(openidHash).pk, wechatLookupKey(openidHash).sk)
    const existing = claim ? await loadUser(deps.metadata, String(claim.userId)) : undefined
    if (existing) {
      // Accounts made before the openid was kept: keep it now (subscription messages need it); a concurrent change wins.
      if (!existing.wechatOpenIdEnc) {
        const { version, ...fields } = existing
        await deps.metadata.put({ ...fields, wechatOpenIdEnc: encryptPersonalData(deps.personalData, 'wechat-openid', answer.value.openid) }, { expectedVersion: version })
      }
      deps.logger.info({ userId: existing.userId, created: false, method: 'wechat' }, 'login')
      return ok({ token: await deps.sessions.issue({ kind: 'user', sub: existing.userId }, LOGIN_TTL_SECONDS), expiresInSeconds: LOGIN_TTL_SECONDS, created: false, account: accountView(existing) })
    }
    const userId = deps.ids.newId()
    const user = { ...userKey(userId), type: 'user' as const, userId, createdAt: deps.clock.now().toISOString(), wechatOpenIdHash: openidHash, wechatOpenIdEnc: encryptPersonalData(deps.personalData, 'wechat-openid', answer.value.openid) }
    const written = await deps.metadata.transact([
      { put: user, condition: { mustNotExist: true } },
      { put: { ...wechatLookupKey(openidHash), userId, createdAt: user.createdAt }, condition: { mustNotExist: true } },
    ])
    if (written.ok) {
      deps.logger.info({ userId, created: true, method: 'wechat' }, 'login')
      return ok({ token: await deps.sessions.issue({ kind: 'user', sub: userId }, LOGIN_TTL_SECONDS), expiresInSeconds: LOGIN_TTL_SECONDS, created: true, account: accountView({ ...user, version: 1 }) })
    }
  }
  return err('CONFLICT', '账号正在创建，请重试')
}
