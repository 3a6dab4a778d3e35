/**
 * The 事件推送（Webhook） page (H5 build in Chromium, 375 px wide) against the real local server and a real
 * receiver: a company admin creates an endpoint and sees the secret once (the receiver verifies a
 * delivery with the secret read off the page), reads the delivery log, redelivers, and deletes the
 * endpoint. Screenshots go to .test-tmp/screenshots/webhooks-*.png.
 */
import { createHmac } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { type Browser, type Page } from 'playwright-core'
import { runWebhooksTick } from '../../cloud-functions/handlers/schedule/webhooks-tick'
import { accessibilityProblems, launchChromium, PHONE, SHOTS, signIn } from '../support/browser'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { ManualClock } from '../support/manual-clock'

const ROOT = path.resolve(__dirname, '../..')

jest.setTimeout(300_000)


let app: TestApp
const clock = new ManualClock()
let browser: Browser
let page: Page
let admin: Person
let companyId: string
let port: number
const got: Array<{ event: string; delivery: string; timestamp: string; signature: string; raw: string }> = []
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const h = (n: string) => String(req.headers[n] ?? '')
    got.push({ event: h('qianyue-event'), delivery: h('qianyue-delivery'), timestamp: h('qianyue-timestamp'), signature: h('qianyue-signature'), raw: Buffer.concat(chunks).toString('utf8') })
    // The first delivery is refused, so the log shows a failure to redeliver.
    res.writeHead(got.length === 1 ? 500 : 204).end()
  })
})

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `webhooks-${name}.png`), fullPage: true })
const visible = (selector: string) => page.locator(`${selector}:visible`).first()

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
  fs.mkdirSync(SHOTS, { recursive: true })
  port = await new Promise<number>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve((receiver.address() as AddressInfo).port)))
  app = await startTestApp({ ESIGN_H5_DIR: path.join(ROOT, 'dist/h5'), ESIGN_WEBHOOK_ALLOW_LOOPBACK: 'true', ESIGN_TICK_SECONDS: '0' }, { clock })
  const flow = contractFlow(app)
  admin = await flow.verifiedPerson('吴管理', '13900007301', 231)
  companyId = app.deps.ids.newId()
  await flow.verifiedCompany(companyId, '页面测试有限公司', admin)
  browser = await launchChromium()
  const context = await browser.newContext({ viewport: PHONE })
  await signIn(context, admin.token)
  page = await context.newPage()
  page.setDefaultTimeout(20_000)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await new Promise<void>((resolve) => receiver.close(() => resolve()))
})

it('an admin creates an endpoint (secret shown once), sees the delivery log, redelivers and deletes', async () => {
  await page.goto(`${app.url}/#/packages/webhooks/pages/endpoints/index?companyId=${companyId}`)
  await visible('#webhook-empty').waitFor()
  await page.locator('#webhook-url:visible input, input#webhook-url:visible').first().fill(`http://127.0.0.1:${port}/hook`)
  await page.locator('#webhook-description:visible input, input#webhook-description:visible').first().fill('ERP 系统')
  await visible('#webhook-create').click()
  const secret = (await visible('#webhook-secret').textContent())!.trim()
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
  await visible('.webhooks__url').waitFor()
  await shot('created')

  // A contract sent for the company: the tick delivers it, signed with the secret the page showed.
  const flow = contractFlow(app)
  const documentId = await flow.upload(admin.token, await makePdf('Webhook page', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title: '页面测试合同',
    documentId,
    senderCompanyId: companyId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: admin.name, phone: admin.phone }],
    order: [['A']],
    fields: [{ fieldId: 's', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(Date.now() + 86400_000).toISOString(),
  }, admin.token)
  expect((await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, admin.token)).status).toBe(200)
  await runWebhooksTick(app.deps)
  expect(got).toHaveLength(1)
  expect(got[0]!.signature).toBe(`v1=${createHmac('sha256', secret).update(`${got[0]!.timestamp}.${got[0]!.raw}`).digest('hex')}`)

  // Once dismissed, the secret is gone from the page; reloading never shows it again.
  await visible('#webhook-secret-done').click()
  await page.reload()
  await visible('.webhooks__url').waitFor()
  expect(await page.locator('#webhook-secret').count()).toBe(0)
  expect(await page.content()).not.toContain(secret)

  await visible('.webhook-log-toggle').click()
  await visible('.webhooks__delivery').waitFor()
  expect(await visible('.webhooks__delivery').textContent()).toContain('HTTP 500')
  await shot('log')
  // axe-core (as test/e2e/app-h5.test.ts checks every page): no serious or critical violation with the log open.
  expect(await accessibilityProblems(page, 'webhooks-log')).toEqual([])

  // The retry comes 30 s later and is delivered; then the admin sends it once more by hand.
  clock.advanceSeconds(31)
  await runWebhooksTick(app.deps)
  expect(got).toHaveLength(2)
  await visible('.webhook-log-toggle').click() // close and reopen: the log reloads
  await visible('.webhook-log-toggle').click()
  await visible('.webhook-redeliver').click()
  await visible('#webhook-notice').waitFor()
  await runWebhooksTick(app.deps)
  expect(got).toHaveLength(3)
  expect(got[2]!.event).toBe('contract.sent')
  expect(got[2]!.delivery).not.toBe(got[1]!.delivery)
  await visible('.webhook-log-toggle').click()
  await visible('.webhook-log-toggle').click()
  await page.getByText('手动重发', { exact: false }).first().waitFor()
  await shot('redelivered')

  await visible('.webhook-delete').click()
  await visible('.webhook-delete-confirm').click()
  await visible('#webhook-empty').waitFor()
})
