/**
 * Webhooks for integrators (issue 15), against the real local server and a real HTTP receiver:
 * endpoints managed by company admins (secret shown once, stored encrypted), contract events
 * delivered from the tick and verified by a receiver written from docs/WEBHOOKS.md's header format
 * (not from the product's code), retries with backoff under double and concurrent ticks, the
 * 24-hour give-up, the delivery log and redelivery, and SSRF attempts refused — at creation over
 * HTTP with the loopback flag off, and at delivery when a name starts resolving to a private address.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import Ajv2020 from 'ajv/dist/2020'
import type { AddressInfo } from 'node:net'
import { openApiPath } from '../../cloud-functions/runtime/openapi'
import { runWebhooksTick } from '../../cloud-functions/handlers/schedule/webhooks-tick'
import { withWebhookServices } from '../../cloud-functions/runtime/services'
import { createWebhook } from '../../cloud-functions/use-cases/webhooks/create-webhook'
import { deleteWebhook } from '../../cloud-functions/use-cases/webhooks/delete-webhook'
import { deliverWebhooks } from '../../cloud-functions/use-cases/webhooks/deliver-webhooks'
import type { WebhookDeps } from '../../cloud-functions/use-cases/webhooks/deps'
import { listWebhookDeliveries } from '../../cloud-functions/use-cases/webhooks/list-webhook-deliveries'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'

jest.setTimeout(600_000)

/** One request the receiver got, and whether its signature checked out (docs/WEBHOOKS.md, written out here). */
type Received = { headers: http.IncomingHttpHeaders; raw: string; event: { id: string; type: string; data: Record<string, unknown> }; verified: boolean; host?: string }

/**
 * A receiver as an integrator writes it from the docs: raw body, `v1=` HMAC-SHA256 over
 * `timestamp + "." + body` with the secret, constant-time compare, timestamp within 5 minutes of its
 * clock. Answers with the statuses queued in `answers` (then 200).
 */
function receiver(clock: ManualClock) {
  const got: Received[] = []
  const answers: number[] = []
  let secret = ''
  const verify = (headers: http.IncomingHttpHeaders, raw: string): boolean => {
    const ts = String(headers['qianyue-timestamp'] ?? '')
    if (!/^\d+$/.test(ts) || Math.abs(clock.nowSeconds() - Number(ts)) > 300) return false
    const expected = Buffer.from('v1=' + createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex'))
    return String(headers['qianyue-signature'] ?? '')
      .split(',')
      .some((p) => Buffer.from(p.trim()).length === expected.length && timingSafeEqual(Buffer.from(p.trim()), expected))
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      got.push({ headers: req.headers, raw, event: JSON.parse(raw), verified: verify(req.headers, raw), host: req.headers.host })
      res.writeHead(answers.shift() ?? 200).end('ok')
    })
  })
  return {
    got,
    answers,
    setSecret: (s: string) => (secret = s),
    start: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const clock = new ManualClock()
let app: TestApp
let flow: ReturnType<typeof contractFlow>
const hook = receiver(clock)
let port: number
let admin: Person
let member: Person
let signer: Person
let companyId: string
let webhookId: string
let secret: string
const companyName = '钩子测试科技有限公司'
const base = () => `/api/companies/${companyId}/webhooks`

beforeAll(async () => {
  port = await hook.start()
  app = await startTestApp({ ESIGN_WEBHOOK_ALLOW_LOOPBACK: 'true', ESIGN_TICK_SECONDS: '0' }, { clock })
  flow = contractFlow(app)
  ;[admin, member, signer] = await Promise.all([flow.verifiedPerson('钱管理', '13900007101', 171), flow.verifiedPerson('孙员工', '13900007102', 172), flow.verifiedPerson('李签署', '13900007103', 173)])
  companyId = app.deps.ids.newId()
  await flow.verifiedCompany(companyId, companyName, admin, [member])
})
afterAll(async () => {
  await app?.stop()
  await hook.stop()
})

/** A contract sent by `admin` for the company to `signer` (one signature field). */
async function sentContract(title: string): Promise<string> {
  const documentId = await flow.upload(admin.token, await makePdf('Webhook contract', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title,
    documentId,
    senderCompanyId: companyId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
    order: [['A']],
    fields: [{ fieldId: 's', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(clock.now().getTime() + 7 * 86400_000).toISOString(),
  }, admin.token)
  expect([created.status, created.body.error]).toEqual([201, undefined])
  const sent = await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, admin.token)
  expect([sent.status, sent.body.error]).toEqual([200, undefined])
  return created.body.contractId
}

const deliveries = async (id = webhookId) => {
  const r = await flow.call('GET', `${base()}/${id}/deliveries?limit=50`, undefined, admin.token)
  expect(r.status).toBe(200)
  return r.body.items as Array<{ deliveryId: string; contractId: string; eventId: string; eventType: string; status: string; attempts: number; nextAttemptAt?: string; lastStatusCode?: number; lastError?: string; redeliveryOf?: string; createdAt: string }>
}

describe('endpoints', () => {
  it('an admin creates one: the secret is answered once, stored only encrypted, never listed; members and outsiders are refused', async () => {
    const refused = await flow.call('POST', base(), { url: `http://127.0.0.1:${port}/hook` }, member.token)
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN'])
    const outsider = await flow.call('GET', base(), undefined, signer.token)
    expect([outsider.status, outsider.body.error.code]).toEqual([403, 'FORBIDDEN'])
    const bad = await flow.call('POST', base(), { url: `http://127.0.0.1:${port}/hook`, events: ['contract.exploded'] }, admin.token)
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])

    const created = await flow.call('POST', base(), { url: `http://127.0.0.1:${port}/hook`, description: '业务系统' }, admin.token)
    expect([created.status, created.body.error]).toEqual([201, undefined])
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(created.body.events).toEqual(['contract.sent', 'signer.signed', 'contract.completed', 'contract.declined', 'contract.revoked', 'contract.expired'])
    webhookId = created.body.webhookId
    secret = created.body.secret
    hook.setSecret(secret)

    const listed = await flow.call('GET', base(), undefined, admin.token)
    expect(listed.status).toBe(200)
    expect(listed.body.items).toEqual([{ webhookId, url: `http://127.0.0.1:${port}/hook`, events: created.body.events, description: '业务系统', createdAt: expect.any(String) }])
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret)
    const stored = await app.deps.metadata.query(`WEBHOOKS#${companyId}`)
    expect(stored.items).toHaveLength(1)
    expect(JSON.stringify(stored.items)).not.toContain(created.body.secret.slice(6))
  })
})

describe('events', () => {
  it('send, sign (signed + completed) and revoke reach the receiver from the tick, each signed as documented', async () => {
    const a = await sentContract('服务协议')
    expect(hook.got).toHaveLength(0) // the request did not wait for the receiver: the tick delivers
    await runWebhooksTick(app.deps)
    expect(hook.got.map((g) => [g.event.type, g.event.data.contractId, g.verified])).toEqual([['contract.sent', a, true]])

    const signed = await flow.sign(signer, a, 'A')
    expect([signed.status, signed.body.error]).toEqual([200, undefined])
    const b = await sentContract('采购合同')
    const revoked = await flow.call('POST', `/api/contracts/${b}/revoke`, { reason: '条款需要调整' }, admin.token, { 'idempotency-key': 'revoke-b' })
    expect(revoked.status).toBe(200)
    await runWebhooksTick(app.deps)

    const seen = hook.got.slice(1).map((g) => [g.event.type, g.event.data.contractId])
    expect(seen).toEqual(expect.arrayContaining([['signer.signed', a], ['contract.completed', a], ['contract.sent', b], ['contract.revoked', b]]))
    expect(seen).toHaveLength(4)
    for (const g of hook.got) {
      expect(g.verified).toBe(true)
      expect(g.headers['qianyue-event']).toBe(g.event.type)
      expect(g.headers['qianyue-delivery']).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(g.headers['content-type']).toBe('application/json')
      expect(g.raw).not.toMatch(/139\d{8}/) // no phone number in any event
    }
    const signedEvent = hook.got.find((g) => g.event.type === 'signer.signed')!.event
    expect(signedEvent.data).toMatchObject({ contractId: a, partyId: 'A', partyName: signer.name, title: '服务协议' })
    expect(hook.got.find((g) => g.event.type === 'contract.revoked')!.event.data).toMatchObject({ reason: '条款需要调整', status: 'revoked' })

    // A tampered body or another secret does not verify with the documented check.
    const one = hook.got[0]!
    const wrong = createHmac('sha256', 'whsec_other').update(`${one.headers['qianyue-timestamp']}.${one.raw}`).digest('hex')
    expect(`v1=${wrong}`).not.toBe(one.headers['qianyue-signature'])

    // Nothing is left to send: another tick sends nothing.
    const before = hook.got.length
    await runWebhooksTick(app.deps)
    expect(hook.got.length).toBe(before)
    const log = await deliveries()
    expect(log.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatusCode === 200)).toBe(true)
  })

  it('a declined contract: contract.declined with the reason (and no event for the party\'s own step)', async () => {
    const before = hook.got.length
    const d = await sentContract('拒签合同')
    const declined = await flow.call('POST', `/api/contracts/${d}/decline`, { reason: '价格需要再谈' }, signer.token, { 'idempotency-key': 'decline-d' })
    expect(declined.status).toBe(200)
    await runWebhooksTick(app.deps)
    const got = hook.got.slice(before)
    // Order between events is not guaranteed (docs/WEBHOOKS.md): both arrive, each once.
    expect(got.map((g) => g.event.type).sort()).toEqual(['contract.declined', 'contract.sent'])
    expect(got.find((g) => g.event.type === 'contract.declined')!.event.data).toMatchObject({ contractId: d, partyId: 'A', reason: '价格需要再谈', status: 'declined' })
    expect(got.every((g) => g.verified)).toBe(true)
  })

  it('the answers match the schemas /api/openapi.json declares', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
    const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as any
    const conforms = (method: string, route: string, res: { status: number; body: unknown }) => {
      const op = doc.paths[openApiPath(route)]?.[method.toLowerCase()]
      let declared = op?.responses[String(res.status)]
      if (declared?.$ref) declared = doc.components.responses[declared.$ref.split('/').pop()]
      if (!declared) throw new Error(`${method} ${route} answered ${res.status}, which the document does not declare`)
      let schema = declared.content?.['application/json']?.schema
      if (schema?.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()]
      const validate = ajv.compile(schema)
      if (!validate(res.body)) throw new Error(`${method} ${route} → ${res.status}: ${ajv.errorsText(validate.errors)}`)
    }
    conforms('GET', '/api/companies/{companyId}/webhooks', await flow.call('GET', base(), undefined, admin.token))
    const log = await flow.call('GET', `${base()}/${webhookId}/deliveries`, undefined, admin.token)
    conforms('GET', '/api/companies/{companyId}/webhooks/{webhookId}/deliveries', log)
    conforms('POST', '/api/companies/{companyId}/webhooks', await flow.call('POST', base(), { url: 'http://10.0.0.1/x' }, admin.token))
    const made = await flow.call('POST', base(), { url: `http://127.0.0.1:${port}/other`, events: ['contract.expired'] }, admin.token)
    conforms('POST', '/api/companies/{companyId}/webhooks', made)
    const again = await flow.call('POST', `${base()}/${webhookId}/deliveries/${log.body.items[0].deliveryId}/redeliver`, undefined, admin.token)
    conforms('POST', '/api/companies/{companyId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', again)
    await runWebhooksTick(app.deps) // sends the redelivery, so later tests start with nothing due
    const removed = await flow.call('DELETE', `${base()}/${made.body.webhookId}`, undefined, admin.token)
    conforms('DELETE', '/api/companies/{companyId}/webhooks/{webhookId}', removed)
    conforms('DELETE', '/api/companies/{companyId}/webhooks/{webhookId}', await flow.call('DELETE', `${base()}/${made.body.webhookId}`, undefined, admin.token))
  })

  it('a contract sent personally (no company) sends nothing', async () => {
    const documentId = await flow.upload(admin.token, await makePdf('personal', 1))
    const created = await flow.call('POST', '/api/contracts', {
      title: '个人合同',
      documentId,
      parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
      order: [['A']],
      fields: [{ fieldId: 's', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
      deadline: new Date(clock.now().getTime() + 86400_000).toISOString(),
    }, admin.token)
    expect((await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, admin.token)).status).toBe(200)
    const before = hook.got.length
    await runWebhooksTick(app.deps)
    expect(hook.got.length).toBe(before)
  })
})

describe('retries', () => {
  it('500, 500, then 200: retried with backoff, once per attempt under double and concurrent ticks; the log shows each step', async () => {
    hook.answers.push(500, 500)
    const before = hook.got.length
    const c = await sentContract('重试合同')
    await Promise.all([runWebhooksTick(app.deps), runWebhooksTick(app.deps)]) // two ticks at once
    expect(hook.got.length - before).toBe(1)
    let d = (await deliveries()).find((x) => x.contractId === c)!
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 })
    expect(Date.parse(d.nextAttemptAt!) - clock.now().getTime()).toBe(30_000)

    await runWebhooksTick(app.deps) // not due yet
    expect(hook.got.length - before).toBe(1)
    clock.advanceSeconds(30)
    await Promise.all([runWebhooksTick(app.deps), runWebhooksTick(app.deps)])
    await runWebhooksTick(app.deps) // and a double tick
    expect(hook.got.length - before).toBe(2)
    d = (await deliveries()).find((x) => x.deliveryId === d.deliveryId)!
    expect(d).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 500 })
    expect(Date.parse(d.nextAttemptAt!) - clock.now().getTime()).toBe(60_000) // doubled

    clock.advanceSeconds(60)
    await Promise.all([runWebhooksTick(app.deps), runWebhooksTick(app.deps)])
    await runWebhooksTick(app.deps)
    expect(hook.got.length - before).toBe(3)
    d = (await deliveries()).find((x) => x.deliveryId === d.deliveryId)!
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 })
    expect(d.nextAttemptAt).toBeUndefined()
    // The same event id and delivery id on every attempt, each attempt signed afresh.
    const attempts = hook.got.slice(before)
    expect(new Set(attempts.map((g) => g.event.id)).size).toBe(1)
    expect(new Set(attempts.map((g) => g.headers['qianyue-delivery'])).size).toBe(1)
    expect(attempts.every((g) => g.verified)).toBe(true)
  })

  it('redelivery: a new delivery of the same event, sent by the next tick, logged with what it repeats', async () => {
    const log = await deliveries()
    const original = log.find((d) => d.status === 'delivered')!
    const other = await flow.call('POST', `${base()}/${webhookId}/deliveries/${original.deliveryId}/redeliver`, undefined, member.token)
    expect([other.status, other.body.error.code]).toEqual([403, 'FORBIDDEN'])
    const missing = await flow.call('POST', `${base()}/${webhookId}/deliveries/nonexistent/redeliver`, undefined, admin.token)
    expect([missing.status, missing.body.error.code]).toEqual([404, 'WEBHOOK_DELIVERY_NOT_FOUND'])

    const again = await flow.call('POST', `${base()}/${webhookId}/deliveries/${original.deliveryId}/redeliver`, undefined, admin.token)
    expect([again.status, again.body.error]).toEqual([202, undefined])
    expect(again.body).toMatchObject({ status: 'pending', attempts: 0, redeliveryOf: original.deliveryId, eventId: original.eventId })
    const before = hook.got.length
    await runWebhooksTick(app.deps)
    expect(hook.got.length - before).toBe(1)
    const got = hook.got.at(-1)!
    expect(got.verified).toBe(true)
    expect(got.event.id).toBe(original.eventId)
    expect(got.headers['qianyue-delivery']).toBe(again.body.deliveryId)
    const after = await deliveries()
    expect(after[0]).toMatchObject({ deliveryId: again.body.deliveryId, status: 'delivered', redeliveryOf: original.deliveryId })
    expect(after.find((d) => d.deliveryId === original.deliveryId)!.status).toBe('delivered')
  })

})

describe('SSRF', () => {
  it('with the loopback flag off (the default): loopback, metadata, private and IPv6 loopback URLs are refused; nothing is stored', async () => {
    const plain = await startTestApp({ ESIGN_TICK_SECONDS: '0' })
    try {
      const f = contractFlow(plain)
      const boss = await f.verifiedPerson('周管理', '13900007201', 181)
      const company = plain.deps.ids.newId()
      await f.verifiedCompany(company, '另一家公司', boss)
      const attempts: Array<[string, number, string]> = [
        [`http://127.0.0.1:${port}/hook`, 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['http://localhost/hook', 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['http://169.254.169.254/latest/meta-data/', 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['http://10.0.0.1/hook', 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['http://192.168.1.10/hook', 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['http://[::1]/hook', 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['http://[::ffff:10.0.0.1]/hook', 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['http://0.0.0.0/hook', 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['ftp://example.com/hook', 400, 'WEBHOOK_URL_INVALID'],
        ['https://user:pw@example.com/hook', 400, 'WEBHOOK_URL_INVALID'],
        ['not a url', 400, 'WEBHOOK_URL_INVALID'],
      ]
      const seen = []
      for (const [url] of attempts) {
        const r = await f.call('POST', `/api/companies/${company}/webhooks`, { url }, boss.token)
        seen.push([url, r.status, r.body.error?.code])
        expect(r.body.error?.message).toMatch(/[\u4e00-\u9fa5]/)
      }
      expect(seen).toEqual(attempts)
      const listed = await f.call('GET', `/api/companies/${company}/webhooks`, undefined, boss.token)
      expect(listed.body.items).toEqual([])
    } finally {
      await plain.stop()
    }
  })

  it('a name resolving to a private address is refused at creation; one re-pointed there later (DNS rebinding) is refused at delivery and never contacted', async () => {
    const real = await withWebhookServices(app.deps)
    let answer: string[] = ['10.1.2.3']
    const deps: WebhookDeps = { ...real, webhooks: { ...real.webhooks, policy: { requireHttps: false, allowLoopback: true }, resolver: { resolve: async () => answer } } }
    const intranet = await createWebhook(deps, { userId: admin.userId, companyId, request: { url: 'http://intranet.example.test/hook' } })
    expect(intranet.ok ? 'created' : intranet.error.code).toBe('WEBHOOK_ADDRESS_FORBIDDEN')
    answer = ['93.184.216.34', '192.168.0.5'] // one public, one private: refused
    const mixed = await createWebhook(deps, { userId: admin.userId, companyId, request: { url: 'http://mixed.example.test/hook' } })
    expect(mixed.ok ? 'created' : mixed.error.code).toBe('WEBHOOK_ADDRESS_FORBIDDEN')
    answer = []
    const nowhere = await createWebhook(deps, { userId: admin.userId, companyId, request: { url: 'http://nowhere.example.test/hook' } })
    expect(nowhere.ok ? 'created' : nowhere.error.code).toBe('WEBHOOK_HOST_UNRESOLVED')

    // The name points at the receiver (loopback allowed here) at creation, and is delivered to by name…
    answer = ['127.0.0.1']
    const named = await createWebhook(deps, { userId: admin.userId, companyId, request: { url: `http://rebind.example.test:${port}/hook`, events: ['contract.sent'] } })
    if (!named.ok) throw new Error(named.error.message)
    hook.setSecret(named.value.secret)
    const before = hook.got.length
    await sentContract('改指向之前')
    await deliverWebhooks(deps)
    const byName = hook.got.slice(before).filter((g) => g.host === `rebind.example.test:${port}`)
    expect(byName.map((g) => [g.event.type, g.verified])).toEqual([['contract.sent', true]])

    // …then it resolves to the cloud metadata address: the delivery is refused before any connection.
    answer = ['169.254.169.254']
    const count = hook.got.length
    await sentContract('改指向之后')
    await deliverWebhooks(deps)
    expect(hook.got.slice(count).filter((g) => g.host === `rebind.example.test:${port}`)).toEqual([])
    const log = await listWebhookDeliveries(deps, { userId: admin.userId, companyId, webhookId: named.value.webhookId, limit: 10 })
    if (!log.ok) throw new Error(log.error.message)
    expect(log.value.items[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'WEBHOOK_ADDRESS_FORBIDDEN' })
    expect(log.value.items[0]!.lastStatusCode).toBeUndefined()
    expect((await deleteWebhook(deps, { userId: admin.userId, companyId, webhookId: named.value.webhookId })).ok).toBe(true)
    hook.setSecret(secret)
  })
})

describe('giving up (last: it moves the clock a day ahead)', () => {
  it('a receiver that never answers 2xx is retried with doubling gaps for 24 hours, then the delivery is failed', async () => {
    const c = await sentContract('一直失败')
    hook.answers.push(...Array<number>(100).fill(503))
    const gaps: number[] = []
    let last = clock.now().getTime()
    let d: Awaited<ReturnType<typeof deliveries>>[number] | undefined
    for (let i = 0; i < 60; i++) {
      await runWebhooksTick(app.deps)
      const deps = await withWebhookServices(app.deps)
      const page = await listWebhookDeliveries(deps, { userId: admin.userId, companyId, webhookId, limit: 50 })
      if (!page.ok) throw new Error(page.error.message)
      d = page.value.items.find((x) => x.contractId === c) as typeof d
      if (!d || d.status !== 'pending') break
      const next = Date.parse(d.nextAttemptAt!)
      gaps.push(next - last)
      last = next
      clock.advanceSeconds((next - clock.now().getTime()) / 1000)
    }
    hook.answers.splice(0)
    expect(d!.status).toBe('failed')
    expect(d!.lastStatusCode).toBe(503)
    expect(gaps.slice(0, 5)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000])
    expect(Math.max(...gaps)).toBe(2 * 3_600_000)
    expect(clock.now().getTime() - Date.parse(d!.createdAt)).toBeLessThanOrEqual(24 * 3_600_000)
    expect(d!.attempts).toBe(gaps.length + 1)
    expect(d!.attempts).toBeGreaterThan(15)
  })
})
