import path from 'node:path'
import { chromium } from 'playwright-core'
import { startTestApp } from '../support/local-app'
jest.setTimeout(120_000)
it('debug', async () => {
  const app = await startTestApp({ ESIGN_H5_DIR: path.resolve(__dirname, '../../dist/h5') })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] })
  const page = await browser.newPage({ viewport: { width: 375, height: 812 } })
  await page.goto(`${app.url}/#/packages/identity/pages/login/index`)
  await page.locator('#login-submit').waitFor()
  const info = await page.locator('#login-submit').evaluate((n) => {
    const out: string[] = [String(n.matches('.nut-button.nut-button-disabled:not(.nut-button-loading)'))]
    for (const sheet of Array.from(document.styleSheets)) {
      out.push('SHEET ' + sheet.href + ' ' + sheet.cssRules.length + ' ' + Array.from(sheet.cssRules).filter((r) => r.cssText.includes('e6e9ef') || r.cssText.includes('230, 233')).map((r) => r.cssText.slice(0, 120)).join(' || '))
      try {
        for (const r of Array.from(sheet.cssRules) as CSSStyleRule[]) if (r.selectorText && n.matches(r.selectorText) && /background/.test(r.cssText)) out.push('RULE ' + (sheet.href ?? 'inline').slice(-30) + ' ' + r.cssText.slice(0, 160))
      } catch { out.push('x') }
    }
    for (const el of [n, ...Array.from(n.querySelectorAll('*'))] as HTMLElement[]) {
      const s = getComputedStyle(el)
      out.push(`${el.tagName}.${el.className} color=${s.color} bg=${s.backgroundColor} img=${s.backgroundImage.slice(0, 80)} op=${s.opacity}`)
    }
    return out.join('\n')
  })
  console.log(info)
  await page.screenshot({ path: '/tmp/login.png' })
  await browser.close(); await app.stop()
})
