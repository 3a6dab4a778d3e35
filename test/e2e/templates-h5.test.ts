import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { auditPage, DESKTOP, launchChromium, PHONE, SHOTS, signedInContext } from '../support/browser'
import { contractFlow, slot, type Person } from '../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'

/**
 * The template pages in the H5 build (Chromium, 375 px and 1280 px) against the real local server:
 * an admin's list (使用 / 编辑 / 停用), the use form filled through the UI until the contract opens,
 * and the editor; every page through axe-core (no serious or critical violation) and kept as a
 * screenshot under .test-tmp/screenshots/templates-*.png. Needs dist/h5 (npm run build:h5).
 */
const ROOT = path.resolve(__dirname, '../..')
const COMPANY = { id: '01JTEMPLATESH5C0MPANY00000', name: '模板页面测试有限公司' }

jest.setTimeout(300_000)


let app: TestApp
let browser: Browser
let flow: ReturnType<typeof contractFlow>
let boss: Person
let li: Person
let templateId = ''
type TemplateBody = { latestVersion: number; pages: { width: number; height: number }[]; fields: { fieldId: string; rect?: number[] }[]; placeholders: { key: string; rect: number[] }[] }

/** The boss's (or another member's) context, acting for the company. */
const companyContext = (token: string, viewport: { width: number; height: number }): Promise<BrowserContext> =>
  signedInContext(browser, token, viewport, { companyId: COMPANY.id, companyName: COMPANY.name })

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
  fs.mkdirSync(SHOTS, { recursive: true })
  app = await startTestApp({ ESIGN_H5_DIR: path.join(ROOT, 'dist/h5') })
  browser = await launchChromium()
  flow = contractFlow(app)
  boss = await flow.verifiedPerson('赵总', '13900003001', 31)
  li = await flow.verifiedPerson('李华', '13900003002', 32)
  await flow.verifiedCompany(COMPANY.id, COMPANY.name, boss)
  const documentId = await flow.upload(boss.token, await makePdf('Labour contract', 2), '劳动合同.pdf')
  const made = await flow.call(
    'POST',
    '/api/templates',
    {
      companyId: COMPANY.id,
      name: '劳动合同',
      documentId,
      roles: [
        { roleId: 'jia', label: '甲方', kind: 'person', sender: true },
        { roleId: 'yi', label: '乙方', kind: 'person' },
      ],
      fields: [
        { fieldId: 'sa', roleId: 'jia', kind: 'signature', page: 1, rect: slot(0) },
        { fieldId: 'sb', roleId: 'yi', kind: 'signature', page: 1, rect: slot(1) },
      ],
      placeholders: [
        { key: '乙方姓名', page: 0, rect: [72, 700, 200, 20] },
        { key: '月薪', page: 0, rect: [72, 660, 160, 20] },
      ],
    },
    boss.token,
  )
  expect(made.status).toBe(201)
  templateId = made.body.templateId
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('template pages in Chromium', () => {
  it('at 375 px the admin uses the template from the list: fills 月薪 and 乙方, creates and sends, and lands on the contract', async () => {
    const context = await companyContext(boss.token, PHONE)
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    await page.goto(`${app.url}/#/pages/index/index`)
    await page.getByText('合同模板', { exact: true }).click()
    await page.getByText('劳动合同').first().waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'templates-list-375.png'), fullPage: true })
    await page.getByText('使用', { exact: true }).click()
    await page.getByText('乙方（个人）').waitFor()
    await page.locator('#use-value-1 input, input#use-value-1').first().fill('8000 元/月')
    await page.locator('#use-name-yi input, input#use-name-yi').first().fill(li.name)
    await page.locator('#use-phone-yi input, input#use-phone-yi').first().fill(li.phone)
    await page.screenshot({ path: path.join(SHOTS, 'templates-use-375.png'), fullPage: true })
    await page.getByText('创建并发送').click()
    await page.waitForURL(/contracts\/pages\/detail/)
    // Taro's H5 keeps earlier pages in the DOM, hidden: the detail page's own title.
    await page.locator('text=劳动合同 >> visible=true').first().waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'templates-sent-375.png'), fullPage: true })
    // 甲方 (the sender) signs first: the contract is sent and waits in the sender's 待我签署.
    const list = await flow.call('GET', '/api/contracts?box=todo', undefined, boss.token)
    expect(list.body.items.map((c: { title: string; status: string }) => [c.title, c.status])).toContainEqual(['劳动合同', 'sent'])
    await context.close()
  })

  it('at 375 px the editor drags a placeholder and a role field on the template’s page images; the saved version has them where they were dropped', async () => {
    const before = (await flow.call('GET', `/api/templates/${templateId}`, undefined, boss.token)).body as TemplateBody
    const context = await companyContext(boss.token, PHONE)
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    await page.goto(`${app.url}/#/packages/templates/pages/editor/index?companyId=${COMPANY.id}&templateId=${templateId}`)
    await page.locator('#cf-ph-0').waitFor()
    // The page image comes from the template's page route and is drawn under the boxes.
    await page.locator('#cpage-0 img').waitFor()
    const shown = await page.locator('#cpage-0').boundingBox()
    const perPixel = before.pages[0]!.width / shown!.width
    const drag = async (selector: string, dx: number, dy: number) => {
      // Taro's H5 page scrolls inside its own container: bring the box to the middle of the screen first.
      await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'center' }))
      const box = (await page.locator(selector).boundingBox())!
      const x = Math.round(box.x + box.width / 2)
      const y = Math.round(box.y + box.height / 2)
      await page.mouse.move(x, y)
      await page.mouse.down()
      await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 })
      await page.mouse.move(x + dx, y + dy, { steps: 4 })
      await page.mouse.up()
    }
    await drag('#cf-ph-0', 60, 120)
    await page.screenshot({ path: path.join(SHOTS, 'templates-editor-drag-375.png') })
    await page.locator('#editor-page-next').click()
    await page.locator('#cf-sa').waitFor()
    await page.locator('#cpage-1 img').waitFor()
    await drag('#cf-sa', 80, -90)
    await page.screenshot({ path: path.join(SHOTS, 'templates-editor-drag-page2-375.png') })
    await page.getByText('保存为新版本').click()
    let after = before
    for (let i = 0; i < 100 && after.latestVersion === before.latestVersion; i++) {
      await page.waitForTimeout(200)
      after = (await flow.call('GET', `/api/templates/${templateId}`, undefined, boss.token)).body as TemplateBody
    }
    expect(after.latestVersion).toBe(before.latestVersion + 1)
    const moved = (was: number[], now: number[], dx: number, dy: number) => {
      // Within a point of the drag (the pointer's positions are whole pixels; y is up in the PDF).
      expect(Math.abs(now[0]! - (was[0]! + dx * perPixel))).toBeLessThan(1)
      expect(Math.abs(now[1]! - (was[1]! - dy * perPixel))).toBeLessThan(1)
      expect(now.slice(2)).toEqual(was.slice(2))
    }
    moved(before.placeholders[0]!.rect, after.placeholders[0]!.rect, 60, 120)
    moved(before.fields.find((f) => f.fieldId === 'sa')!.rect!, after.fields.find((f) => f.fieldId === 'sa')!.rect!, 80, -90)
    // What was not dragged stays where it was.
    expect(after.placeholders[1]).toEqual(before.placeholders[1])
    expect(after.fields.find((f) => f.fieldId === 'sb')).toEqual(before.fields.find((f) => f.fieldId === 'sb'))
    await context.close()

    // The same editor on a desktop (the page column is at most 720 px wide), kept as a screenshot.
    const desktop = await companyContext(boss.token, DESKTOP)
    const wide = await desktop.newPage()
    await wide.goto(`${app.url}/#/packages/templates/pages/editor/index?companyId=${COMPANY.id}&templateId=${templateId}`)
    await wide.locator('#cpage-0 img').waitFor()
    await wide.locator('#cf-ph-0').evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await wide.waitForTimeout(300)
    await wide.screenshot({ path: path.join(SHOTS, 'templates-editor-1280.png') })
    await desktop.close()
  })

  it('at 375 px 审批设置 picks the templates covered from the company’s list (no typed ids) and saves them', async () => {
    const policy = `/api/companies/${COMPANY.id}/approval-policy`
    const set = await flow.call('PUT', policy, { scope: 'all', order: 'sequential', approvers: [boss.userId], templateIds: [] }, boss.token)
    expect(set.status).toBe(200)
    const context = await companyContext(boss.token, PHONE)
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    await page.goto(`${app.url}/#/packages/approvals/pages/policy/index?companyId=${COMPANY.id}`)
    await page.locator('#policy-scope-templates').click()
    const option = page.locator(`#policy-template-${templateId}`)
    await option.waitFor()
    expect(await option.textContent()).toContain('劳动合同')
    await option.click()
    await page.getByText('需要审批的模板（已选 1 个）').waitFor()
    await option.evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await page.screenshot({ path: path.join(SHOTS, 'templates-approval-policy-375.png') })
    await page.locator('#policy-save').click()
    await page.getByText('审批设置已保存').waitFor()
    const saved = await flow.call('GET', policy, undefined, boss.token)
    expect(saved.body.templateIds).toEqual([templateId])
    // Back to no approval, as the other tests expect.
    await flow.call('PUT', policy, { scope: 'off', order: 'sequential', approvers: [], templateIds: [] }, boss.token)
    await context.close()
  })

  it('every template page at 375 px and 1280 px passes axe and is kept as a screenshot', async () => {
    const problems: string[] = []
    for (const [label, viewport] of [['375', PHONE], ['1280', DESKTOP]] as const) {
      const context = await companyContext(boss.token, viewport)
      try {
        for (const [name, route] of [
          ['list', `/packages/templates/pages/list/index?companyId=${COMPANY.id}`],
          ['use', `/packages/templates/pages/use/index?templateId=${templateId}`],
          ['editor', `/packages/templates/pages/editor/index?companyId=${COMPANY.id}&templateId=${templateId}`],
          ['editor-new', `/packages/templates/pages/editor/index?companyId=${COMPANY.id}`],
        ] as const) {
          problems.push(...(await auditPage(context, `${app.url}/#${route}`, path.join(SHOTS, `templates-page-${name}-${label}.png`), `${name}@${label}`)))
        }
      } finally {
        await context.close()
      }
    }
    expect(problems).toEqual([])
  })
})
