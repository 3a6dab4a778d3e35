/**
 * `esign outbox` (issue 15): prints the local sandbox outbox the running server wrote — SMS codes and
 * contract notices — newest first, recipients masked; `--json` for scripts; bad usage exits 2.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { apiClient } from '../support/api-client'
import { startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(120_000)

const ROOT = path.resolve(__dirname, '../..')
let app: TestApp
const esign = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin/esign.js'), 'outbox', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ESIGN_MODE: 'local', ESIGN_DATA_DIR: app.dataDir } })

beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.stop()
})

it('prints the codes the server "sent", newest first, masked recipients; --phone filters; --json parses', async () => {
  const { call } = apiClient(app)
  expect((await call('POST', '/api/auth/sms-codes', { phone: '13900007301' })).status).toBe(202)
  expect((await call('POST', '/api/auth/sms-codes', { phone: '13900007302' })).status).toBe(202)

  const all = esign()
  expect([all.status, all.stderr]).toEqual([0, ''])
  expect(all.stdout).toContain('短信 → 139****7301')
  expect(all.stdout).toContain('短信 → 139****7302')
  expect(all.stdout.indexOf('139****7302')).toBeLessThan(all.stdout.indexOf('139****7301'))
  expect(all.stdout).not.toContain('13900007301')

  const one = esign('--phone', '13900007301', '--json')
  expect(one.status).toBe(0)
  const entries = JSON.parse(one.stdout) as Array<{ to: string; code?: string; channel: string }>
  expect(entries).toHaveLength(1)
  expect(entries[0]).toMatchObject({ channel: 'sms', to: '139****7301', code: expect.stringMatching(/^\d{6}$/) })
  expect(all.stdout).toContain(`验证码 ${entries[0]!.code}`)
})

it('bad usage exits 2; an empty data dir prints an empty outbox', () => {
  const bad = esign('--nope')
  expect(bad.status).toBe(2)
  expect(bad.stderr).toContain('esign outbox')
  const empty = spawnSync(process.execPath, [path.join(ROOT, 'bin/esign.js'), 'outbox'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ESIGN_MODE: 'local', ESIGN_DATA_DIR: path.join(app.dataDir, 'nothing-here') } })
  expect([empty.status, empty.stdout]).toEqual([0, expect.stringContaining('发件箱为空')])
})
