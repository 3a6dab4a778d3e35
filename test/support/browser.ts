import { existsSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** The H5 build the end-to-end tests serve. */
export const H5_DIR = join(__dirname, '../../dist/h5')
/** Where the end-to-end tests write the screenshots they take (looked at by hand, not compared). */
export const SHOTS = join(__dirname, '../../.test-tmp/screenshots')
/** The viewports every page is checked at: a phone held in one hand, and a PC. */
export const PHONE = { width: 375, height: 812 }
export const DESKTOP = { width: 1280, height: 800 }

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium is missing: apt-get install -y chromium (npm test installs it)')
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** Builds dist/h5 when it is missing or older than the app sources (what `npm start` does). */
export function ensureH5Build(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../scripts/ensure-deps').ensureH5Build()
}

declare const localStorage: { setItem(key: string, value: string): void }

/** Who the app acts for: the company a member switched to on the 我的 page. */
export interface ActingCompany {
  companyId: string
  companyName: string
}

/** Puts a session (and the company acted for) into the app's storage of every page the context opens, as login and the 我的 page leave them. */
export async function signIn(context: BrowserContext, token: string, company?: ActingCompany): Promise<void> {
  await context.addInitScript((t: string) => localStorage.setItem('qianyue.session', JSON.stringify({ data: { token: t, expiresAt: Date.now() + 3_600_000 } })), token)
  if (company) await context.addInitScript((c: string) => localStorage.setItem('qianyue.context', JSON.stringify({ data: JSON.parse(c) })), JSON.stringify({ kind: 'company', ...company }))
}

/** A new browser context at the viewport, signed in with the token (see signIn). */
export async function signedInContext(browser: Browser, token: string, viewport: { width: number; height: number }, company?: ActingCompany): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport })
  await signIn(context, token, company)
  return context
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line each, starting with `where`. */
export async function accessibilityProblems(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)
}

/**
 * Opens the app route in a new page of the context, waits until it has settled, saves a full-page
 * screenshot to shotPath, closes it and answers its accessibility problems (see accessibilityProblems).
 */
export async function auditPage(context: BrowserContext, url: string, shotPath: string, where: string): Promise<string[]> {
  const page = await context.newPage()
  try {
    await page.goto(url)
    await page.locator('.page').first().waitFor()
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(300)
    await page.screenshot({ path: shotPath, fullPage: true })
    return await accessibilityProblems(page, where)
  } finally {
    await page.close()
  }
}
