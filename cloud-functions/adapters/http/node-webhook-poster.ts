import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { WebhookPoster, WebhookPostOutcome, WebhookPostRequest } from '../../ports/webhook-poster'

/** At most this much of a receiver's answer is read (it is not kept: only the status counts). */
const MAX_RESPONSE_BYTES = 64 * 1024

/**
 * `node:http(s)` POST pinned to the checked address: the socket's `lookup` answers with that address
 * only, while the `Host` header and TLS (SNI and certificate check) use the URL's name. No redirects,
 * no keep-alive, a hard timeout for the whole exchange.
 */
export class NodeWebhookPoster implements WebhookPoster {
  post(request: WebhookPostRequest): Promise<WebhookPostOutcome> {
    const url = new URL(request.url)
    const family = request.address.includes(':') ? 6 : 4
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options && (options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: request.address, family }])
      else callback(null, request.address, family)
    }
    const client = url.protocol === 'https:' ? https : http
    const body = Buffer.from(request.body, 'utf8')
    return new Promise((resolve) => {
      let settled = false
      const done = (outcome: WebhookPostOutcome) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(outcome)
      }
      const req = client.request(
        url,
        { method: 'POST', lookup: pinned, agent: false, headers: { ...request.headers, 'content-type': 'application/json', 'content-length': String(body.length), 'user-agent': 'Qianyue-Webhooks/1' } },
        (res) => {
          let read = 0
          res.on('data', (chunk: Buffer) => {
            read += chunk.length
            if (read > MAX_RESPONSE_BYTES) res.destroy()
          })
          res.on('error', () => done({ status: res.statusCode ?? 0 }))
          res.on('close', () => done({ status: res.statusCode ?? 0 }))
          res.on('end', () => done({ status: res.statusCode ?? 0 }))
        },
      )
      const timer = setTimeout(() => {
        req.destroy(new Error('timeout'))
        done({ error: `no answer within ${request.timeoutMs} ms` })
      }, request.timeoutMs)
      req.on('error', (e) => done({ error: (e as NodeJS.ErrnoException).code ?? e.message }))
      req.end(body)
    })
  }
}
