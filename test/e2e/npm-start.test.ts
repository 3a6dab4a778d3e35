import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Browser } from 'playwright-core'
import { launchChromium } from '../support/browser'
import { freePort, makePdf } from '../support/local-app'

/**
 * What a newcomer gets from `npm start`: the real start script (install/build checks, then the
 * local server), the H5 page in Chromium showing the health result, data that survives a
 * restart, and a clean stop on Ctrl-C (SIGINT).
 */
const ROOT = path.resolve(__dirname, '../..')
/** The sandbox outbox's operator token for this run (npm start would otherwise make one and print it). */
const OPERATOR_TOKEN = 'npm-start-operator-token-0123456789'

jest.setTimeout(180_000)

describe('npm start (embedded default)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-start-'))
  let port: number
  let browser: Browser | undefined
  const children: ChildProcess[] = []

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: npm test builds it before jest (npm run build:h5)')
    port = await freePort()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  async function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), ESIGN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ESIGN_OPERATOR_TOKEN: OPERATOR_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let out = ''
    child.stdout!.on('data', (d) => (out += d))
    child.stderr!.on('data', (d) => (out += d))
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 60 s:\n${out}`)), 60_000)
      const check = () => {
        const m = /is running at (http:\/\/\S+?)\/?\s/.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      }
      child.stdout!.on('data', check)
      child.on('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`npm start exited with ${code}:\n${out}`))
      })
    })
    return { child, url, output: () => out }
  }

  function stop(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.kill('SIGINT')
    })
  }

  it('serves the H5 app, whose diagnostics page shows the health result; keeps data across a restart; stops cleanly on Ctrl-C', async () => {
    const first = await start()
    expect(first.url).toBe(`http://127.0.0.1:${port}`)
    const health = await (await fetch(`${first.url}/api/health`)).json()
    expect(health).toMatchObject({ status: 'ok', mode: 'local', storage: { objects: { kind: 'filesystem' }, metadata: { kind: 'sqlite' } } })

    const page = await browser!.newPage()
    await page.goto(`${first.url}/#/packages/diagnostics/pages/index/index`)
    const status = page.locator('#health-status')
    await status.waitFor({ state: 'visible', timeout: 30_000 })
    await expect(status.textContent()).resolves.toContain('服务状态：正常')
    const text = await page.locator('body').innerText()
    expect(text).toContain('sqlite')
    expect(text).toContain('filesystem')
    await page.screenshot({ path: path.join(os.tmpdir(), 'qianyue-e2e-home.png') })
    await page.close()

    const pdf = await makePdf('restart check')
    // Documents need a session: log in by SMS code as a user would, reading the code from the sandbox outbox.
    const phone = '13800138000'
    const json = { 'content-type': 'application/json' }
    expect((await fetch(`${first.url}/api/auth/sms-codes`, { method: 'POST', headers: json, body: JSON.stringify({ phone }) })).status).toBe(202)
    const outbox = (await (await fetch(`${first.url}/api/identity/sandbox/outbox?phone=${phone}`, { headers: { 'x-operator-token': OPERATOR_TOKEN } })).json()) as { entries: { code?: string }[] }
    const code = outbox.entries.find((e) => e.code)?.code
    const login = await fetch(`${first.url}/api/auth/sms-login`, { method: 'POST', headers: json, body: JSON.stringify({ phone, code }) })
    expect(login.status).toBe(200)
    const authorization = `Bearer ${((await login.json()) as { token: string }).token}`
    const uploaded = await fetch(`${first.url}/api/documents`, { method: 'POST', headers: { 'content-type': 'application/pdf', authorization }, body: pdf })
    expect(uploaded.status).toBe(201)
    const doc = (await uploaded.json()) as { id: string }

    expect(await stop(first.child)).toBe(0)
    await expect(fetch(`${first.url}/api/health`)).rejects.toThrow()

    const second = await start()
    const again = await fetch(`${second.url}/api/documents/${doc.id}`, { headers: { authorization } })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ id: doc.id, size: pdf.length })
    expect(await stop(second.child)).toBe(0)
    expect(second.output()).not.toMatch(/Error|at .*\.js:\d+/)
  })
})
