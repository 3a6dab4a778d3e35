import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A fake of `api.weixin.qq.com` for code2Session (CHINA-APIS.md §4.1): checks appid, secret and
 * grant_type; each issued `js_code` works once (40163 after), unknown codes are 40029, a wrong
 * secret 40125, `busy` codes answer -1. Always HTTP 200 with `errcode`, like WeChat.
 */
export class FakeWeChat {
  private readonly codes = new Map<string, { openid: string; used: boolean }>()
  private server?: http.Server
  url = ''
  requests = 0

  constructor(private readonly appId: string, private readonly secret: string) {}

  /** A code `wx.login` would have returned for `openid`. */
  issueCode(openid: string): string {
    const code = `code-${Math.random().toString(36).slice(2)}`
    this.codes.set(code, { openid, used: false })
    return code
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.requests++
      const url = new URL(req.url ?? '/', 'http://fake')
      const reply = (body: Record<string, unknown>) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
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
