import fs from 'node:fs'
import path from 'node:path'
import { type Browser } from 'playwright-core'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { accessibilityProblems, DESKTOP, launchChromium, PHONE, SHOTS, signedInContext } from '../support/browser'
import { fill, tap, visible } from '../support/h5-driver'
import { pdfsig, qpdfCheck, tempDir } from '../support/pdf-tools'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

/**
 * 批量签署 in the H5 build, in Chromium at 375 px, against the real local server (sandbox
 * providers): the signer opens 待我签署, switches to select mode, taps 全选, opens the batch page
 * (one contract is refused there: it has a field to fill), confirms intent ONCE with the SMS code
 * and sees each contract's outcome; the two signed PDFs are judged by pdfsig and qpdf. The batch
 * page at 375 px and 1280 px goes through axe-core; screenshots under
 * .test-tmp/screenshots/batch-*. Needs dist/h5 (npm run build:h5) and /usr/bin/chromium.
 */
const ROOT = path.resolve(__dirname, '../..')

jest.setTimeout(300_000)


let app: TestApp
let browser: Browser
let flow: ReturnType<typeof contractFlow>
let sender: Person
let signer: Person
const tmp = tempDir('batch-h5-')

/** A sent contract from the sender to the signer (party A); `text` adds a required field for them. */
async function sentContract(title: string, text = false): Promise<string> {
  const documentId = await flow.upload(sender.token, await makePdf('Batch contract', 1))
  const created = await flow.call('POST', '/api/contracts', {
    title,
    documentId,
    parties: [{ partyId: 'A', role: 'signer', kind: 'person', name: signer.name, phone: signer.phone }],
    order: [['A']],
    fields: [{ fieldId: 's', partyId: 'A', kind: 'signature', page: 0, rect: slot(0) }, ...(text ? [{ fieldId: 't', partyId: 'A', kind: 'text', required: true, maxLength: 20, label: '住址', page: 0, rect: slot(1) }] : [])],
    deadline: new Date(Date.now() + 7 * 86400_000).toISOString(),
  }, sender.token)
  expect(created.status).toBe(201)
  expect((await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, sender.token)).status).toBe(200)
  return created.body.contractId
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
  fs.mkdirSync(SHOTS, { recursive: true })
  app = await startTestApp({ ESIGN_H5_DIR: path.join(ROOT, 'dist/h5') })
  browser = await launchChromium()
  flow = contractFlow(app)
  sender = await flow.verifiedPerson('冯发起', '13900016101', 171)
  signer = await flow.verifiedPerson('陈批量', '13900016102', 172)
  await flow.personalSeal(signer)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('批量签署 (H5)', () => {
  it('select on the list, one code for the batch, each contract signed and judged; the page passes axe at 375 px and 1280 px', async () => {
    const plain = [await sentContract('劳动合同（批量一）'), await sentContract('劳动合同（批量二）')]
    const withField = await sentContract('需填写的合同', true)
    const context = await signedInContext(browser, signer.token, PHONE)
    const page = await context.newPage()
    page.setDefaultTimeout(30_000)
    await page.goto(`${app.url}/#/packages/contracts/pages/list/index?box=todo`)
    await visible(page, `contract-${withField}`).waitFor()
    await tap(page, 'list-batch-toggle')
    await tap(page, 'list-select-all')
    await visible(page, 'list-selected-count').getByText('已选 3 份').waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'batch-list-select-375.png'), fullPage: true })
    await visible(page, 'list-batch-go').click()

    await visible(page, 'batch-summary').getByText('共选择 3 份，可批量签署 2 份').waitFor()
    await visible(page, `batch-item-${withField}`).getByText('该合同需要您填写内容，请打开合同单独签署').waitFor()
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: path.join(SHOTS, 'batch-page-375.png'), fullPage: true })
    await tap(page, 'batch-submit')
    await tap(page, 'batch-send-code')
    const sent = page.locator('#batch-code-sent:visible, #batch-intent-error:visible').first()
    await sent.waitFor()
    if (/频繁/.test((await sent.textContent()) ?? '')) {
      await visible(page, 'batch-send-code').getByText('获取验证码').waitFor({ timeout: 70_000 })
      await tap(page, 'batch-send-code')
      await visible(page, 'batch-code-sent').waitFor()
    }
    await page.screenshot({ path: path.join(SHOTS, 'batch-intent-375.png'), fullPage: true })
    await fill(page, 'batch-code', (await flow.outbox(signer.phone)).find((e) => e.code)!.code!)
    await tap(page, 'batch-confirm')
    await visible(page, 'batch-done').waitFor({ timeout: 120_000 })
    await visible(page, 'batch-summary').getByText('已签署 2 份，未签署 1 份').waitFor()
    await visible(page, 'batch-done-title').getByText('✓ 可批量签署的合同已全部签署').waitFor()
    for (const id of plain) await visible(page, `batch-outcome-${id}`).getByText('✓ 已签署').waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'batch-done-375.png'), fullPage: true })

    for (const [n, id] of plain.entries()) {
      const file = path.join(tmp, `batch-h5-${n}.pdf`)
      fs.writeFileSync(file, await flow.download(signer.token, id))
      expect(qpdfCheck(file).ok).toBe(true)
      expect(pdfsig(file).signatures.filter((s) => s.valid).length).toBeGreaterThanOrEqual(1)
    }
    const untouched = await flow.call('GET', `/api/contracts/${withField}`, undefined, signer.token)
    expect(untouched.body.document.latestSha256).toBe(untouched.body.document.preparedSha256)

    // The batch page with its choices, at both widths, through axe-core.
    const more = [await sentContract('采购订单（甲）'), await sentContract('采购订单（乙）')]
    const problems: string[] = []
    for (const [label, viewport] of [['375', PHONE], ['1280', DESKTOP]] as const) {
      const ctx = await signedInContext(browser, signer.token, viewport)
      const p = await ctx.newPage()
      await p.goto(`${app.url}/#/packages/signing/pages/batch/index?ids=${[...more, withField].join(',')}`)
      await visible(p, 'batch-signature').waitFor({ timeout: 30_000 })
      await p.waitForLoadState('networkidle')
      await p.waitForTimeout(300)
      await p.screenshot({ path: path.join(SHOTS, `batch-choose-${label}.png`), fullPage: true })
      problems.push(...(await accessibilityProblems(p, `batch@${label}`)))
      await ctx.close()
    }
    expect(problems).toEqual([])
  })
})
