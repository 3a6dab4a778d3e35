/**
 * The 批量发起 page (H5 build in Chromium, 375 px and 1280 px) against the real local server: a
 * sender picks a CSV from the computer for a template, sees the preview with the one bad row
 * (row number and reason), confirms, watches the progress bar reach 100 % and reads the per-row
 * results. axe: no serious or critical violation. Screenshots: .test-tmp/screenshots/bulk-*.png.
 */
import fs from 'node:fs'
import path from 'node:path'
import { type Browser, type Page } from 'playwright-core'
import { accessibilityProblems, launchChromium, SHOTS, signedInContext } from '../support/browser'
import { contractFlow, type Person } from '../support/contract-flow'
import { startTestApp, type TestApp } from '../support/local-app'
import { makeBulkTemplate } from '../support/bulk-template'

const ROOT = path.resolve(__dirname, '../..')

jest.setTimeout(300_000)

declare const document: { documentElement: { scrollWidth: number } }

let app: TestApp
let browser: Browser
let sender: Person
let templateId: string

const CSV = ['乙方姓名,乙方手机,月薪,入职日期', '张页一,13800138101,8000,2027-01-01', '张页二,13800138102,8100,2027-01-01', '张页三,1380013810,8200,2027-01-01', '张页四,13800138104,8300,2027-01-01'].join('\n')

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
  fs.mkdirSync(SHOTS, { recursive: true })
  app = await startTestApp({ ESIGN_H5_DIR: path.join(ROOT, 'dist/h5'), ESIGN_TICK_SECONDS: '0' })
  const flow = contractFlow(app)
  sender = await flow.verifiedPerson('页批量', '13900007416', 416)
  const companyId = app.deps.ids.newId()
  await flow.verifiedCompany(companyId, '页面批量有限公司', sender)
  templateId = await makeBulkTemplate(flow, sender, companyId)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

async function open(width: number): Promise<Page> {
  const context = await signedInContext(browser, sender.token, { width, height: 900 })
  const page = await context.newPage()
  page.setDefaultTimeout(30_000)
  await page.goto(`${app.url}/#/packages/bulk/pages/send/index?templateId=${encodeURIComponent(templateId)}`)
  return page
}

const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).first()

it('picks a CSV, previews the bad row, confirms, follows the progress to the per-row results (375 px), and lays out on a PC (1280 px)', async () => {
  const page = await open(375)
  const chooser = page.waitForEvent('filechooser')
  await visible(page, '#bulk-choose').click()
  await (await chooser).setFiles({ name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
  await visible(page, '#bulk-problems').waitFor()
  expect(await visible(page, '#bulk-problems').textContent()).toContain('第 4 行：「乙方手机」不是 11 位中国大陆手机号')
  expect(await visible(page, '#bulk-preview').textContent()).toContain('138****8101')
  await page.screenshot({ path: path.join(SHOTS, 'bulk-preview-375.png'), fullPage: true })
  expect(await accessibilityProblems(page, 'bulk@375')).toEqual([])
  // Nothing fits wider than the phone: the preview table scrolls inside its card.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)

  await visible(page, '#bulk-confirm').click()
  await page.getByText('发送完成').first().waitFor({ timeout: 120_000 })
  const job = await visible(page, '#bulk-job').textContent()
  expect(job).toContain('100% · 已发送 3 · 失败 0 · 数据有误 1 · 共 4')
  expect(job).toContain('已发送')
  await page.screenshot({ path: path.join(SHOTS, 'bulk-done-375.png'), fullPage: true })

  const pc = await open(1280)
  await pc.getByText('我的批量发起').first().waitFor()
  await pc.getByText('名单.csv').first().click()
  await pc.getByText('发送完成').first().waitFor()
  await pc.screenshot({ path: path.join(SHOTS, 'bulk-done-1280.png'), fullPage: true })
})
