import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Browser, type BrowserContext, type Page } from 'playwright-core'
import { idNumberCheckChar } from '../../cloud-functions/core/identity/id-number'
import { apiClient } from '../support/api-client'
import { expectJudgedValid, judgeContractPdf } from '../support/contract-judges'
import { launchChromium, PHONE, SHOTS, signIn } from '../support/browser'
import { contractIdOf, dragField, drawSignature, enterIntentCode, fill, tap, visible } from '../support/h5-driver'
import { freePort } from '../support/local-app'
import { pdfsig, qpdfCheck } from '../support/pdf-tools'

/**
 * Issue 14's browser end to end, against the product started as a newcomer starts it: `npm start`
 * (scripts/start.js: the build checks, then the supervised local server on the compiled build/ and
 * dist/h5) with its own data folder, port and operator token. In Chromium at 375 px: a company
 * sender (周九, verified, administrator of 沙箱周九贸易有限公司 verified by micro-deposit, all over the
 * HTTP API with the sandbox providers) uploads the Chinese labour contract made by LibreOffice,
 * places the company's seal field and, for each of two persons, a signature and a date field, sends
 * in two batches (the company first, then both persons at once) and seals at once; each person opens
 * the SMS link from the sandbox outbox in a browser context of their own, logs in with the link's
 * code, passes 实名认证 on the 沙箱 face page, draws a signature, confirms intent by SMS code and
 * signs; the sender sees 已完成, downloads the PDF through the page's button (a real browser
 * download), and the verify page calls the downloaded file valid; pdfsig, qpdf and esign verify judge it too.
 * Every step's screenshot is kept under .test-tmp/screenshots/npm-start-*.png.
 */
const ROOT = path.resolve(__dirname, '../..')
const PDF = path.join(ROOT, 'test/fixtures/pdf/labor-libreoffice.pdf')
const OPERATOR_TOKEN = 'npm-start-e2e-operator-token-0123456789'
// Sandbox identities (adapters/sandbox/sandbox-identities.ts): 周九 and 张三 pass; so does any
// unlisted well-formed identity (吴十). 沙箱周九贸易有限公司 has 周九 as its legal representative.
const SENDER = { name: '周九', idNumber: '110101199003070046', phone: '13800000007' }
const COMPANY = { name: '沙箱周九贸易有限公司', creditCode: '91440300MA5F0Q1R2A', bankAccount: '6222021234567890123' }
const SIGNER_ONE = { name: '张三', idNumber: '110101199003070011', phone: '13800000001' }
const SIGNER_TWO = { name: '吴十', idNumber: `33010619950101011${idNumberCheckChar('33010619950101011')}`, phone: '13912345678' }
const TITLE = '劳动合同（企业与两位员工）'

jest.setTimeout(600_000)


const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-npm-start-e2e-'))
let server: ChildProcess | undefined
let serverOutput = ''
let url: string
let browser: Browser
const contexts: BrowserContext[] = []
let sender: Page
let senderToken: string
let companyId: string
let contractId: string
let downloaded: string

const api = () => apiClient({ url, operatorToken: OPERATOR_TOKEN })
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `npm-start-${name}.png`), fullPage: true })
/** The newest sandbox SMS to `phone` that carries a code. */
const newestCode = async (phone: string): Promise<string> => (await api().outbox(phone)).find((e) => e.code)!.code!

/** `npm start` as a newcomer runs it, on a free port and a fresh data folder; resolves once its health route answers. */
async function startProduct(): Promise<void> {
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  server = spawn(process.execPath, [path.join(ROOT, 'scripts/start.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ESIGN_DATA_DIR: dataDir, ESIGN_OPERATOR_TOKEN: OPERATOR_TOKEN, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout!.on('data', (d) => (serverOutput += d))
  server.stderr!.on('data', (d) => (serverOutput += d))
  const until = Date.now() + 120_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}:\n${serverOutput}`)
    const health = await fetch(`${url}/api/health`).catch(() => undefined)
    if (health?.status === 200) return
    if (Date.now() > until) throw new Error(`npm start did not answer /api/health within 120 s:\n${serverOutput}`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

/** Ctrl-C, as the terminal sends it; SIGKILL if it has not stopped within 15 s. */
async function stopProduct(): Promise<void> {
  const child = server
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.once('exit', () => (clearTimeout(timer), resolve()))
    child.kill('SIGINT')
  })
}

/** 周九: logged in by SMS code, real-name verified on the 沙箱 face page, administrator of a company verified by micro-deposit, with a 合同专用章. */
async function companySender(): Promise<void> {
  const { call, login } = api()
  senderToken = (await login(SENDER.phone)).token
  expect((await call('POST', '/api/identity/person', SENDER, senderToken)).status).toBe(200)
  const face = await call('POST', '/api/identity/person/face', {}, senderToken)
  expect((await fetch(face.body.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })).status).toBe(303)
  expect((await call('POST', '/api/identity/person/face/result', undefined, senderToken)).body.status).toBe('verified')

  const applied = await call('POST', '/api/identity/companies', { name: COMPANY.name, creditCode: COMPANY.creditCode, legalRepName: SENDER.name, legalRepIdNumber: SENDER.idNumber }, senderToken)
  expect(applied.status).toBe(201)
  companyId = applied.body.companyId
  expect((await call('POST', `/api/identity/companies/${companyId}/micro-deposit`, { bankName: '沙箱银行', bankAccount: COMPANY.bankAccount }, senderToken)).status).toBe(200)
  const statement = (await call('GET', '/api/identity/sandbox/outbox')).body.entries.find((e: { channel: string }) => e.channel === 'payout')
  const confirmed = await call('POST', `/api/identity/companies/${companyId}/micro-deposit/confirm`, { amount: statement.amount }, senderToken)
  expect(confirmed.body).toMatchObject({ status: 'verified' })
  const seal = await call('POST', `/api/seals/companies/${companyId}/seals`, { spec: { kind: 'company-round', companyName: COMPANY.name, sealType: '合同专用章' } }, senderToken)
  expect(seal.status).toBe(201)
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PHONE, acceptDownloads: true })
  contexts.push(context)
  return context
}

/** A person opens the SMS link of this contract, logs in with its code, verifies, draws a signature, confirms intent and signs. */
async function signFromSmsLink(who: typeof SIGNER_ONE, signatureField: string, label: string, done: string): Promise<void> {
  const page = await (await newContext()).newPage()
  page.setDefaultTimeout(30_000)
  const sms = (await api().outbox(who.phone)).map((e) => (e as { text?: string }).text ?? '').find((t) => /\/s\/[A-Za-z0-9_-]+/.test(t))
  expect(sms).toContain(TITLE)
  const link = sms!.match(/(https?:\/\/\S+)?\/s\/([A-Za-z0-9_-]+)/)!
  // The link in the SMS points at the server npm start runs.
  if (link[1]) expect(link[1]).toBe(url)
  await page.goto(`${url}/s/${link[2]}`)
  await visible(page, 'link-title').getByText(TITLE).waitFor()
  await tap(page, 'link-send-code')
  await visible(page, 'link-sent').waitFor()
  await shot(page, `${label}-1-link`)
  await fill(page, 'link-code', await newestCode(who.phone))
  await tap(page, 'link-login')

  // Not verified yet: the sign page leads to 实名认证 (the 沙箱 face page) and back.
  await visible(page, 'sign-realname').waitFor()
  await shot(page, `${label}-2-unverified`)
  await tap(page, 'sign-go-verify')
  await fill(page, 'person-name', who.name)
  await fill(page, 'person-id-number', who.idNumber)
  await fill(page, 'person-phone', who.phone)
  await shot(page, `${label}-3-realname`)
  await tap(page, 'person-submit')
  await tap(page, 'person-face-start')
  await page.locator('#sandbox-face-pass').waitFor()
  await shot(page, `${label}-4-face`)
  await page.locator('#sandbox-face-pass').click()
  await visible(page, 'person-back').waitFor({ timeout: 30_000 })
  await shot(page, `${label}-5-verified`)
  await tap(page, 'person-back')

  // The sign page: my signature field, a drawn signature.
  await visible(page, 'sign-title').getByText(TITLE).waitFor()
  await page.locator('.cpage__img:visible').first().waitFor()
  await tap(page, 'sign-next')
  await visible(page, `mf-${signatureField}`).click()
  await visible(page, 'sign-signature-sheet').waitFor()
  await shot(page, `${label}-6-choose-signature`)
  await tap(page, 'sign-draw')
  await drawSignature(page)
  await shot(page, `${label}-7-drawn`)
  await page.locator('.taro-navigation-bar-back:visible').click()
  await visible(page, 'sign-progress').getByText('1/1').waitFor()
  await shot(page, `${label}-8-ready`)

  // Intent by SMS code, then the signature.
  await tap(page, 'sign-submit')
  await enterIntentCode(page, () => newestCode(who.phone))
  await shot(page, `${label}-9-intent`)
  await tap(page, 'sign-confirm')
  await visible(page, 'sign-done').getByText(done).waitFor({ timeout: 90_000 })
  await shot(page, `${label}-10-signed`)
}

beforeAll(async () => {
  for (const built of ['build/cloud-functions/runtime/local-server-main.js', 'dist/h5/index.html']) {
    if (!fs.existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: npm test builds it before jest (npm run build:server, npm run build:h5)`)
  }
  fs.mkdirSync(SHOTS, { recursive: true })
  await startProduct()
  browser = await launchChromium()
  await companySender()
})
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined)
  await browser?.close()
  await stopProduct()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('issue 14 end to end under npm start, in Chromium at 375 px: a company and two persons', () => {
  it('the company sender uploads the LibreOffice contract, places a seal, signatures and dates, sends in two batches and seals first', async () => {
    const context = await newContext()
    // Acting for the company (the 我的 page's switch keeps this in storage).
    await signIn(context, senderToken, { companyId, companyName: COMPANY.name })
    sender = await context.newPage()
    sender.setDefaultTimeout(30_000)
    await sender.goto(`${url}/#/pages/index/index`)
    await visible(sender, 'home-count-todo').waitFor()
    await shot(sender, '01-home')
    await tap(sender, 'home-start')

    // Step 1: the file (upload to 100 %) and the title.
    await visible(sender, 'create-choose-file').waitFor()
    const [chooser] = await Promise.all([sender.waitForEvent('filechooser'), tap(sender, 'create-choose-file')])
    await chooser.setFiles(PDF)
    await visible(sender, 'create-upload-state').getByText('✓ 上传完成').waitFor()
    await fill(sender, 'create-title', TITLE)
    await visible(sender, 'create-step-file').getByText(`发起方：${COMPANY.name}（企业）`).waitFor()
    await shot(sender, '02-file')
    await tap(sender, 'create-next')

    // Step 2: the company (acting member: the sender) in batch 1, the two persons together in batch 2.
    await tap(sender, 'create-add-company')
    await fill(sender, 'party-0-company', COMPANY.name)
    await fill(sender, 'party-0-name', SENDER.name)
    await fill(sender, 'party-0-phone', SENDER.phone)
    await tap(sender, 'create-add-person')
    await fill(sender, 'party-1-name', SIGNER_ONE.name)
    await fill(sender, 'party-1-phone', SIGNER_ONE.phone)
    await tap(sender, 'create-add-person')
    await fill(sender, 'party-2-name', SIGNER_TWO.name)
    await fill(sender, 'party-2-phone', SIGNER_TWO.phone)
    await tap(sender, 'create-order-groups')
    await tap(sender, 'party-1-group-plus')
    await tap(sender, 'party-2-group-plus')
    await visible(sender, 'party-2-group').getByText('第 2 批').waitFor()
    await shot(sender, '03-parties')
    await tap(sender, 'create-next')

    // Step 3: on the last page, the company's seal, then each person's signature and date, dragged into place.
    await sender.locator('.cpage__img:visible').first().waitFor()
    await tap(sender, 'create-page-next')
    await visible(sender, 'create-page-no').getByText('第 2 / 2 页').waitFor()
    const place: Array<[party: string, kind: string, fieldId: string, fx: number, fy: number]> = [
      ['p1', 'seal', 'f1', 0.8, 0.72],
      ['p2', 'signature', 'f2', 0.2, 0.75],
      ['p2', 'date', 'f3', 0.2, 0.83],
      ['p3', 'signature', 'f4', 0.5, 0.75],
      ['p3', 'date', 'f5', 0.5, 0.83],
    ]
    for (const [party, kind, fieldId, fx, fy] of place) {
      await tap(sender, `create-signer-${party}`)
      await tap(sender, `create-add-${kind}`)
      await dragField(sender, fieldId, fx, fy)
    }
    await visible(sender, 'create-field-list').getByText('已放置 5 个').waitFor()
    await shot(sender, '04-fields')
    await tap(sender, 'create-next')

    // Step 4: the deadline (default in 7 days); send and seal at once.
    await visible(sender, 'create-deadline').waitFor()
    await shot(sender, '05-send')
    await tap(sender, 'create-send-sign')
    await visible(sender, 'sign-title').getByText(TITLE).waitFor()
    contractId = contractIdOf(sender)!
    expect(contractId).toBeTruthy()

    // The fields were saved where they were dropped (points from the bottom-left of page 2).
    const view = await api().call('GET', `/api/contracts/${contractId}`, undefined, senderToken)
    expect(view.status).toBe(200)
    const size = view.body.pages[1]
    const centre = (id: string) => {
      const f = view.body.fields.find((x: { fieldId: string }) => x.fieldId === id)
      return [f.page, (f.rect[0] + f.rect[2] / 2) / size.width, 1 - (f.rect[1] + f.rect[3] / 2) / size.height]
    }
    for (const [, , fieldId, fx, fy] of place) {
      const [page, x, y] = centre(fieldId)
      expect([fieldId, page]).toEqual([fieldId, 1])
      expect(Math.abs(x - fx)).toBeLessThan(0.03)
      expect(Math.abs(y - fy)).toBeLessThan(0.03)
    }
    expect(view.body.fields.map((f: { kind: string; partyId: string }) => `${f.partyId}:${f.kind}`).sort()).toEqual(['p1:seal', 'p2:date', 'p2:signature', 'p3:date', 'p3:signature'])

    // The company's seal is chosen; intent by SMS code; sealed. Both persons are notified together.
    await visible(sender, 'sign-progress').getByText('1/1').waitFor()
    await sender.locator('.cpage__img:visible').first().waitFor()
    await shot(sender, '06-seal-ready')
    await tap(sender, 'sign-submit')
    await enterIntentCode(sender, () => newestCode(SENDER.phone))
    await shot(sender, '07-seal-intent')
    await tap(sender, 'sign-confirm')
    await visible(sender, 'sign-done').getByText('您已完成签署，等待其他签署方签署。').waitFor({ timeout: 90_000 })
    await shot(sender, '08-sealed')
    const after = await api().call('GET', `/api/contracts/${contractId}`, undefined, senderToken)
    expect(after.body.parties.map((p: { status: string }) => p.status)).toEqual(['signed', 'notified', 'notified'])
  })

  it('signer one opens the SMS link, logs in with its code, verifies real name, draws a signature, confirms intent and signs', async () => {
    await signFromSmsLink(SIGNER_ONE, 'f2', '10-signer-one', '您已完成签署，等待其他签署方签署。')
  })

  it('signer two does the same in a second browser context, and the contract completes', async () => {
    await signFromSmsLink(SIGNER_TWO, 'f4', '20-signer-two', '所有签署方均已签署，合同已完成。')
  })

  it('the sender sees 已完成, downloads the PDF through the page (a browser download), and pdfsig and qpdf judge it', async () => {
    await sender.goto(`${url}/#/packages/contracts/pages/list/index?box=completed`)
    await visible(sender, `contract-${contractId}`).getByText('已完成').waitFor()
    await shot(sender, '30-list-completed')
    await visible(sender, `contract-${contractId}`).click()
    await visible(sender, 'detail-status').getByText('已完成').waitFor()
    for (const who of [COMPANY.name, SIGNER_ONE.name, SIGNER_TWO.name]) await visible(sender, 'detail-parties').getByText(who).first().waitFor()
    await shot(sender, '31-detail-completed')

    const [download] = await Promise.all([sender.waitForEvent('download'), tap(sender, 'detail-download')])
    expect(download.suggestedFilename()).toMatch(/\.pdf$/)
    downloaded = path.join(dataDir, 'downloaded.pdf')
    await download.saveAs(downloaded)
    const bytes = fs.readFileSync(downloaded)
    // Kept with the screenshots, as a test artefact.
    fs.copyFileSync(downloaded, path.join(SHOTS, 'npm-start-contract.pdf'))
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')

    // Three signatures (the company's seal, then the two persons in either order), each valid, then the completion's document time-stamp.
    const all = pdfsig(downloaded).signatures
    expect(all).toHaveLength(4)
    for (const s of all.slice(0, 3)) {
      expect(s.subFilter).toBe('ETSI.CAdES.detached')
      expect(s.status).toBe('Signature is Valid.')
    }
    expect(all[0]!.fieldName).toBe('qy_sig_p1')
    expect(all.slice(1, 3).map((s) => s.fieldName).sort()).toEqual(['qy_sig_p2', 'qy_sig_p3'])
    expect(all[3]!.fieldName).toMatch(/^DocumentTimeStamp/)
    expect(qpdfCheck(downloaded).ok).toBe(true)
    // poppler cannot validate the document time-stamp: esign verify (trusting this server's platform
    // CA) judges the completion revision with the rest — valid, no disallowed change after any signature.
    expectJudgedValid(judgeContractPdf(bytes, { dir: dataDir, name: 'judged', dataDir }), { signed: 3, completed: true })
  })

  it('the verify page calls the downloaded PDF valid', async () => {
    await sender.goto(`${url}/#/packages/verification/pages/index/index`)
    const [chooser] = await Promise.all([sender.waitForEvent('filechooser'), sender.getByText('选择 PDF 文件').locator('visible=true').first().click()])
    await chooser.setFiles(downloaded)
    await sender.getByText('✓ 文档有效').locator('visible=true').first().waitFor({ timeout: 90_000 })
    // The company's seal is listed under the company, and the persons by name, each valid.
    await sender.getByText(new RegExp(`^签名 1：${COMPANY.name}（${SENDER.name}）`)).locator('visible=true').first().waitFor()
    for (const who of [SIGNER_ONE.name, SIGNER_TWO.name]) await sender.getByText(new RegExp(`^签名 [23]：${who}（`)).locator('visible=true').first().waitFor()
    await shot(sender, '40-verify-valid')
    // The server under npm start logged no error or stack trace through all of it.
    expect(serverOutput).not.toMatch(/"level":(50|60)|\n\s+at .*\.js:\d+/)
  })
})
