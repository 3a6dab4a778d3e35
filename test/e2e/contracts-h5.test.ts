import fs from 'node:fs'
import path from 'node:path'
import { type Browser, type Page } from 'playwright-core'
import { apiClient } from '../support/api-client'
import { contractFlow } from '../support/contract-flow'
import { auditPage, DESKTOP, launchChromium, PHONE, SHOTS, signedInContext } from '../support/browser'
import { drawSignature, enterIntentCode, fill, tap, visible } from '../support/h5-driver'
import { pdfsig, qpdfCheck } from '../support/pdf-tools'
import { startTestApp, type TestApp } from '../support/local-app'

/**
 * Contracts in the H5 build, in Chromium at 375 px, against the real local server (sandbox
 * providers): a verified sender uploads a Chinese contract made by LibreOffice in the wizard, adds a
 * person, drags a signature field on the page image, sends; the signer opens the SMS link from the
 * sandbox outbox, logs in with the link's code, passes 实名认证 (the 沙箱 face page) and comes
 * back, draws a signature with the finger-equivalent (mouse), confirms intent with the SMS code and
 * signs; the sender sees 已完成 in the list and the detail, with the signature's certificate on the
 * page. The pages at 375 px and 1280 px go through axe-core; screenshots of every step are kept
 * under .test-tmp/screenshots/contracts-*. Needs dist/h5 (npm test builds it) and /usr/bin/chromium.
 */
const ROOT = path.resolve(__dirname, '../..')
const PDF = path.join(ROOT, 'test/fixtures/pdf/labor-libreoffice.pdf')
const OPERATOR_TOKEN = 'e2e-operator-token-0123456789abcdef'
// Sandbox identities that pass verification (adapters/sandbox/sandbox-identities.ts).
const SENDER = { name: '周九', idNumber: '110101199003070046', phone: '13800000007' }
const SIGNER = { name: '张三', idNumber: '110101199003070011', phone: '13800000001' }
const TITLE = '劳动合同（端到端）'

jest.setTimeout(300_000)


let app: TestApp
let browser: Browser
let sender: Page
let signer: Page
let senderToken: string
let contractId: string

const api = () => apiClient(app)
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `contracts-${name}.png`), fullPage: true })
/** The newest sandbox SMS to `phone` that carries a code. */
async function newestCode(phone: string): Promise<string> {
  return (await api().outbox(phone)).find((e) => e.code)!.code!
}

/** Person verification through the API and the 沙箱 face page (the UI path is identity-h5.test.ts's and the signer's below). */
async function verifyByApi(token: string, who: typeof SENDER): Promise<void> {
  const { call } = api()
  expect((await call('POST', '/api/identity/person', who, token)).status).toBe(200)
  const face = await call('POST', '/api/identity/person/face', {}, token)
  const submit = await fetch(face.body.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })
  expect(submit.status).toBe(303)
  expect((await call('POST', '/api/identity/person/face/result', undefined, token)).body.status).toBe('verified')
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
  fs.mkdirSync(SHOTS, { recursive: true })
  app = await startTestApp({ ESIGN_H5_DIR: path.join(ROOT, 'dist/h5'), ESIGN_OPERATOR_TOKEN: OPERATOR_TOKEN })
  browser = await launchChromium()
  senderToken = (await api().login(SENDER.phone)).token
  await verifyByApi(senderToken, SENDER)
  sender = await (await signedInContext(browser, senderToken, PHONE)).newPage()
  signer = await (await browser.newContext({ viewport: PHONE })).newPage()
  sender.setDefaultTimeout(20_000)
  signer.setDefaultTimeout(20_000)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('contracts in H5 at 375 px: create and send, sign from the SMS link, completed', () => {
  it('the sender uploads the LibreOffice PDF, adds a signer, drags a signature field onto the page and sends', async () => {
    await sender.goto(`${app.url}/#/pages/index/index`)
    await visible(sender, 'home-count-todo').waitFor()
    await tap(sender, 'home-start')

    // Step 1: file (upload progress to 100 %) and title.
    await visible(sender, 'create-choose-file').waitFor()
    const [chooser] = await Promise.all([sender.waitForEvent('filechooser'), tap(sender, 'create-choose-file')])
    await chooser.setFiles(PDF)
    await visible(sender, 'create-upload-state').getByText('✓ 上传完成').waitFor()
    await fill(sender, 'create-title', TITLE)
    await shot(sender, '01-file-375')
    // The wizard refuses to go on without a party.
    await tap(sender, 'create-next')
    await tap(sender, 'create-next')
    await visible(sender, 'create-problems').getByText('请至少添加一位签署方').waitFor()

    // Step 2: one person; a bad phone is named first.
    await tap(sender, 'create-add-person')
    await fill(sender, 'party-0-name', SIGNER.name)
    await fill(sender, 'party-0-phone', '1380000')
    await tap(sender, 'create-next')
    await visible(sender, 'create-problems').getByText('第 1 位签署方：请填写正确的 11 位手机号').waitFor()
    await fill(sender, 'party-0-phone', SIGNER.phone)
    await shot(sender, '02-parties-375')
    await tap(sender, 'create-next')

    // Step 3: the page image of the draft; no field yet is refused; a signature and a date dragged into place.
    await visible(sender, 'create-add-signature').waitFor()
    await sender.locator('.cpage__img:visible').first().waitFor()
    await tap(sender, 'create-next')
    await visible(sender, 'create-problems').getByText(`请为 ${SIGNER.name} 放置签名位置`).waitFor()
    await tap(sender, 'create-add-signature')
    await tap(sender, 'create-add-date')
    await sender.locator('.cpage:visible').first().evaluate((el) => (el as unknown as { scrollIntoView(o: unknown): void }).scrollIntoView({ block: 'end' }))
    const page = (await sender.locator('.cpage:visible').first().boundingBox())!
    for (const [field, dy] of [['cf-f1', 0], ['cf-f2', 60]] as const) {
      const box = (await visible(sender, field).boundingBox())!
      await sender.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
      await sender.mouse.down()
      await sender.mouse.move(page.x + page.width * 0.7, page.y + page.height * 0.8 + dy, { steps: 8 })
      await sender.mouse.up()
    }
    const moved = (await visible(sender, 'cf-f1').boundingBox())!
    expect(moved.x + moved.width / 2).toBeCloseTo(page.x + page.width * 0.7, -1)
    await shot(sender, '03-fields-375')
    await tap(sender, 'create-next')

    // Step 4: deadline (default in 7 days) and send.
    await visible(sender, 'create-deadline').waitFor()
    await shot(sender, '04-send-375')
    await tap(sender, 'create-send')
    await visible(sender, 'detail-status').getByText('签署中').waitFor()
    contractId = new URL(sender.url().replace('/#/', '/')).searchParams.get('contractId')!
    expect(contractId).toBeTruthy()
    await visible(sender, `detail-parties`).getByText(SIGNER.name).waitFor()
    await shot(sender, '05-sent-375')

    // The draft was saved with the field where it was dropped: in points, inside the page, lower right.
    const view = await api().call('GET', `/api/contracts/${contractId}`, undefined, senderToken)
    const sig = view.body.fields.find((f: { kind: string }) => f.kind === 'signature')
    const size = view.body.pages[0]
    expect(sig.page).toBe(0)
    expect(sig.rect[0] + sig.rect[2] / 2).toBeGreaterThan(size.width * 0.6)
    expect(sig.rect[1] + sig.rect[3] / 2).toBeLessThan(size.height * 0.3)
  })

  it('the signer opens the SMS link, logs in with its code, verifies, draws a signature, confirms intent and signs', async () => {
    const sms = (await api().outbox(SIGNER.phone)).map((e) => (e as { text?: string }).text ?? '').find((t) => /\/s\/[A-Za-z0-9_-]+/.test(t))
    expect(sms).toBeDefined()
    const token = sms!.match(/\/s\/([A-Za-z0-9_-]+)/)![1]
    await signer.goto(`${app.url}/s/${token}`)
    await visible(signer, 'link-title').getByText(TITLE).waitFor()
    await tap(signer, 'link-send-code')
    await visible(signer, 'link-sent').waitFor()
    await shot(signer, '06-link-375')
    await fill(signer, 'link-code', await newestCode(SIGNER.phone))
    await tap(signer, 'link-login')

    // Not verified yet: the sign page leads to 实名认证 and back.
    await visible(signer, 'sign-realname').waitFor()
    await shot(signer, '07-sign-unverified-375')
    await tap(signer, 'sign-go-verify')
    await fill(signer, 'person-name', SIGNER.name)
    await fill(signer, 'person-id-number', SIGNER.idNumber)
    await fill(signer, 'person-phone', SIGNER.phone)
    await tap(signer, 'person-submit')
    await tap(signer, 'person-face-start')
    await signer.locator('#sandbox-face-pass').click()
    await visible(signer, 'person-back').waitFor({ timeout: 30_000 })
    await tap(signer, 'person-back')

    // The sign page: a signature is needed; draw one (mouse) and come back.
    await visible(signer, 'sign-title').waitFor()
    await tap(signer, 'sign-submit')
    await visible(signer, 'sign-missing').getByText('请选择或手写您的签名').waitFor()
    await tap(signer, 'sign-next')
    await visible(signer, 'mf-f1').click()
    await visible(signer, 'sign-signature-sheet').waitFor()
    await tap(signer, 'sign-draw')
    // Drawn once the pad has stopped moving (Taro's H5 router slides the new page in); saved: 签名已保存.
    await drawSignature(signer)
    await signer.locator('.taro-navigation-bar-back:visible').click()
    await visible(signer, 'sign-progress').getByText('1/1').waitFor()
    await shot(signer, '08-sign-ready-375')

    // Intent by SMS code, then the signature.
    await tap(signer, 'sign-submit')
    // The code of the first contract may be too recent: the button counts down, then sends.
    await enterIntentCode(signer, () => newestCode(SIGNER.phone))
    await shot(signer, '09-intent-375')
    await tap(signer, 'sign-confirm')
    await visible(signer, 'sign-done').waitFor({ timeout: 60_000 })
    await visible(signer, 'sign-done').getByText('所有签署方均已签署，合同已完成。').waitFor()
    await shot(signer, '10-signed-375')
  })

  it('the sender sees 已完成 in the list and the detail, and the signature’s certificate on the page', async () => {
    await sender.goto(`${app.url}/#/packages/contracts/pages/list/index?box=completed`)
    await visible(sender, `contract-${contractId}`).getByText('已完成').waitFor()
    await shot(sender, '11-list-375')
    await visible(sender, `contract-${contractId}`).click()
    await visible(sender, 'detail-status').getByText('已完成').waitFor()
    await visible(sender, 'detail-timeline').getByText(/签署/).first().waitFor()
    await tap(sender, 'detail-pages-toggle')
    await sender.locator('[id^="detail-sig-"]:visible').first().click()
    await visible(sender, 'detail-certificate').getByText(/证书主体：.*张三/).waitFor()
    await visible(sender, 'detail-verdict').getByText('签名有效').waitFor()
    await shot(sender, '12-certificate-375')
    await tap(sender, 'detail-certificate-close')

    const pdf = await fetch(`${app.url}/api/contracts/${contractId}/pdf`, { headers: { authorization: `Bearer ${senderToken}` } })
    expect(pdf.status).toBe(200)
    const bytes = Buffer.from(await pdf.arrayBuffer())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    // The signature made through the pages is a real one: poppler and qpdf judge the downloaded file.
    const file = path.join(app.dataDir, 'downloaded.pdf')
    fs.writeFileSync(file, bytes)
    // 张三's signature (CAdES) is valid; poppler cannot validate the completion's document
    // time-stamp, which it lists after it.
    const all = pdfsig(file).signatures
    expect(all.map((s) => [s.fieldName, s.subFilter])).toEqual([['qy_sig_p1', 'ETSI.CAdES.detached'], ['DocumentTimeStamp1', 'unknown']])
    expect(all[0]!.status).toBe('Signature is Valid.')
    expect(qpdfCheck(file).ok).toBe(true)
    // The verify page calls the downloaded contract valid.
    await sender.goto(`${app.url}/#/packages/verification/pages/index/index`)
    const [chooser] = await Promise.all([sender.waitForEvent('filechooser'), sender.getByText('选择 PDF 文件').locator('visible=true').first().click()])
    await chooser.setFiles(file)
    await sender.getByText('✓ 文档有效').locator('visible=true').first().waitFor({ timeout: 60_000 })
    await shot(sender, '13-verify-375')
    const counts = await api().call('GET', '/api/contracts/counts', undefined, senderToken)
    expect(counts.body.completed).toBeGreaterThanOrEqual(1)
  })

  it('the contract pages at 375 px and 1280 px: no serious or critical axe-core violation; screenshots kept', async () => {
    const problems: string[] = []
    for (const [label, viewport] of [['375', PHONE], ['1280', DESKTOP]] as const) {
      const context = await signedInContext(browser, senderToken, viewport)
      try {
        for (const [name, route] of [
          ['home', '/pages/index/index'],
          ['list', '/packages/contracts/pages/list/index?box=all'],
          ['detail', `/packages/contracts/pages/detail/index?contractId=${contractId}`],
          ['create', '/packages/contracts/pages/create/index'],
          ['sign', `/packages/signing/pages/sign/index?contractId=${contractId}`],
          ['link-invalid', '/packages/signing/pages/link/index?token=AAAAAAAAAAAAAAAAAAAAAA'],
        ] as const) {
          problems.push(...(await auditPage(context, `${app.url}/#${route}`, path.join(SHOTS, `contracts-page-${name}-${label}.png`), `${name}@${label}`)))
        }
      } finally {
        await context.close()
      }
    }
    expect(problems).toEqual([])
  })
})

describe('a company sender at 375 px signs with the company seal, then sends (发送并立即签署); the person signs from the list', () => {
  const COMPANY = { id: '', name: '沙箱签约示范有限公司' }
  const TITLE2 = '采购合同（企业先签）'
  let admin: Page
  let adminToken: string
  let contract2: string

  it('the company administrator places a seal for the company and a signature for the person, sends and signs first', async () => {
    const flow = contractFlow(app)
    const who = await flow.verifiedPerson('王芳', '13900000021', 21)
    adminToken = who.token
    COMPANY.id = app.deps.ids.newId()
    await flow.verifiedCompany(COMPANY.id, COMPANY.name, who)
    const seal = await api().call('POST', `/api/seals/companies/${COMPANY.id}/seals`, { spec: { kind: 'company-round', companyName: COMPANY.name, sealType: '合同专用章' } }, adminToken)
    expect(seal.status).toBe(201)

    // Acting for the company (the 我的 page's switch keeps this in storage).
    const context = await signedInContext(browser, adminToken, PHONE, { companyId: COMPANY.id, companyName: COMPANY.name })
    admin = await context.newPage()
    admin.setDefaultTimeout(20_000)
    await admin.goto(`${app.url}/#/packages/contracts/pages/create/index`)
    await visible(admin, 'create-choose-file').waitFor()
    const [chooser] = await Promise.all([admin.waitForEvent('filechooser'), tap(admin, 'create-choose-file')])
    await chooser.setFiles(PDF)
    await visible(admin, 'create-upload-state').getByText('✓ 上传完成').waitFor()
    await fill(admin, 'create-title', TITLE2)
    await tap(admin, 'create-next')

    // The company (acting member: the administrator) first, then the person.
    await tap(admin, 'create-add-company')
    await fill(admin, 'party-0-company', COMPANY.name)
    await fill(admin, 'party-0-name', '王芳')
    await fill(admin, 'party-0-phone', '13900000021')
    await tap(admin, 'create-add-person')
    await fill(admin, 'party-1-name', SIGNER.name)
    await fill(admin, 'party-1-phone', SIGNER.phone)
    await tap(admin, 'create-next')

    // A company needs a seal, not only a signature; a person cannot get one.
    const step3 = admin.locator('#create-add-seal:visible, #create-error:visible, #create-problems:visible').first()
    await step3.waitFor()
    expect(await step3.textContent()).toBe('＋企业印章')
    await admin.locator('.cpage__img:visible').first().waitFor()
    await tap(admin, 'create-signer-p2')
    expect(await admin.locator('#create-add-seal:visible').count()).toBe(0)
    await tap(admin, 'create-add-signature')
    await tap(admin, 'create-signer-p1')
    await tap(admin, 'create-add-seal')
    await tap(admin, 'create-page-next')
    await visible(admin, 'create-page-no').getByText('第 2 / 2 页').waitFor()
    await tap(admin, 'create-next')
    await shot(admin, '21-company-fields-375')
    await visible(admin, 'create-send-sign').waitFor()
    await tap(admin, 'create-send-sign')

    // The sign page: the company seal is chosen, intent by SMS, signed; the person is next.
    const landed = admin.locator('#sign-title:visible, #create-error:visible, #create-problems:visible, #detail-title:visible, #sign-error:visible').first()
    await landed.waitFor()
    expect(await landed.textContent()).toBe(TITLE2)
    await visible(admin, 'sign-progress').getByText('1/1').waitFor()
    await tap(admin, 'sign-submit')
    await tap(admin, 'sign-send-code')
    await visible(admin, 'sign-code-sent').waitFor()
    await fill(admin, 'sign-code', await newestCode('13900000021'))
    await tap(admin, 'sign-confirm')
    await visible(admin, 'sign-done').getByText('您已完成签署，等待其他签署方签署。').waitFor({ timeout: 60_000 })
    await shot(admin, '22-company-signed-375')
    contract2 = new URL(admin.url().replace('/#/', '/')).searchParams.get('contractId')!
    const view = await api().call('GET', `/api/contracts/${contract2}`, undefined, adminToken)
    expect(view.body.parties.map((p: { status: string }) => p.status)).toEqual(['signed', 'notified'])
  })

  it('the person, still signed in, finds it under 待我签署, signs with the signature drawn before, and the administrator sees 已完成', async () => {
    await signer.goto(`${app.url}/#/packages/contracts/pages/list/index?box=todo`)
    await visible(signer, `contract-${contract2}`).getByText('待我签署 ›').waitFor()
    await shot(signer, '23-todo-375')
    await visible(signer, `contract-${contract2}`).click()
    await visible(signer, 'sign-progress').getByText('1/1').waitFor()
    await tap(signer, 'sign-submit')
    // The code of the first contract may be too recent: the button counts down, then sends.
    await enterIntentCode(signer, () => newestCode(SIGNER.phone))
    await tap(signer, 'sign-confirm')
    await visible(signer, 'sign-done').getByText('所有签署方均已签署，合同已完成。').waitFor({ timeout: 60_000 })

    await admin.goto(`${app.url}/#/packages/contracts/pages/detail/index?contractId=${contract2}`)
    await visible(admin, 'detail-status').getByText('已完成').waitFor()
    await tap(admin, 'detail-pages-toggle')
    await admin.locator('[id^="detail-sig-"]:visible').first().waitFor()
    await shot(admin, '24-company-completed-375')
    const pdf = await fetch(`${app.url}/api/contracts/${contract2}/pdf`, { headers: { authorization: `Bearer ${adminToken}` } })
    const file = path.join(app.dataDir, 'company.pdf')
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()))
    const all = pdfsig(file).signatures
    expect(all.slice(0, 2).map((s) => s.status)).toEqual(['Signature is Valid.', 'Signature is Valid.'])
    expect(qpdfCheck(file).ok).toBe(true)
  })
})

