import { ZSmsCodeRequest, ZSmsLoginRequest, ZWeChatLoginRequest } from '../../api/identity.types'
import { lambdaHandler } from '../../runtime/bootstrap'
import { fromDomainError, fromResult, json, parseJsonBody } from '../../runtime/http'
import { withIdentityServices } from '../../runtime/services'
import type { Route } from '../../runtime/router'
import { logOut, logOutEverywhere } from '../../use-cases/auth/log-out'
import { requireUser } from '../../use-cases/identity/records'
import { accountView, loginWithSmsCode } from '../../use-cases/identity/login-with-sms-code'
import { loginWithWeChat } from '../../use-cases/identity/login-with-wechat'
import { requestLoginCode } from '../../use-cases/identity/request-login-code'
import { signedIn } from '../signed-in'

/** Login sessions: SMS-code login, WeChat code2Session login, the caller's account, logout and log out everywhere (see api/identity.types.ts). */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/auth/sms-codes',
    handle: async (event, { deps }) => {
      const body = parseJsonBody(event, ZSmsCodeRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await requestLoginCode(await withIdentityServices(deps), { ...body.value, sourceIp: event.requestContext?.http?.sourceIp ?? '' }), 202)
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
    handle: signedIn(async (_event, { deps, session }) => {
      const user = await requireUser(deps.metadata, session.sub)
      return user.ok ? json(200, accountView(user.value), { 'cache-control': 'no-store' }) : fromDomainError(user.error)
    }),
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
      handle: signedIn(async (_event, { deps, session }) => {
        const done = await revoke(deps, session)
        return done.ok ? { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' } : fromDomainError(done.error)
      }),
    }),
  ),
]

export const handler = lambdaHandler(routes)
