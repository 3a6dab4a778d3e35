import fs from 'node:fs'
import path from 'node:path'
import { type Browser, type Page } from 'playwright-core'
import { launchChromium } from '../support/browser'
import { startTestApp, type TestApp } from '../support/local-app'

/**
 * The H5 build in Chromium against the real local server (sandbox providers): a person logs in by
 * SMS code read from the 沙箱发件箱 page, verifies (details, the 沙箱 face page, result), then
 * verifies a company by micro-deposit with the amount read from the outbox. Needs `dist/h5`
 * (npm test builds it first) and /usr/bin/chromium.
 */
const ROOT = path.resolve(__dirname, '../..')
const ZHOU = { name: '周九', idNumber: '110101199003070046', phone: '13800000007' }
const OPERATOR_TOKEN = 'e2e-operator-token-0123456789abcdef'

jest.setTimeout(120_000)

describe('identity pages (H5) end to end under the local server', () => {
  let app: TestApp
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
    app = await startTestApp({ ESIGN_H5_DIR: path.join(ROOT, 'dist/h5'), ESIGN_OPERATOR_TOKEN: OPERATOR_TOKEN })
    browser = await launchChromium()
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const fill = async (id: string, value: string) => {
    const input = page.locator(`#${id} input, input#${id}`).first()
    await input.fill(value)
  }
  const tap = (id: string) => page.locator(`#${id}`).first().click()
  /** The latest sandbox code to `phone`, through the outbox API (the outbox page is exercised above). */
  const apiOutboxCode = async (phone: string): Promise<string> => {
    const res = await fetch(`${app.url}/api/identity/sandbox/outbox?phone=${phone}`, { headers: { 'x-operator-token': OPERATOR_TOKEN } })
    return ((await res.json()) as { entries: Array<{ code: string }> }).entries[0]!.code
  }
  /**
   * Read the latest entry on the 沙箱发件箱 page. The page is opened in a second tab of the same
   * browser context (the login page links to it), so the page under test keeps its navigation
   * stack: going back through Taro's H5 router raced its page transition under load.
   */
  const readOutbox = async (kind: 'code' | 'amount'): Promise<string> => {
    if (kind === 'code') await page.getByText('打开沙箱发件箱 ›').waitFor()
    const outbox = await page.context().newPage()
    try {
      await outbox.goto(`${app.url}/#/packages/identity/pages/outbox/index?token=${OPERATOR_TOKEN}`)
      const entry = outbox.locator(kind === 'code' ? '.outbox__code' : '[data-channel="payout"] .outbox__code').first()
      await entry.waitFor()
      const text = (await entry.textContent())!.trim()
      return kind === 'code' ? text : text.replace(/\s*元$/, '')
    } finally {
      await outbox.close()
    }
  }

  it('a person logs in with the sandbox outbox code and completes real-name verification with the 沙箱 face page', async () => {
    // Login: the identity page sends a visitor to the login page first.
    await page.goto(`${app.url}/#/packages/identity/pages/person/index`)
    await page.getByText('登录签约').waitFor()
    await fill('login-phone', ZHOU.phone)
    await tap('login-send-code')
    await page.getByText(/验证码已发送至 138\*\*\*\*0007/).waitFor()
    const code = await readOutbox('code')
    expect(code).toMatch(/^\d{6}$/)
    await fill('login-code', code)
    await tap('login-submit')

    // Step 1, with a wrong check digit first.
    await page.locator('#person-submit').waitFor()
    await fill('person-name', ZHOU.name)
    await fill('person-id-number', '110101199003070047')
    await fill('person-phone', ZHOU.phone)
    await tap('person-submit')
    await page.getByText('身份证号不正确：校验位不正确').waitFor()
    await fill('person-id-number', ZHOU.idNumber)
    await tap('person-submit')
    await page.getByText('身份证号：1101**********0046').waitFor()

    // Step 2: the 沙箱 face page, and back.
    await tap('person-face-start')
    await page.locator('#sandbox-banner').waitFor()
    expect(await page.locator('#sandbox-banner').textContent()).toBe('沙箱 · 模拟人脸核身（非真实核验）')
    await page.locator('#sandbox-face-pass').click()
    await page.getByText('✓ 已完成实名认证').waitFor({ timeout: 20_000 })
    expect(await page.locator('#person-certificate').textContent()).toMatch(/个人数字证书：[0-9A-F]{16}…/)
    expect(await page.locator('[data-state="done"]').count()).toBe(3)
  })

  it('the same person verifies a company by micro-deposit', async () => {
    await page.getByText('企业认证 ›').click()
    await page.locator('#company-submit').waitFor()
    await fill('company-name', '沙箱周九贸易有限公司')
    await fill('company-credit-code', '91440300MA5F0Q1R2B')
    await fill('company-legal-rep-name', ZHOU.name)
    await fill('company-legal-rep-id', ZHOU.idNumber)
    await tap('company-submit')
    await page.getByText(/统一社会信用代码不正确/).waitFor()
    await fill('company-credit-code', '91440300MA5F0Q1R2A')
    await tap('company-submit')

    await page.getByText('方式二：对公打款').waitFor()
    await fill('deposit-bank-name', '沙箱银行')
    await fill('deposit-bank-account', '6222021234567890123')
    await tap('deposit-start')
    await page.getByText(/已向 沙箱银行（6222\*\*\*\*\*\*\*\*\*\*\*0123）打入/).waitFor()
    const amount = await readOutbox('amount')
    expect(amount).toMatch(/^0\.\d\d$/)
    await page.locator('#deposit-amount').waitFor()
    await fill('deposit-amount', amount)
    await tap('deposit-confirm')
    await page.getByText('✓ 企业认证已完成').waitFor()
    expect(await page.locator('#company-status').textContent()).toBe('状态：已认证（对公打款）')
    await page.getByText('周九 · 管理员 · 138****0007').waitFor()
  })

  it('a company whose legal representative signs the authorisation letter in their own browser', async () => {
    // The applicant 周九 applies and generates the letter.
    await page.goto(`${app.url}/#/packages/identity/pages/company/index`)
    await page.locator('#company-submit').waitFor()
    await fill('company-name', '沙箱测试科技有限公司')
    await fill('company-credit-code', '91350100M000100Y43')
    await fill('company-legal-rep-name', '张三')
    await fill('company-legal-rep-id', '110101199003070011')
    await tap('company-submit')
    await tap('letter-create')
    await page.getByText(/请法定代表人 张三 本人登录签约/).waitFor()
    const detailUrl = page.url()

    // The legal representative 张三, in another browser: login, real-name verification, then the letter.
    const rep = await browser.newPage({ viewport: { width: 390, height: 844 } })
    try {
      const use = page
      page = rep
      await page.goto(`${app.url}/#/packages/identity/pages/person/index`)
      await fill('login-phone', '13800000001')
      await tap('login-send-code')
      await page.getByText(/验证码已发送至/).waitFor()
      await fill('login-code', await apiOutboxCode('13800000001'))
      await tap('login-submit')
      await page.locator('#person-submit').waitFor()
      await fill('person-name', '张三')
      await fill('person-id-number', '110101199003070011')
      await fill('person-phone', '13800000001')
      await tap('person-submit')
      await tap('person-face-start')
      await page.locator('#sandbox-face-pass').click()
      await page.getByText('✓ 已完成实名认证').waitFor({ timeout: 20_000 })

      await page.goto(detailUrl)
      await tap('letter-send-code')
      await page.getByText(/验证码已发送至 138\*\*\*\*0001/).waitFor()
      await fill('letter-code', await apiOutboxCode('13800000001'))
      await tap('letter-submit')
      await page.getByText('✓ 企业认证已完成').waitFor()
      expect(await page.locator('#company-status').textContent()).toBe('状态：已认证（法定代表人授权）')
      page = use
    } finally {
      await rep.close()
    }
  })
})
