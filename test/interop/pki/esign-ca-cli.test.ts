/**
 * `esign ca init` / `esign ca root` / `esign ca revoke` as operators run them (the compiled CLI,
 * node bin/esign.js), and the promise that matters: the root `esign ca root` prints is the trust
 * anchor of what the local server issues from the same ESIGN_DATA_DIR (judged by openssl).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { getPkiServices } from '../../../cloud-functions/runtime/services'
import { startTestApp } from '../../support/local-app'
import { openssl, opensslAsync, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(180_000)

const ROOT = join(__dirname, '../../..')
const CLI = join(ROOT, 'bin/esign.js')
const BUILT = join(ROOT, 'build/cloud-functions/cli/ca-command.js')

describe('esign ca', () => {
  const scratch = scratchDir('esign-ca')
  const dataDir = join(scratch.dir, 'esign-data')
  const esign = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync('node', [CLI, 'ca', ...args], { cwd: scratch.dir, env: { ...process.env, ESIGN_DATA_DIR: dataDir, ...env }, encoding: 'utf8', timeout: 60_000 })
    return { status: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  beforeAll(() => {
    requireOpenssl()
    const src = join(ROOT, 'cloud-functions/cli/ca-command.ts')
    if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < statSync(src).mtimeMs) {
      // Same command as `npm run build:server`; type errors elsewhere in the tree do not block emit.
      spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
    }
    if (!existsSync(BUILT)) throw new Error('build/ has no ca-command.js: run "npx tsc -p tsconfig.server.json"')
  })
  afterAll(() => scratch.cleanup())

  it('init creates the hierarchy and says where; a second init changes nothing; root prints the same root PEM', () => {
    const first = esign(['init'])
    expect(first).toMatchObject({ status: 0, stderr: '' })
    expect(first.stdout).toContain(`Created the platform CA in ${join(dataDir, 'pki')}`)
    expect(first.stdout).toContain('Qianyue Root CA')
    const rootPem = readFileSync(join(dataDir, 'pki', 'root.pem'), 'utf8')
    const second = esign(['init'])
    expect(second.status).toBe(0)
    expect(second.stdout).toContain(`The platform CA already exists in ${join(dataDir, 'pki')}; nothing changed`)
    expect(readFileSync(join(dataDir, 'pki', 'root.pem'), 'utf8')).toBe(rootPem)
    const root = esign(['root'])
    expect(root).toEqual({ status: 0, stdout: rootPem, stderr: '' })
    scratch.write('root.pem', root.stdout)
    const text = openssl(['x509', '-in', 'root.pem', '-noout', '-text'], { cwd: scratch.dir }).stdout
    expect(text).toContain('CA:TRUE, pathlen:1')
  })

  it('the root it prints verifies what the local server issues from the same data folder (certificates, OCSP, time-stamps)', async () => {
    const app = await startTestApp({ ESIGN_DATA_DIR: dataDir })
    try {
      const pki = await getPkiServices(app.deps)
      expect(pki.created).toBe(false)
      const signer = await pki.issueEventCertificate({ name: '张三' })
      scratch.write('signer.pem', pem(signer.certificateDer))
      scratch.write('issuing.pem', pem(new Uint8Array(await (await fetch(`${app.url}/api/pki/certs/issuing.cer`)).arrayBuffer())))
      expect(openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'signer.pem'], { cwd: scratch.dir }).stdout).toContain('signer.pem: OK')
      const ocsp = await opensslAsync(['ocsp', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-url', `${app.url}/api/pki/ocsp`, '-CAfile', 'root.pem'], { cwd: scratch.dir })
      expect(ocsp.output).toContain('Response verify OK')
      expect(ocsp.stdout).toContain('signer.pem: good')
      scratch.write('data.bin', 'x')
      openssl(['ts', '-query', '-data', 'data.bin', '-sha256', '-cert', '-out', 'q.tsq'], { cwd: scratch.dir })
      const reply = await fetch(`${app.url}/api/pki/tsa`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: readFileSync(join(scratch.dir, 'q.tsq')) })
      scratch.write('r.tsr', new Uint8Array(await reply.arrayBuffer()))
      expect(openssl(['ts', '-verify', '-queryfile', 'q.tsq', '-in', 'r.tsr', '-CAfile', 'root.pem'], { cwd: scratch.dir }).output).toContain('Verification: OK')

      // An operator revokes it from the command line while the server runs: OCSP says revoked.
      const serial = openssl(['x509', '-in', 'signer.pem', '-noout', '-serial'], { cwd: scratch.dir }).stdout.trim().replace(/^serial=/, '')
      const revoked = esign(['revoke', serial, '--reason', 'keyCompromise'])
      expect(revoked).toMatchObject({ status: 0, stderr: '' })
      expect(revoked.stdout).toContain(`Revoked ${serial}`)
      const after = await opensslAsync(['ocsp', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-url', `${app.url}/api/pki/ocsp`, '-CAfile', 'root.pem'], { cwd: scratch.dir })
      expect(after.stdout).toContain('signer.pem: revoked')
      expect(esign(['revoke', serial]).stdout).toContain('was already revoked')
    } finally {
      await app.stop()
    }
  })

  it('refuses bad usage, an unknown serial and a bad ESIGN_MASTER_KEY with exit 2 and one line, changing nothing', () => {
    const rootPem = readFileSync(join(dataDir, 'pki', 'root.pem'), 'utf8')
    for (const [args, env, message] of [
      [['bogus'], {}, /unknown or malformed "esign ca bogus"/],
      [[], {}, /missing subcommand/],
      [['revoke', 'not-hex'], {}, /serial number in hex/],
      [['revoke', 'ABCDEF01'], {}, /证书不存在/],
      [['init'], { ESIGN_MASTER_KEY: 'short' }, /ESIGN_MASTER_KEY: must be 32 bytes in base64/],
    ] as [string[], Record<string, string>, RegExp][]) {
      const r = esign(args, env)
      expect(r.status).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
    // The wrong (but well-formed) master key cannot open the CA: a failure, not a new CA.
    const wrongKey = esign(['root'], { ESIGN_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') })
    expect(wrongKey.status).toBe(1)
    expect(wrongKey.stderr).toMatch(/cannot decrypt \(wrong master key/)
    expect(readFileSync(join(dataDir, 'pki', 'root.pem'), 'utf8')).toBe(rootPem)
  })

  it('esign sign opens a CA that was created under ESIGN_MASTER_KEY, and its signature chains to the root esign ca root prints', () => {
    const keyed = join(scratch.dir, 'keyed-data')
    const env = { ESIGN_DATA_DIR: keyed, ESIGN_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'), ESIGN_PUBLIC_BASE_URL: 'https://qianyue.example.cn/' }
    expect(esign(['init'], env).status).toBe(0)
    expect(existsSync(join(keyed, 'pki', 'master.key'))).toBe(false)
    const input = join(ROOT, 'test/fixtures/pdf/labor-ghostscript.pdf')
    const output = join(scratch.dir, 'keyed-signed.pdf')
    const sign = spawnSync('node', [CLI, 'sign', input, '-o', output, '--signer', '李四'], { cwd: scratch.dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 })
    expect(sign.stderr).toBe('')
    expect(sign.status).toBe(0)
    scratch.write('keyed-root.pem', esign(['root'], env).stdout)
    const verify = spawnSync('node', [CLI, 'verify', output, '--json', '--trust', join(scratch.dir, 'keyed-root.pem')], { cwd: scratch.dir, env: { ...process.env, ESIGN_DATA_DIR: join(scratch.dir, 'no-such-dir') }, encoding: 'utf8', timeout: 60_000 })
    const report = JSON.parse(verify.stdout)
    expect(report.signatures[0]).toMatchObject({ signer: '李四', intact: true, valid: true, trusted: true })
  })
})
