import fs from 'node:fs'
import path from 'node:path'
import { type Browser, type Page } from 'playwright-core'
import { launchChromium, PHONE, SHOTS, signedInContext } from '../support/browser'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

/**
 * 续签 in the H5 build at 375 px against the real local server: a completed contract whose
 * validity ends in 20 days is on the home page's 即将到期 section and in the list's 即将到期
 * filter; its detail shows 即将到期 and 续签; renewing opens the new draft, whose detail shows the
 * chain (原合同 → 本合同), and the original's detail shows it too. Screenshots under
 * .test-tmp/screenshots/renewals-*. Needs dist/h5 (npm test builds it) and /usr/bin/chromium.
 */
const ROOT = path.resolve(__dirname, '../..')
const TITLE = '门店租赁合同'
const DAY = 86_400_000

jest.setTimeout(300_000)


let app: TestApp
let browser: Browser
let page: Page
let sender: Person
let contractId: string

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `renewals-${name}.png`), fullPage: true })
/** Taro's H5 router keeps earlier pages (hidden) in the document: act on the visible one. */
const visible = (id: string) => page.locator(`#${id}:visible`).first()
const beijingDate = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * DAY).toISOString().slice(0, 10)

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
  fs.mkdirSync(SHOTS, { recursive: true })
  app = await startTestApp({ ESIGN_H5_DIR: path.join(ROOT, 'dist/h5') })
  const flow = contractFlow(app)
  const signer = await flow.verifiedPerson('苗签署', '13900006202', 222)
  sender = await flow.verifiedPerson('卜发起', '13900006201', 221)
  const documentId = await flow.upload(sender.token, await makePdf('Lease', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title: TITLE,
    documentId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
    order: [['A']],
    fields: [{ fieldId: 's0', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(Date.now() + 5 * DAY).toISOString(),
    validUntil: beijingDate(20),
  }, sender.token)
  expect(created.status).toBe(201)
  contractId = created.body.contractId
  expect((await flow.call('POST', `/api/contracts/${contractId}/send`, undefined, sender.token)).status).toBe(200)
  expect((await flow.sign(signer, contractId, 'A')).body.contract?.status).toBe('completed')

  browser = await launchChromium()
  const context = await signedInContext(browser, sender.token, PHONE)
  page = await context.newPage()
  page.setDefaultTimeout(20_000)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

it('the home page lists the contract under 即将到期, and the list filters it', async () => {
  await page.goto(`${app.url}/#/pages/index/index`)
  await visible(`home-ending-${contractId}`).waitFor()
  expect(await visible(`home-ending-${contractId}`).innerText()).toContain(`${beijingDate(20)} 到期`)
  await shot('01-home-375')
  await visible('home-ending-all').click()
  await visible(`contract-${contractId}`).waitFor()
  expect(await visible(`contract-${contractId}`).innerText()).toContain(`即将到期 · 到期 ${beijingDate(20)}`)
  await visible('list-filter-toggle').click()
  expect(await visible('list-validity-expiring').getAttribute('class')).toContain('seg__item--on')
  await shot('02-list-expiring-375')
})

it('the detail shows 即将到期 and 续签; renewing opens the draft with the chain, shown on the original too', async () => {
  await page.goto(`${app.url}/#/packages/contracts/pages/detail/index?contractId=${contractId}`)
  await visible('detail-renew').waitFor()
  expect(await visible('detail-validity').innerText()).toBe('即将到期')
  await shot('03-detail-375')
  await visible('detail-renew').click()
  await visible('detail-renew-sheet').waitFor()
  expect(await visible('detail-renew-deadline').innerText()).toContain(beijingDate(7))
  await shot('04-renew-sheet-375')
  await visible('detail-renew-ok').click()
  // The draft's detail: the chain, this one current; 发送 for the sender.
  await page.waitForURL((u) => !u.href.includes(contractId))
  await visible('detail-renewal-1').waitFor()
  expect(await visible('detail-renewal-0').innerText()).toContain(`原合同：${TITLE}`)
  expect(await visible('detail-renewal-1').innerText()).toContain('（本合同）')
  expect(await visible('detail-status').innerText()).toBe('草稿')
  await visible('detail-send').waitFor()
  await shot('05-renewed-draft-375')
  // Back on the original: no 续签 any more, the chain with the draft.
  await visible('detail-renewal-0').click()
  await page.waitForURL((u) => u.href.includes(contractId))
  await visible('detail-renewal-1').waitFor()
  expect(await visible('detail-renewal-0').innerText()).toContain('（本合同）')
  expect(await page.locator('#detail-renew:visible').count()).toBe(0)
  await shot('06-original-with-chain-375')
})
