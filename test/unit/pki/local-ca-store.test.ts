import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadOrCreateLocalCa } from '../../../cloud-functions/adapters/local/local-ca-store'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import { buildCmsSignedData } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import { readTimestampToken } from '../../../cloud-functions/core/pki/read-timestamp-token'
import { fixedClock, sha256 } from '../../interop/pki/support/fixtures'

jest.setTimeout(60_000)

const fingerprint = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex')

describe('loadOrCreateLocalCa', () => {
  let dataDir: string
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'qianyue-localca-'))
  })
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  it('creates <dataDir>/pki on first use: PEM certificates, encrypted keys, a 0600 master key', async () => {
    const ca = await loadOrCreateLocalCa(dataDir, fixedClock())
    const pki = join(dataDir, 'pki')
    expect(readdirSync(pki).sort()).toEqual(
      ['ca.json', 'issuing.key.enc', 'issuing.pem', 'master.key', 'ocsp.key.enc', 'ocsp.pem', 'root.key.enc', 'root.pem', 'tsa.key.enc', 'tsa.pem'].sort(),
    )
    expect(statSync(pki).mode & 0o777).toBe(0o700)
    expect(statSync(join(pki, 'master.key')).mode & 0o777).toBe(0o600)
    expect(statSync(join(pki, 'root.key.enc')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(pki, 'master.key'))).toHaveLength(32)
    expect(readFileSync(join(pki, 'root.pem'), 'utf8')).toBe(ca.rootCertificatePem)
    // No temporary directories left behind.
    expect(readdirSync(dataDir)).toEqual(['pki'])
  })

  it('never writes a private key in clear', async () => {
    await loadOrCreateLocalCa(dataDir, fixedClock())
    const pki = join(dataDir, 'pki')
    for (const file of readdirSync(pki)) {
      const content = readFileSync(join(pki, file))
      expect(content.toString('latin1')).not.toContain('PRIVATE KEY')
      if (file.endsWith('.key.enc')) {
        const envelope = JSON.parse(content.toString('utf8'))
        expect(envelope).toMatchObject({ v: 1, alg: 'A256GCM' })
        // The ciphertext is not a DER PKCS#8 structure.
        expect(Buffer.from(envelope.ciphertext, 'base64').subarray(0, 2)).not.toEqual(Buffer.from([0x30, 0x81]))
      }
    }
  })

  it('loads the same CA the second time', async () => {
    const first = await loadOrCreateLocalCa(dataDir, fixedClock())
    const second = await loadOrCreateLocalCa(dataDir, fixedClock())
    expect(fingerprint(second.rootCertificateDer)).toBe(fingerprint(first.rootCertificateDer))
    expect(fingerprint(second.issuingCertificateDer)).toBe(fingerprint(first.issuingCertificateDer))
    const root = await second.rootSigner()
    expect((await root.certificateChain())[0]).toEqual(first.rootCertificateDer)
  })

  it('issues event certificates whose chain includes the issuing CA, and time-stamps, ready for buildCmsSignedData', async () => {
    const ca = await loadOrCreateLocalCa(dataDir, fixedClock(), { baseUrl: 'https://esign.example.com/' })
    const { signer, certificateDer } = await ca.issueEventCertificate({ name: '张三', org: '示例科技有限公司', contractId: 'c_1', intentHash: sha256('intent') })
    const chain = await signer.certificateChain()
    expect(chain.map((c) => fingerprint(c))).toEqual([fingerprint(certificateDer), fingerprint(ca.issuingCertificateDer)])
    const cms = await buildCmsSignedData({ documentDigest: sha256('pdf'), signer, tsa: ca.tsa })
    expect(cms[0]).toBe(0x30)
    const token = await ca.tsa.timestamp(new Uint8Array([1]))
    expect(readTimestampToken(token).ok).toBe(true)
    expect(ca.tsaCertificatesSize).toBe(ca.tsaCertificateDer.length)
    expect(ca.baseUrl).toBe('https://esign.example.com')
    expect(parseCertificate(certificateDer).extensions.size).toBeGreaterThan(5)
  })

  it('uses a master key given as a parameter and writes no master.key', async () => {
    const masterKey = new Uint8Array(randomBytes(32))
    const ca = await loadOrCreateLocalCa(dataDir, fixedClock(), { masterKey })
    expect(readdirSync(join(dataDir, 'pki'))).not.toContain('master.key')
    const again = await loadOrCreateLocalCa(dataDir, fixedClock(), { masterKey })
    expect(fingerprint(again.rootCertificateDer)).toBe(fingerprint(ca.rootCertificateDer))
    await expect(loadOrCreateLocalCa(dataDir, fixedClock(), { masterKey: new Uint8Array(32) })).rejects.toThrow('cannot decrypt')
  })

  it('detects a key file swapped for another role', async () => {
    await loadOrCreateLocalCa(dataDir, fixedClock())
    const pki = join(dataDir, 'pki')
    writeFileSync(join(pki, 'issuing.key.enc'), readFileSync(join(pki, 'tsa.key.enc')))
    await expect(loadOrCreateLocalCa(dataDir, fixedClock())).rejects.toThrow('issuing.key.enc')
  })

  it('refuses a pki directory that is not a CA', async () => {
    const pki = join(dataDir, 'pki')
    mkdirSync(pki)
    writeFileSync(join(pki, 'something'), 'x')
    await expect(loadOrCreateLocalCa(dataDir, fixedClock())).rejects.toThrow('holds no CA')
  })

  it('concurrent creators in one process agree on one CA', async () => {
    const cas = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateLocalCa(dataDir, fixedClock())))
    expect(new Set(cas.map((c) => fingerprint(c.rootCertificateDer))).size).toBe(1)
    expect(cas.filter((c) => c.created)).toHaveLength(1) // exactly one of them says it created the CA
    expect(readdirSync(dataDir)).toEqual(['pki'])
  })

  it('concurrent creators in separate processes agree on one CA', async () => {
    const script = join(dataDir, 'race.ts')
    const adapter = resolve(__dirname, '../../../cloud-functions/adapters/local/local-ca-store')
    writeFileSync(
      script,
      `import { loadOrCreateLocalCa } from ${JSON.stringify(adapter)}\n` +
        `import { createHash } from 'node:crypto'\n` +
        `loadOrCreateLocalCa(${JSON.stringify(join(dataDir, 'data'))}, { now: () => new Date() }).then((ca) => process.stdout.write(createHash('sha256').update(ca.rootCertificateDer).digest('hex')))\n`,
    )
    const tsx = resolve(__dirname, '../../../node_modules/.bin/tsx')
    const run = () =>
      new Promise<string>((done, fail) => {
        const child = spawn(tsx, [script], { stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        let errText = ''
        child.stdout.on('data', (b) => (out += b))
        child.stderr.on('data', (b) => (errText += b))
        child.on('close', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`child exited ${code}: ${errText}`))))
      })
    const fingerprints = await Promise.all([run(), run(), run(), run()])
    expect(fingerprints[0]).toMatch(/^[0-9a-f]{64}$/)
    expect(new Set(fingerprints).size).toBe(1)
    expect(readdirSync(join(dataDir, 'data'))).toEqual(['pki'])
  })
})
