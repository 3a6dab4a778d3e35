import { ZAccountView, ZLoginResponse, ZSmsCodeRequest, ZSmsCodeSent, ZSmsLoginRequest, ZWeChatLoginRequest } from '../../api/identity.types'
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
    doc: {
      summary: '发送登录短信验证码',
      tags: ['auth'],
      auth: 'none',
      body: ZSmsCodeRequest,
      response: ZSmsCodeSent,
      responseStatus: 202,
      errors: ['PHONE_INVALID', 'SMS_RESEND_TOO_SOON', 'SMS_DAILY_LIMIT', 'SMS_SEND_FAILED', 'PROVIDER_UNAVAILABLE'],
    },
    handle: async (event, { deps }) => {
      const body = parseJsonBody(event, ZSmsCodeRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await requestLoginCode(await withIdentityServices(deps), { ...body.value, sourceIp: event.requestContext?.http?.sourceIp ?? '' }), 202)
    },
  },
  {
    method: 'POST',
    path: '/api/auth/sms-login',
    doc: {
      summary: '短信验证码登录（首次登录创建账号）',
      tags: ['auth'],
      auth: 'none',
      body: ZSmsLoginRequest,
      response: ZLoginResponse,
      errors: ['PHONE_INVALID', 'SMS_CODE_INVALID', 'SMS_CODE_EXPIRED', 'SMS_CODE_USED', 'SMS_CODE_ATTEMPTS_EXCEEDED'],
    },
    handle: async (event, { deps }) => {
      const body = parseJsonBody(event, ZSmsLoginRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await loginWithSmsCode(await withIdentityServices(deps), body.value))
    },
  },
  {
    method: 'POST',
    path: '/api/auth/wechat-login',
    doc: {
      summary: '微信登录（wx.login 的 code）',
      tags: ['auth'],
      auth: 'none',
      body: ZWeChatLoginRequest,
      response: ZLoginResponse,
      errors: ['WECHAT_CODE_INVALID', 'WECHAT_LOGIN_UNAVAILABLE', 'PROVIDER_ERROR'],
    },
    handle: async (event, { deps }) => {
      const body = parseJsonBody(event, ZWeChatLoginRequest)
      if (!body.ok) return fromDomainError(body.error)
      return fromResult(await loginWithWeChat(await withIdentityServices(deps), body.value))
    },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    doc: { summary: '当前账号', tags: ['auth'], response: ZAccountView, errors: ['SESSION_EXPIRED', 'SESSION_REVOKED'] },
    handle: signedIn(async (_event, { deps, session }) => {
      const user = await requireUser(deps.metadata, session.sub)
      return user.ok ? json(200, accountView(user.value), { 'cache-control': 'no-store' }) : fromDomainError(user.error)
    }),
  },
  ...(
    [
      ['/api/auth/logout', logOut, '退出登录（注销本会话）'],
      ['/api/auth/logout-all', logOutEverywhere, '在所有设备上退出登录'],
    ] as const
  ).map(
    ([path, revoke, summary]): Route => ({
      method: 'POST',
      path,
      doc: { summary, tags: ['auth'], responseStatus: 204, errors: ['SESSION_EXPIRED', 'SESSION_REVOKED'] },
      handle: signedIn(async (_event, { deps, session }) => {
        const done = await revoke(deps, session)
        return done.ok ? { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' } : fromDomainError(done.error)
      }),
    }),
  ),
]

export const handler = lambdaHandler(routes)
