import path from 'node:path'
import { chromium } from 'playwright-core'
import { startTestApp } from '../support/local-app'
jest.setTimeout(120_000)
it('debug shots', async () => {
  const app = await startTestApp({ ESIGN_H5_DIR: path.resolve(__dirname, '../../dist/h5') })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] })
  for (const [w, h] of [[375, 812], [1280, 800]]) {
    const page = await browser.newPage({ viewport: { width: w, height: h } })
    for (const [name, route] of [['home', '/pages/index/index'], ['login', '/packages/identity/pages/login/index'], ['mine', '/pages/mine/index']]) {
      await page.goto(`${app.url}/#${route}`)
      await page.waitForTimeout(1500)
      await page.screenshot({ path: `/tmp/shot-${name}-${w}.png`, fullPage: true })
    }
  }
  await browser.close(); await app.stop()
})
