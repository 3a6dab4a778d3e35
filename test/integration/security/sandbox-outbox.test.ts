/**
 * Issue 10 item 3: the sandbox outbox showed every login code to anyone. Now the API (and page)
 * need the operator token (`?token=` or `X-Operator-Token`): `ESIGN_OPERATOR_TOKEN`, or one the
 * local server generates and prints at start; AWS mode refuses the sandbox providers unless
 * `ESIGN_ALLOW_SANDBOX=true`; `npm start` on a non-loopback HOST prints a loud warning.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ConfigError, loadConfig } from '../../../cloud-functions/runtime/config'
import type { Container } from '../../../cloud-functions/runtime/container'
import { operatorToken } from '../../../cloud-functions/runtime/operator-token'
import { isLoopbackHost } from '../../../cloud-functions/runtime/sandbox-notice'
import { freePort, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(120_000)

const ROOT = path.resolve(__dirname, '../../..')
const VICTIM = '13800000001'
const AWS_BASE = { ESIGN_MODE: 'aws', ESIGN_S3_BUCKET: 'bucket', ESIGN_DYNAMODB_TABLE: 'table', ESIGN_SESSION_SECRET: Buffer.alloc(32, 1).toString('base64') }

type ErrorJson = { error: { code: string; message: string } }

describe('sandbox outbox behind the operator token (generated at start)', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp()
  })
  afterAll(async () => app?.stop())

  const outbox = (query: string, headers: Record<string, string> = {}) => fetch(`${app.url}/api/identity/sandbox/outbox${query}`, { headers })

  it('the issue\'s attack: request a login code for the victim, read it from the outbox without a token → 401, nothing shown', async () => {
    const sent = await fetch(`${app.url}/api/auth/sms-codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: VICTIM }) })
    expect(sent.status).toBe(202)
    const res = await outbox(`?phone=${VICTIM}`)
    expect(res.status).toBe(401)
    const body = (await res.json()) as ErrorJson
    expect(body.error.code).toBe('OPERATOR_TOKEN_INVALID')
    expect(JSON.stringify(body)).not.toMatch(/\d{6}/)
    expect((await outbox(`?phone=${VICTIM}&token=wrong-token-wrong-token-wrong`)).status).toBe(401)
    expect((await outbox(`?phone=${VICTIM}`, { 'x-operator-token': 'x'.repeat(48) })).status).toBe(401)
  })

  it('the generated token opens it, as ?token= and as X-Operator-Token', async () => {
    const token = operatorToken(app.deps)!
    expect(token).toMatch(/^[0-9a-f]{48}$/)
    const viaQuery = await outbox(`?phone=${VICTIM}&token=${token}`)
    expect(viaQuery.status).toBe(200)
    const entries = ((await viaQuery.json()) as { entries: Array<{ code?: string }> }).entries
    expect(entries[0]?.code).toMatch(/^\d{6}$/)
    expect((await outbox(`?phone=${VICTIM}`, { 'x-operator-token': token })).status).toBe(200)
  })
})

describe('configured operator token', () => {
  it('ESIGN_OPERATOR_TOKEN is the only token accepted', async () => {
    const configured = 'configured-operator-token-0123456789'
    const app = await startTestApp({ ESIGN_OPERATOR_TOKEN: configured })
    try {
      expect(operatorToken(app.deps)).toBe(configured)
      expect((await fetch(`${app.url}/api/identity/sandbox/outbox?token=${configured}`)).status).toBe(200)
      expect((await fetch(`${app.url}/api/identity/sandbox/outbox?token=${'0'.repeat(48)}`)).status).toBe(401)
    } finally {
      await app.stop()
    }
  })

  it('a short or odd ESIGN_OPERATOR_TOKEN is a configuration error', () => {
    expect(() => loadConfig({ ESIGN_OPERATOR_TOKEN: 'short' }, '/')).toThrow(/ESIGN_OPERATOR_TOKEN/)
  })
})

describe('AWS mode and the sandbox', () => {
  it('refuses the sandbox providers (the defaults) unless the stage allows them', () => {
    expect(() => loadConfig(AWS_BASE, '/')).toThrow(ConfigError)
    expect(() => loadConfig(AWS_BASE, '/')).toThrow(/ESIGN_ALLOW_SANDBOX=true/)
    expect(() => loadConfig({ ...AWS_BASE, ESIGN_SMS_PROVIDER: 'tencent', TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'k', ESIGN_SMS_SDK_APP_ID: '1', ESIGN_SMS_SIGN_NAME: 's', ESIGN_SMS_TEMPLATE_ID: 't' }, '/')).toThrow(/ESIGN_IDENTITY_PROVIDER/)
    expect(loadConfig({ ...AWS_BASE, ESIGN_ALLOW_SANDBOX: 'true' }, '/').allowSandbox).toBe(true)
  })

  it('runs with real providers without the switch', () => {
    const c = loadConfig(
      {
        ...AWS_BASE,
        ESIGN_IDENTITY_PROVIDER: 'tencent',
        ESIGN_SMS_PROVIDER: 'tencent',
        TENCENTCLOUD_SECRET_ID: 'id',
        TENCENTCLOUD_SECRET_KEY: 'key',
        ESIGN_FACEID_RULE_ID: '1',
        ESIGN_SMS_SDK_APP_ID: '1400000000',
        ESIGN_SMS_SIGN_NAME: '签约',
        ESIGN_SMS_TEMPLATE_ID: '100',
      },
      '/',
    )
    expect(c.allowSandbox).toBe(false)
  })

  it('an allowed sandbox without ESIGN_OPERATOR_TOKEN keeps the outbox closed (no per-Lambda token)', () => {
    const config = loadConfig({ ...AWS_BASE, ESIGN_ALLOW_SANDBOX: 'true' }, '/')
    expect(operatorToken({ config, metadata: {} } as unknown as Container)).toBeUndefined()
    const withToken = loadConfig({ ...AWS_BASE, ESIGN_ALLOW_SANDBOX: 'true', ESIGN_OPERATOR_TOKEN: 'stage-operator-token-0123456789' }, '/')
    expect(operatorToken({ config: withToken, metadata: {} } as unknown as Container)).toBe('stage-operator-token-0123456789')
  })
})

describe('npm start prints the token, and warns loudly off loopback', () => {
  const children: ChildProcess[] = []
  const dirs: string[] = []
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'build/cloud-functions/runtime/local-server-main.js'))) spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
  })
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  })

  async function start(host: string): Promise<{ stdout: string; stderr: string; child: ChildProcess }> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-outbox-start-'))
    dirs.push(dataDir)
    const port = await freePort()
    const child = spawn(process.execPath, [path.join(ROOT, 'build/cloud-functions/runtime/local-server-main.js')], {
      cwd: ROOT,
      env: { ...process.env, HOST: host, PORT: String(port), ESIGN_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ESIGN_TICK_SECONDS: '0', ESIGN_OPERATOR_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${stdout}\n${stderr}`)), 60_000)
      const check = () => {
        if (/outbox\?token=/.test(stdout)) {
          clearTimeout(timer)
          setTimeout(resolve, 200)
        }
      }
      child.stdout!.on('data', check)
      child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${stdout}\n${stderr}`)))
    })
    return { stdout, stderr, child }
  }

  it('on 127.0.0.1: the outbox link with a fresh token, no warning; the printed link works', async () => {
    const { stdout, stderr, child } = await start('127.0.0.1')
    expect(stderr).not.toMatch(/WARNING/)
    const link = /(http:\/\/\S+\/api\/identity\/sandbox\/outbox\?token=[0-9a-f]{48})/.exec(stdout)?.[1]
    expect(link).toBeDefined()
    expect((await fetch(link!)).status).toBe(200)
    expect((await fetch(link!.replace(/token=.*/, ''))).status).toBe(401)
    child.kill('SIGTERM')
  })

  it('on 0.0.0.0: a loud warning that the sandbox is reachable from other machines', async () => {
    const { stderr, child } = await start('0.0.0.0')
    expect(stderr).toMatch(/WARNING: the SANDBOX providers/)
    expect(stderr).toMatch(/HOST=0\.0\.0\.0/)
    child.kill('SIGTERM')
  })

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) expect(isLoopbackHost(h)).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'example.cn']) expect(isLoopbackHost(h)).toBe(false)
  })
})
