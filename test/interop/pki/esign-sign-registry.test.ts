/**
 * `esign sign` records its event certificate in the certificate registry of $ESIGN_DATA_DIR, the
 * same SQLite file the local server uses, so the server's OCSP responder answers `good` for the
 * CLI's signer certificate (not `unknown`), whether the server starts after the CLI signed or runs
 * while it signs. Judged by `openssl ocsp` against the real local server.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { derPrefix, extractSignatures } from '../../support/pdf-tools'
import { makePdf, startTestApp } from '../../support/local-app'
import { openssl, opensslAsync, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(120_000)

const ROOT = join(__dirname, '../../..')
const CLI = join(ROOT, 'bin/esign.js')

describe('esign sign and the certificate registry', () => {
  const scratch = scratchDir('esign-sign-registry')
  const dataDir = join(scratch.dir, 'esign-data')

  /** Signs input.pdf with the compiled CLI (as `npx esign` runs it) into `out`. */
  const cliSign = (out: string, signer: string) => {
    const r = spawnSync(process.execPath, [CLI, 'sign', 'input.pdf', '-o', out, '--signer', signer], {
      cwd: scratch.dir,
      env: { ...process.env, ESIGN_DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
  }

  /** The signer certificate of the (only) signature in `file`, as PEM in `<tag>.pem`: the certificate in the CMS that is not the issuing CA's. */
  const signerCertificateOf = (file: string, issuingDer: Uint8Array, tag: string): string => {
    const [signature, ...more] = extractSignatures(readFileSync(join(scratch.dir, file)))
    expect(more).toHaveLength(0)
    scratch.write(`${tag}.p7s`, derPrefix(signature.cms))
    const printed = openssl(['pkcs7', '-inform', 'DER', '-in', `${tag}.p7s`, '-print_certs'], { cwd: scratch.dir })
    expect(printed.status).toBe(0)
    const pems = printed.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    const issuingPem = pem(issuingDer).trim()
    const signers = pems.filter((p) => p.replace(/\r/g, '').trim() !== issuingPem)
    expect(pems).toHaveLength(2)
    expect(signers).toHaveLength(1)
    scratch.write(`${tag}.pem`, `${signers[0]}\n`)
    return `${tag}.pem`
  }

  const ocspStatus = async (url: string, certFile: string) => {
    const r = await opensslAsync(['ocsp', '-issuer', 'issuing.pem', '-cert', certFile, '-url', `${url}/api/pki/ocsp`, '-CAfile', 'root.pem'], { cwd: scratch.dir })
    expect(r.output).toContain('Response verify OK')
    return r.stdout
  }

  beforeAll(async () => {
    requireOpenssl()
    writeFileSync(join(scratch.dir, 'input.pdf'), await makePdf('CLI registry test'))
  })
  afterAll(() => scratch.cleanup())

  it('OCSP answers good for the CLI signer certificate, signed before the server started and while it runs', async () => {
    // A fresh data folder: the CLI creates the CA and the registry, then signs.
    cliSign('before.pdf', '张三')
    const app = await startTestApp({ ESIGN_DATA_DIR: dataDir })
    try {
      const issuingDer = new Uint8Array(await (await fetch(`${app.url}/api/pki/certs/issuing.cer`)).arrayBuffer())
      scratch.write('issuing.pem', pem(issuingDer))
      scratch.write('root.pem', pem(new Uint8Array(await (await fetch(`${app.url}/api/pki/certs/root.cer`)).arrayBuffer())))

      const before = signerCertificateOf('before.pdf', issuingDer, 'before')
      expect(openssl(['x509', '-in', before, '-noout', '-subject', '-nameopt', 'utf8'], { cwd: scratch.dir }).stdout).toContain('CN=张三')
      expect(openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', before], { cwd: scratch.dir }).stdout).toContain(`${before}: OK`)
      expect(await ocspStatus(app.url, before)).toContain(`${before}: good`)

      // The server holds the SQLite file open (WAL): the CLI records beside it.
      cliSign('during.pdf', '李四')
      const during = signerCertificateOf('during.pdf', issuingDer, 'during')
      expect(await ocspStatus(app.url, during)).toContain(`${during}: good`)

      // The judge can tell: a certificate of the same CA that was never recorded is unknown.
      const { loadOrCreateLocalCa } = await import('../../../cloud-functions/adapters/local/local-ca-store')
      const ca = await loadOrCreateLocalCa(dataDir, { now: () => new Date() })
      const unrecorded = await ca.issueEventCertificate({ name: '王五' })
      scratch.write('unrecorded.pem', pem(unrecorded.certificateDer))
      expect(await ocspStatus(app.url, 'unrecorded.pem')).toContain('unrecorded.pem: unknown')
    } finally {
      await app.stop()
    }
  })

  it('esign ca init records the hierarchy it creates in the same registry', async () => {
    const fresh = join(scratch.dir, 'ca-init-data')
    const r = spawnSync(process.execPath, [CLI, 'ca', 'init'], { cwd: scratch.dir, env: { ...process.env, ESIGN_DATA_DIR: fresh }, encoding: 'utf8', timeout: 60_000 })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    const { loadOrCreateLocalCa } = await import('../../../cloud-functions/adapters/local/local-ca-store')
    const { SqliteMetadataStore } = await import('../../../cloud-functions/adapters/local/sqlite-metadata-store')
    const { getCertificateRecord, serialHex } = await import('../../../cloud-functions/use-cases/pki/records')
    const { parseCertificate } = await import('../../../cloud-functions/core/pki/certificate-info')
    const { metadataFileIn } = await import('../../../cloud-functions/runtime/defaults')
    const clock = { now: () => new Date() }
    const ca = await loadOrCreateLocalCa(fresh, clock)
    expect(ca.created).toBe(false)
    const metadata = new SqliteMetadataStore({ file: metadataFileIn(fresh), clock })
    try {
      const kinds = []
      for (const der of [ca.rootCertificateDer, ca.issuingCertificateDer, ca.tsaCertificateDer, ca.ocspCertificateDer]) {
        kinds.push((await getCertificateRecord(metadata, serialHex(parseCertificate(der).serialNumber)))?.kind)
      }
      expect(kinds).toEqual(['root', 'ca', 'tsa', 'ocsp'])
    } finally {
      await metadata.close()
    }
  })
})
