import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A fake of `api.weixin.qq.com` (CHINA-APIS.md §4), always HTTP 200 with `errcode`, like WeChat:
 * - code2Session (§4.1): checks appid, secret and grant_type; each issued `js_code` works once
 *   (40163 after), unknown codes are 40029, a wrong secret 40125, `busy` codes answer -1.
 * - `POST /cgi-bin/stable_token` (§4.2): JSON body only; normal mode answers the same token while it
 *   is valid (`expires_in` counts down); `invalidateToken()` plays WeChat dropping it (then 40001).
 * - `POST /cgi-bin/message/subscribe/send` (§4.3): a valid token (40001), a known openid (40003),
 *   a configured template (40037), one subscription spent per send and 43101 when none is left,
 *   47003 naming the field for a `thing` over 20 characters or a `phrase` that is not ≤ 5 Han.
 */
export class FakeWeChat {
  private readonly codes = new Map<string, { openid: string; used: boolean }>()
  private server?: http.Server
  url = ''
  requests = 0
  /** stable_token calls, and the messages WeChat accepted. */
  tokenRequests = 0
  readonly delivered: Array<{ touser: string; template_id: string; page?: string; data: Record<string, { value: string }> }> = []
  /** Templates of the app, and subscriptions left per `openid template`. */
  readonly templates = new Set<string>()
  private readonly subscriptions = new Map<string, number>()
  private token: { value: string; expiresAtMs: number } | undefined
  /** What the next send answers instead of checking (e.g. -1), once. */
  nextSendErrcode: number | undefined

  constructor(private readonly appId: string, private readonly secret: string) {}

  /** A code `wx.login` would have returned for `openid`. */
  issueCode(openid: string): string {
    const code = `code-${Math.random().toString(36).slice(2)}`
    this.codes.set(code, { openid, used: false })
    return code
  }

  /** The user accepted `wx.requestSubscribeMessage` for `templateId` `times` times (WeChat's side of it). */
  grantSubscription(openid: string, templateId: string, times = 1): void {
    const key = `${openid} ${templateId}`
    this.subscriptions.set(key, (this.subscriptions.get(key) ?? 0) + times)
  }

  subscriptionsLeft(openid: string, templateId: string): number {
    return this.subscriptions.get(`${openid} ${templateId}`) ?? 0
  }

  /** WeChat stops accepting the current token (as after a refresh through `/cgi-bin/token` elsewhere). */
  invalidateToken(): void {
    this.token = undefined
  }

  private readonly openids = new Set<string>()

  private stableToken(body: Record<string, unknown>): Record<string, unknown> {
    this.tokenRequests++
    if (body.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' }
    if (body.appid !== this.appId) return { errcode: 40013, errmsg: 'invalid appid' }
    if (body.secret !== this.secret) return { errcode: 40125, errmsg: 'invalid appsecret' }
    const now = Date.now()
    if (!this.token || this.token.expiresAtMs <= now || body.force_refresh === true) this.token = { value: `token-${Math.random().toString(36).slice(2)}`.padEnd(512, 'x'), expiresAtMs: now + 7200_000 }
    return { access_token: this.token.value, expires_in: Math.floor((this.token.expiresAtMs - now) / 1000) }
  }

  private subscribeSend(token: string | null, body: Record<string, unknown>): Record<string, unknown> {
    if (!this.token || token !== this.token.value) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }
    if (this.nextSendErrcode !== undefined) {
      const errcode = this.nextSendErrcode
      this.nextSendErrcode = undefined
      return { errcode, errmsg: 'system error' }
    }
    const touser = String(body.touser ?? '')
    if (!this.openids.has(touser)) return { errcode: 40003, errmsg: 'invalid openid' }
    const templateId = String(body.template_id ?? '')
    if (!this.templates.has(templateId)) return { errcode: 40037, errmsg: 'invalid template_id' }
    const data = (body.data ?? {}) as Record<string, { value?: unknown }>
    for (const [key, v] of Object.entries(data)) {
      const value = typeof v?.value === 'string' ? v.value : ''
      const type = key.replace(/\d+$/, '')
      const chars = Array.from(value)
      if ((type === 'thing' && chars.length > 20) || (type === 'phrase' && (chars.length > 5 || !chars.every((c) => /\p{Script=Han}/u.test(c)))) || value === '') {
        return { errcode: 47003, errmsg: `argument invalid! data.${key}.value invalid` }
      }
    }
    const key = `${touser} ${templateId}`
    const left = this.subscriptions.get(key) ?? 0
    if (left <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' }
    this.subscriptions.set(key, left - 1)
    this.delivered.push({ touser, template_id: templateId, page: typeof body.page === 'string' ? body.page : undefined, data: data as Record<string, { value: string }> })
    return { errcode: 0, errmsg: 'ok' }
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.requests++
      const url = new URL(req.url ?? '/', 'http://fake')
      const reply = (body: Record<string, unknown>) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.method === 'POST' && (url.pathname === '/cgi-bin/stable_token' || url.pathname === '/cgi-bin/message/subscribe/send')) {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
          let body: Record<string, unknown>
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
          } catch {
            return reply({ errcode: 47001, errmsg: 'data format error' })
          }
          reply(url.pathname === '/cgi-bin/stable_token' ? this.stableToken(body) : this.subscribeSend(url.searchParams.get('access_token'), body))
        })
        return
      }
      if (url.pathname !== '/sns/jscode2session' || req.method !== 'GET') return reply({ errcode: 40066, errmsg: 'invalid url' })
      const q = url.searchParams
      if (q.get('grant_type') !== 'authorization_code') return reply({ errcode: 40002, errmsg: 'invalid grant_type' })
      if (q.get('appid') !== this.appId) return reply({ errcode: 40013, errmsg: 'invalid appid' })
      if (q.get('secret') !== this.secret) return reply({ errcode: 40125, errmsg: 'invalid appsecret' })
      const code = q.get('js_code') ?? ''
      if (code === 'busy') return reply({ errcode: -1, errmsg: 'system error' })
      const entry = this.codes.get(code)
      if (!entry) return reply({ errcode: 40029, errmsg: 'invalid code' })
      if (entry.used) return reply({ errcode: 40163, errmsg: 'code been used' })
      entry.used = true
      this.openids.add(entry.openid)
      reply({ openid: entry.openid, session_key: 'c2Vzc2lvbi1rZXktbmV2ZXItbG9nZ2Vk' })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve())
      this.server?.closeAllConnections()
    })
  }
}
