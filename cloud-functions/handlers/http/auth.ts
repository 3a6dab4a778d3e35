import { ZSmsCodeRequest, ZSmsLoginRequest, ZWeChatLoginRequest } from '../../api/auth.types'
import { authenticate } from '../../runtime/authenticate'
import { lambdaHandler } from '../../runtime/bootstrap'
import { fromDomainError, fromResult, json, parseJsonBody } from '../../runtime/http'
import { withIdentityServices } from '../../runtime/identity-services'
import type { Route } from '../../runtime/router'
import { logOut, logOutEverywhere } from '../../use-cases/auth/log-out'
import { requireUser } from '../../use-cases/identity/identity-records'
import { accountView, loginWithSmsCode } from '../../use-cases/identity/login-with-sms-code'
import { loginWithWeChat } from '../../use-cases/identity/login-with-wechat'
import { requestLoginCode } from '../../use-cases/identity/request-login-code'

/** Login sessions: SMS-code login, WeChat code2Session login, the caller's account, logout (see api/auth.types.ts). */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/auth/sms-codes',
    handle: async (event, { deps }) => {
      const body = parseJsonBody(event, ZSmsCodeRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await requestLoginCode(await withIdentityServices(deps), body.value), 202)
    },
  },
  {
    method: 'POST',
    path: '/api/auth/sms-login',
    handle: async (event, { deps }) => {
      const body = parseJsonBody(event, ZSmsLoginRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await loginWithSmsCode(await withIdentityServices(deps), body.value))
    },
  },
  {
    method: 'POST',
    path: '/api/auth/wechat-login',
    handle: async (event, { deps }) => {
      const body = parseJsonBody(event, ZWeChatLoginRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await loginWithWeChat(await withIdentityServices(deps), body.value))
    },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    handle: async (event, { deps }) => {
      const session = await authenticate(event, deps)
      if (!session.ok) return fromDomainError(session.error)
      const user = await requireUser(deps.metadata, session.value.sub)
      return user.ok ? json(200, accountView(user.value), { 'cache-control': 'no-store' }) : fromDomainError(user.error)
    },
  },
  ...(
    [
      ['/api/auth/logout', logOut],
      ['/api/auth/logout-all', logOutEverywhere],
    ] as const
  ).map(
    ([path, revoke]): Route => ({
      method: 'POST',
      path,
      handle: async (event, { deps }) => {
        const session = await authenticate(event, deps)
        if (!session.ok) return fromDomainError(session.error)
        const done = await revoke(deps, session.value)
        return done.ok ? { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' } : fromDomainError(done.error)
      },
    }),
  ),
]

export const handler = lambdaHandler(routes)
