import http from 'node:http'
import https from 'node:https'
import type { Clock } from '../../ports/clock'
import { ProviderRejectedError, ProviderUnavailableError } from '../../ports/provider-errors'
import type { WeChatSubscribeMessage, WeChatSubscribeResult, WeChatSubscribeSender as Port } from '../../ports/wechat-subscribe'

export type WeChatSubscribeOptions = {
  appId: string
  appSecret: string
  /** Default `https://api.weixin.qq.com` (configurable: tests use a fake). */
  apiBase?: string
  /** `developer` | `trial` | `formal` (WeChat's default). */
  miniprogramState?: 'developer' | 'trial' | 'formal'
  timeoutMs?: number
  clock: Clock
}

/** A token is fetched again this long before WeChat says it expires (WeChat serves the new one from 5 min before). */
const REFRESH_BEFORE_MS = 5 * 60_000

/**
 * `subscribeMessage.send` with the access token of `POST /cgi-bin/stable_token` in normal mode
 * (CHINA-APIS.md §4.2–4.3): normal mode answers every caller the same token while it is valid, so
 * each container (or Lambda) keeps its own copy without invalidating another's, and none forces a
 * refresh. The token is cached until 5 minutes before its `expires_in`, one fetch shared by
 * concurrent sends; on `40001`/`42001` (token invalid or expired) it is fetched again and the send
 * retried once. The app secret and the token never reach a log.
 */
export class WeChatSubscribeSender implements Port {
  private readonly base: URL
  private token: { value: string; refreshAt: number } | undefined
  private fetching: Promise<string> | undefined

  constructor(private readonly options: WeChatSubscribeOptions) {
    this.base = new URL(options.apiBase ?? 'https://api.weixin.qq.com')
  }

  async send(message: WeChatSubscribeMessage): Promise<WeChatSubscribeResult> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0)
      const url = new URL('/cgi-bin/message/subscribe/send', this.base)
      url.searchParams.set('access_token', token)
      const body = {
        touser: message.openid,
        template_id: message.templateId,
        page: message.page,
        ...(this.options.miniprogramState ? { miniprogram_state: this.options.miniprogramState } : {}),
        lang: 'zh_CN',
        data: Object.fromEntries(Object.entries(message.data).map(([k, value]) => [k, { value }])),
      }
      const r = await this.post(url, body, 'wechat subscribeMessage.send')
      const errcode = typeof r.errcode === 'number' ? r.errcode : 0
      if (errcode === 0) return { ok: true }
      if ((errcode === 40001 || errcode === 42001) && attempt === 0) {
        this.token = undefined
        continue
      }
      if (errcode === 43101) return { ok: false, reason: 'no-subscription', errcode }
      if (errcode === -1 || errcode === 40001 || errcode === 42001) throw new ProviderUnavailableError('wechat subscribeMessage.send', `errcode ${errcode}`)
      return { ok: false, reason: 'rejected', errcode }
    }
  }

  /** The cached token, or a fresh one (`renew`: the cached one was refused). Concurrent callers share one fetch. */
  private async accessToken(renew: boolean): Promise<string> {
    const now = this.options.clock.now().getTime()
    if (!renew && this.token && now < this.token.refreshAt) return this.token.value
    this.fetching ??= this.fetchToken().finally(() => {
      this.fetching = undefined
    })
    return this.fetching
  }

  private async fetchToken(): Promise<string> {
    const r = await this.post(
      new URL('/cgi-bin/stable_token', this.base),
      { grant_type: 'client_credential', appid: this.options.appId, secret: this.options.appSecret, force_refresh: false },
      'wechat stable_token',
    )
    if (typeof r.access_token === 'string' && r.access_token && typeof r.expires_in === 'number') {
      this.token = { value: r.access_token, refreshAt: this.options.clock.now().getTime() + Math.max(0, r.expires_in * 1000 - REFRESH_BEFORE_MS) }
      return r.access_token
    }
    const errcode = typeof r.errcode === 'number' ? r.errcode : 0
    if (errcode === -1 || errcode === 45009) throw new ProviderUnavailableError('wechat stable_token', `errcode ${errcode}`)
    throw new ProviderRejectedError('wechat stable_token', String(errcode), 'the app id or secret is not accepted')
  }

  private post(url: URL, body: unknown, what: string): Promise<Record<string, unknown>> {
    const timeoutMs = this.options.timeoutMs ?? 10_000
    const transport = url.protocol === 'https:' ? https : http
    const payload = Buffer.from(JSON.stringify(body), 'utf8')
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new ProviderUnavailableError(what, `HTTP ${res.statusCode}`))
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
            if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object')
            resolve(parsed as Record<string, unknown>)
          } catch {
            reject(new ProviderUnavailableError(what, 'the answer is not JSON'))
          }
        })
        res.on('error', (e) => reject(new ProviderUnavailableError(what, 'the answer was cut off', { cause: e })))
      })
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      req.on('close', () => clearTimeout(timer))
      req.on('error', (e) => reject(new ProviderUnavailableError(what, e.message, { cause: e })))
      req.end(payload)
    })
  }
}
