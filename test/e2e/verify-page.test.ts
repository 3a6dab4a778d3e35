/**
 * The verify page in a real browser against the real local server: the H5 build (dist/h5, built
 * with `NODE_ENV=production taro build --type h5` when missing or stale) served by the local server,
 * Chromium driven by playwright-core. Uploading a PDF signed with the server's own CA (its trust services) shows
 * "✓ 文档有效" and a trusted signature; a tampered copy shows "✗ 文档无效".
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { ensureH5Build, H5_DIR, launchChromium } from '../support/browser'
import { getPkiServices } from '../../cloud-functions/runtime/services'
import { maxCmsSize } from '../../cloud-functions/core/signing/build-cms-signed-data'
import { signPdf } from '../../cloud-functions/core/signing/sign-pdf'
import { makePdf, startTestApp, type TestApp } from '../support/local-app'
import { tempDir } from '../support/pdf-tools'

jest.setTimeout(300_000)



let app: TestApp
let browser: Browser
let files: { signed: string; tampered: string }

beforeAll(async () => {
  ensureH5Build()
  app = await startTestApp({ ESIGN_H5_DIR: H5_DIR })
  const pki = await getPkiServices(app.deps)
  const { signer } = await pki.issueEventCertificate({ name: '张三' })
  const sealed = await signPdf(await makePdf('E2E contract'), {
    signer,
    tsa: pki.ca.tsa,
    contentsSize: maxCmsSize(await signer.certificateChain(), true),
    signingTime: new Date(),
    signerName: '张三',
  })
  const signed = Buffer.from(sealed.toBytes())
  const tampered = Buffer.from(signed)
  tampered[260] ^= 1
  const dir = tempDir('qianyue-e2e-verify-')
  files = { signed: join(dir, '已签合同.pdf'), tampered: join(dir, 'tampered.pdf') }
  writeFileSync(files.signed, signed)
  writeFileSync(files.tampered, tampered)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('verify page (H5, Chromium, local server)', () => {
  it('upload a signed PDF → 文档有效 with a trusted signature and its detail; a tampered copy → 文档无效', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${app.url}/#/packages/verification/pages/index/index`)
    await page.getByText('选择 PDF 文件').waitFor()

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByText('选择 PDF 文件').click()])
    await chooser.setFiles(files.signed)
    await page.getByText('✓ 文档有效').waitFor({ timeout: 30_000 })
    await page.getByText('共 1 个签名（点击查看详情）').waitFor()
    await page.locator('#signature-item-1').click()
    await page.getByText('可信：由受信任的根证书签发').waitFor()
    await page.getByText('完整：签署后签名覆盖的内容未被改动').waitFor()
    expect(await page.getByText(/（北京时间），由 .* 签发/).count()).toBe(1)

    const [again] = await Promise.all([page.waitForEvent('filechooser'), page.getByText('验证另一个文件').click()])
    await again.setFiles(files.tampered)
    await page.getByText('✗ 文档无效').waitFor({ timeout: 30_000 })
    await page.getByText('签名 1 覆盖的内容已被篡改。').waitFor()
    expect(errors).toEqual([])
  })
})
