import http from 'node:http'
import https from 'node:https'
import { ProviderRejectedError, ProviderUnavailableError } from '../../ports/provider-errors'
import type { Code2SessionResult, WeChatCodeLogin } from '../../ports/wechat-login'

export type { Code2SessionResult }

export type WeChatLoginOptions = {
  appId: string
  appSecret: string
  /** Default `https://api.weixin.qq.com` (configurable: tests use a fake). */
  apiBase?: string
  timeoutMs?: number
}

/**
 * WeChat mini-program login: `GET /sns/jscode2session` (code2Session, CHINA-APIS.md §4.1). The
 * `session_key` is read and dropped: it never leaves this function (nor reaches a log or client).
 */
export class WeChatLogin implements WeChatCodeLogin {
  private readonly base: URL

  constructor(private readonly options: WeChatLoginOptions) {
    this.base = new URL(options.apiBase ?? 'https://api.weixin.qq.com')
  }

  async code2Session(code: string): Promise<Code2SessionResult> {
    const url = new URL('/sns/jscode2session', this.base)
    url.searchParams.set('appid', this.options.appId)
    url.searchParams.set('secret', this.options.appSecret)
    url.searchParams.set('js_code', code)
    url.searchParams.set('grant_type', 'authorization_code')
    const body = await this.get(url)
    let r: { openid?: string; unionid?: string; errcode?: number; errmsg?: string }
    try {
      r = JSON.parse(body)
    } catch {
      throw new ProviderUnavailableError('wechat code2Session', 'the answer is not JSON')
    }
    const errcode = r.errcode ?? 0
    if (errcode === 0 && r.openid) return { ok: true, openid: r.openid, ...(r.unionid ? { unionid: r.unionid } : {}) }
    if (errcode === 40029 || errcode === 40163) return { ok: false, reason: 'invalid-code', errcode }
    if (errcode === 45011) return { ok: false, reason: 'rate-limited', errcode }
    if (errcode === 40226) return { ok: false, reason: 'blocked', errcode }
    if (errcode === -1 || errcode === 0) throw new ProviderUnavailableError('wechat code2Session', `errcode ${errcode}: system busy`)
    throw new ProviderRejectedError('wechat code2Session', String(errcode), 'the app id or secret is not accepted')
  }

  private get(url: URL): Promise<string> {
    const timeoutMs = this.options.timeoutMs ?? 10_000
    const transport = url.protocol === 'https:' ? https : http
    return new Promise((resolve, reject) => {
      const req = transport.get(url, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new ProviderUnavailableError('wechat code2Session', `HTTP ${res.statusCode}`))))
        res.on('error', (e) => reject(new ProviderUnavailableError('wechat code2Session', 'the answer was cut off', { cause: e })))
      })
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      req.on('close', () => clearTimeout(timer))
      // The message never includes the URL: it carries the app secret.
      req.on('error', (e) => reject(e instanceof ProviderUnavailableError ? e : new ProviderUnavailableError('wechat code2Session', e.message.replace(/secret=[^&\s]+/g, 'secret=***'))))
    })
  }
}
