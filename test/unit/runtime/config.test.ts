import path from 'node:path'
import { ConfigError, loadConfig } from '../../../cloud-functions/runtime/config'

describe('configuration', () => {
  it('defaults to the embedded local mode on port 8787 with data in ./.esign-data', () => {
    const c = loadConfig({}, '/srv/app')
    expect(c).toMatchObject({ mode: 'local', port: 8787, dataDir: path.resolve('/srv/app/.esign-data'), publicBaseUrl: 'http://127.0.0.1:8787' })
  })

  it('ESIGN_EVENT_LOOP_CPU: auto by default, off, or a CPU number; anything else is refused', () => {
    expect(loadConfig({}, '/').eventLoopCpu).toBe('auto')
    expect(loadConfig({ ESIGN_EVENT_LOOP_CPU: 'off' }, '/').eventLoopCpu).toBe('off')
    expect(loadConfig({ ESIGN_EVENT_LOOP_CPU: '1' }, '/').eventLoopCpu).toBe(1)
    for (const bad of ['-1', 'first', '1,2', ' 1'])
      expect(() => loadConfig({ ESIGN_EVENT_LOOP_CPU: bad }, '/')).toThrow(/ESIGN_EVENT_LOOP_CPU/)
  })

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', ESIGN_MODE: 'cloud' }, '/')).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: 'eighty', ESIGN_MODE: 'cloud' }, '/')).toThrow(/PORT.*ESIGN_MODE|ESIGN_MODE.*PORT/)
  })

  it('requires the bucket, table and session secret in AWS mode', () => {
    expect(() => loadConfig({ ESIGN_MODE: 'aws' }, '/')).toThrow(/ESIGN_S3_BUCKET.*ESIGN_DYNAMODB_TABLE.*ESIGN_SESSION_SECRET/)
  })

  it('webhooks: https only in AWS mode; loopback only with ESIGN_WEBHOOK_ALLOW_LOOPBACK, which AWS mode refuses', () => {
    expect(loadConfig({}, '/').webhooks).toEqual({ requireHttps: false, allowLoopback: false })
    expect(loadConfig({ ESIGN_WEBHOOK_ALLOW_LOOPBACK: 'true' }, '/').webhooks).toEqual({ requireHttps: false, allowLoopback: true })
    const aws = { ESIGN_MODE: 'aws', ESIGN_S3_BUCKET: 'bucket', ESIGN_DYNAMODB_TABLE: 'table', ESIGN_SESSION_SECRET: 'x'.repeat(44), ESIGN_ALLOW_SANDBOX: 'true' }
    expect(loadConfig(aws, '/').webhooks).toEqual({ requireHttps: true, allowLoopback: false })
    expect(() => loadConfig({ ...aws, ESIGN_WEBHOOK_ALLOW_LOOPBACK: 'true' }, '/')).toThrow(/ESIGN_WEBHOOK_ALLOW_LOOPBACK/)
  })
})
