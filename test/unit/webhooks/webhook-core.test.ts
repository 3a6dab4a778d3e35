/**
 * The pure parts of webhooks (issue 15): the signature against openssl's HMAC (an independent
 * judge), the URL and address policy over every range that must be refused, the retry schedule,
 * and the events a transition produces.
 */
import { execFileSync } from 'node:child_process'
import type { Contract } from '../../../cloud-functions/core/contracts/contract'
import { nextWebhookAttempt, WEBHOOK_RETRY_WINDOW_MS } from '../../../cloud-functions/core/webhooks/retry-schedule'
import { webhookEventsOf } from '../../../cloud-functions/core/webhooks/webhook-event'
import { verifyWebhookSignature, webhookSignature } from '../../../cloud-functions/core/webhooks/webhook-signature'
import { checkWebhookAddresses, parseWebhookUrl } from '../../../cloud-functions/core/webhooks/webhook-url'

describe('webhookSignature', () => {
  it('is v1= HMAC-SHA256 over "<timestamp>.<body>", as openssl computes it', () => {
    const secret = 'whsec_k3y-Example_0123456789'
    const body = '{"id":"evt_1","type":"contract.sent","data":{"title":"服务协议"}}'
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: `1767225600.${body}` }).toString()
    const hex = /([0-9a-f]{64})\s*$/.exec(openssl)![1]
    expect(webhookSignature(secret, 1767225600, body)).toBe(`v1=${hex}`)
  })

  it('verifies within the tolerance only, for the exact body and secret', () => {
    const header = webhookSignature('whsec_a', 1000, 'body')
    expect(verifyWebhookSignature({ secret: 'whsec_a', header, timestamp: 1000, body: 'body', nowSeconds: 1200 })).toBe(true)
    expect(verifyWebhookSignature({ secret: 'whsec_a', header: `v1=00, ${header}`, timestamp: 1000, body: 'body', nowSeconds: 1000 })).toBe(true)
    expect(verifyWebhookSignature({ secret: 'whsec_a', header, timestamp: 1000, body: 'body', nowSeconds: 1301 })).toBe(false)
    expect(verifyWebhookSignature({ secret: 'whsec_a', header, timestamp: 1000, body: 'body ', nowSeconds: 1000 })).toBe(false)
    expect(verifyWebhookSignature({ secret: 'whsec_b', header, timestamp: 1000, body: 'body', nowSeconds: 1000 })).toBe(false)
  })
})

describe('webhook URL policy', () => {
  const local = { requireHttps: false, allowLoopback: false }
  const aws = { requireHttps: true, allowLoopback: false }
  it('https only in AWS mode; no credentials; a real URL', () => {
    expect(parseWebhookUrl('https://hooks.example.com/x', aws).ok).toBe(true)
    const code = (raw: string, p = aws) => {
      const r = parseWebhookUrl(raw, p)
      return r.ok ? 'ok' : r.error.code
    }
    expect(code('http://hooks.example.com/x')).toBe('WEBHOOK_URL_INVALID')
    expect(code('http://hooks.example.com/x', local)).toBe('ok')
    expect(code('ftp://hooks.example.com/x', local)).toBe('WEBHOOK_URL_INVALID')
    expect(code('https://a:b@hooks.example.com/x')).toBe('WEBHOOK_URL_INVALID')
    expect(code('hooks.example.com')).toBe('WEBHOOK_URL_INVALID')
  })

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['not-an-ip', 'invalid'],
  ])('%s is refused (%s)', (address, range) => {
    const r = checkWebhookAddresses([address], { allowLoopback: false })
    expect(r.ok ? 'allowed' : [r.error.code, r.error.details?.range]).toEqual(['WEBHOOK_ADDRESS_FORBIDDEN', range])
  })

  it('public addresses pass; one bad address among good ones refuses the host; loopback only with the flag; none is unresolved', () => {
    expect(checkWebhookAddresses(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'], { allowLoopback: false }).ok).toBe(true)
    expect(checkWebhookAddresses(['93.184.216.34', '10.0.0.1'], { allowLoopback: false }).ok).toBe(false)
    expect(checkWebhookAddresses(['127.0.0.1'], { allowLoopback: true }).ok).toBe(true)
    expect(checkWebhookAddresses(['10.0.0.1'], { allowLoopback: true }).ok).toBe(false)
    expect(checkWebhookAddresses(['169.254.169.254'], { allowLoopback: true }).ok).toBe(false)
    const none = checkWebhookAddresses([], { allowLoopback: false })
    expect(none.ok ? 'ok' : none.error.code).toBe('WEBHOOK_HOST_UNRESOLVED')
  })
})

describe('nextWebhookAttempt', () => {
  it('doubles from 30 s up to 2 h apart, and stops 24 hours after the event', () => {
    const first = new Date('2026-01-01T00:00:00Z')
    let now = first
    const gaps: number[] = []
    for (let attempts = 1; ; attempts++) {
      const next = nextWebhookAttempt(first, attempts, now)
      if (!next) break
      gaps.push(next.getTime() - now.getTime())
      now = next
    }
    expect(gaps.slice(0, 9)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7200].map((s) => s * 1000))
    expect(gaps.slice(9).every((g) => g === 7_200_000)).toBe(true)
    expect(now.getTime() - first.getTime()).toBeLessThanOrEqual(WEBHOOK_RETRY_WINDOW_MS)
    expect(now.getTime() - first.getTime()).toBeGreaterThan(WEBHOOK_RETRY_WINDOW_MS - 7_200_000)
  })
})

describe('webhookEventsOf', () => {
  const contract = {
    contractId: 'c1',
    title: '服务协议',
    status: 'completed',
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: '张三', phone: '139****0001' }],
  } as unknown as Contract
  it('maps the transitions integrators see, with stable ids and no phone', () => {
    const events = webhookEventsOf(contract, [
      { type: 'SignerSigned', at: '2026-01-01T00:00:00.000Z', partyId: 'A', values: {}, marks: {}, documentSha256: 'x' },
      { type: 'SignerNotified', at: '2026-01-01T00:00:00.000Z', partyId: 'A' },
      { type: 'ContractCompleted', at: '2026-01-01T00:00:00.000Z' },
    ], 7)
    expect(events).toEqual([
      { id: 'evt_c1_7_0', type: 'signer.signed', createdAt: '2026-01-01T00:00:00.000Z', data: { contractId: 'c1', title: '服务协议', status: 'completed', partyId: 'A', partyName: '张三' } },
      { id: 'evt_c1_7_2', type: 'contract.completed', createdAt: '2026-01-01T00:00:00.000Z', data: { contractId: 'c1', title: '服务协议', status: 'completed' } },
    ])
    expect(JSON.stringify(events)).not.toContain('139')
  })
})
