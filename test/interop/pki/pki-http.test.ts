/**
 * The trust services over real HTTP on the local server (`startTestApp`), judged by real clients:
 * `openssl ts -query | POST /api/pki/tsa | openssl ts -verify -CAfile root`, `openssl ocsp -url`
 * (good → revoked after revocation; unknown serial → unknown), the GET form of OCSP, and
 * `openssl crl` on the downloaded CRL. Bad input answers with protocol errors and stores nothing.
 */
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { getPkiServices, type PkiServices } from '../../../cloud-functions/runtime/services'
import { revokeCertificate } from '../../../cloud-functions/use-cases/pki/revoke-certificate'
import { startTestApp, type TestApp } from '../../support/local-app'
import { openssl, opensslAsync, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(120_000)

describe('trust services over HTTP (openssl against the local server)', () => {
  let app: TestApp
  let pki: PkiServices
  const scratch = scratchDir('pki-http')
  let signerSerial: string

  /** Every metadata item and object, to prove bad input stores nothing. */
  const snapshot = async (): Promise<string> => {
    const db = new Database(join(app.dataDir, 'metadata.sqlite'), { readonly: true })
    try {
      const rows = db.prepare('select * from items order by pk, sk').all()
      expect(rows.length).toBeGreaterThan(4) // the CA's certificates at least: a real snapshot
      return JSON.stringify(rows) + JSON.stringify(await app.deps.objects.list(''))
    } finally {
      db.close()
    }
  }

  beforeAll(async () => {
    requireOpenssl()
    app = await startTestApp()
    pki = await getPkiServices(app.deps)
    for (const name of ['root', 'issuing', 'tsa']) {
      const res = await fetch(`${app.url}/api/pki/certs/${name}.cer`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/pkix-cert')
      scratch.write(`${name}.pem`, pem(new Uint8Array(await res.arrayBuffer())))
    }
    const signer = await pki.issueEventCertificate({ name: '张三', contractId: 'c_http', intentHash: createHash('sha256').update('intent').digest() })
    scratch.write('signer.pem', pem(signer.certificateDer))
    signerSerial = Buffer.from(parseCertificate(signer.certificateDer).serialNumber).toString('hex').toUpperCase()
    // Issued by the same CA but never recorded: the registry does not know it.
    const stranger = await issueEventCertificate({ name: '李四', issuer: pki.ca.issuing, baseUrl: pki.ca.baseUrl, now: new Date() })
    scratch.write('stranger.pem', pem(stranger.certificateDer))
  })
  afterAll(async () => {
    await app?.stop()
    scratch.cleanup()
  })

  const post = (path: string, body: Uint8Array, contentType: string) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body })

  it('puts URLs in certificates that are exactly the routes of this server', () => {
    const text = openssl(['x509', '-in', 'signer.pem', '-noout', '-text'], { cwd: scratch.dir }).stdout
    expect(text).toContain(`URI:${app.url}/api/pki/crl/issuing.crl`)
    expect(text).toContain(`OCSP - URI:${app.url}/api/pki/ocsp`)
    expect(text).toContain(`CA Issuers - URI:${app.url}/api/pki/certs/issuing.cer`)
    expect(openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'signer.pem'], { cwd: scratch.dir }).stdout).toContain('signer.pem: OK')
  })

  describe('POST /api/pki/tsa', () => {
    it('answers `openssl ts -query -sha256 -cert` with a token that `openssl ts -verify -CAfile root.pem` accepts', async () => {
      scratch.write('data.bin', 'contract bytes')
      expect(openssl(['ts', '-query', '-data', 'data.bin', '-sha256', '-cert', '-out', 'q.tsq'], { cwd: scratch.dir }).status).toBe(0)
      const res = await post('/api/pki/tsa', readFileSync(join(scratch.dir, 'q.tsq')), 'application/timestamp-query')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/timestamp-reply')
      scratch.write('r.tsr', new Uint8Array(await res.arrayBuffer()))
      const verified = openssl(['ts', '-verify', '-queryfile', 'q.tsq', '-in', 'r.tsr', '-CAfile', 'root.pem'], { cwd: scratch.dir })
      expect(verified.output).toContain('Verification: OK')
      const text = openssl(['ts', '-reply', '-in', 'r.tsr', '-text'], { cwd: scratch.dir }).stdout
      expect(text).toContain('Status: Granted.')
      expect(text).toMatch(/Nonce: 0x[0-9A-F]+/)
    })

    it('is the same service the signing engine uses in process (same TSA certificate, same policy)', async () => {
      const token = await pki.ca.tsa.timestamp(new TextEncoder().encode('signature value'))
      scratch.write('inproc.tst', token)
      const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'inproc.tst'], { cwd: scratch.dir }).stdout
      expect(printed).toContain('Qianyue Time Stamping Authority 1')
      expect(pki.ca.tsa).toBe((await getPkiServices(app.deps)).ca.tsa)
    })

    it('answers a malformed query with HTTP 200 and a rejection (badDataFormat), an unsupported hash with badAlg, and stores nothing', async () => {
      const before = await snapshot()
      const garbage = await post('/api/pki/tsa', new TextEncoder().encode('this is not DER'), 'application/timestamp-query')
      expect(garbage.status).toBe(200)
      expect(garbage.headers.get('content-type')).toBe('application/timestamp-reply')
      scratch.write('bad.tsr', new Uint8Array(await garbage.arrayBuffer()))
      const badText = openssl(['ts', '-reply', '-in', 'bad.tsr', '-text'], { cwd: scratch.dir }).stdout
      expect(badText).toContain('Status: Rejected.')
      expect(badText).toContain('Failure info: the data submitted has the wrong format')

      expect(openssl(['ts', '-query', '-data', 'data.bin', '-sha1', '-out', 'sha1.tsq'], { cwd: scratch.dir }).status).toBe(0)
      const sha1 = await post('/api/pki/tsa', readFileSync(join(scratch.dir, 'sha1.tsq')), 'application/timestamp-query')
      expect(sha1.status).toBe(200)
      scratch.write('sha1.tsr', new Uint8Array(await sha1.arrayBuffer()))
      const algText = openssl(['ts', '-reply', '-in', 'sha1.tsr', '-text'], { cwd: scratch.dir }).stdout
      expect(algText).toContain('Status: Rejected.')
      expect(algText).toContain('unrecognized or unsupported algorithm identifier')

      const empty = await post('/api/pki/tsa', new Uint8Array(0), 'application/timestamp-query')
      expect(empty.status).toBe(200)
      expect(await snapshot()).toBe(before)
    })
  })

  describe('OCSP', () => {
    const ocspUrl = () => `${app.url}/api/pki/ocsp`
    const ask = (cert: string) =>
      opensslAsync(['ocsp', '-issuer', 'issuing.pem', '-cert', cert, '-url', ocspUrl(), '-CAfile', 'root.pem', '-resp_text'], { cwd: scratch.dir })

    it('`openssl ocsp -url` reports good for a certificate the CA issued and recorded; the response verifies', async () => {
      const r = await ask('signer.pem')
      expect(r.output).toContain('Response verify OK')
      expect(r.stdout).toContain('signer.pem: good')
      expect(r.stdout).toContain('Responder Id:')
      expect(r.stdout).toContain('OCSP Nonce')
    })

    it('reports unknown for a serial the CA never recorded', async () => {
      const r = await ask('stranger.pem')
      expect(r.output).toContain('Response verify OK')
      expect(r.stdout).toContain('stranger.pem: unknown')
    })

    it('answers garbage with malformedRequest (HTTP 200, application/ocsp-response) and stores nothing', async () => {
      const before = await snapshot()
      const res = await post('/api/pki/ocsp', new TextEncoder().encode('garbage'), 'application/ocsp-request')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/ocsp-response')
      scratch.write('malformed.der', new Uint8Array(await res.arrayBuffer()))
      const text = openssl(['ocsp', '-respin', 'malformed.der', '-resp_text', '-noverify'], { cwd: scratch.dir }).output
      expect(text).toMatch(/malformedrequest/i)
      // GET with base64 of something that is not an OCSPRequest: malformedRequest (OCSPResponse { status 1 }).
      const badGet = await fetch(`${ocspUrl()}/${encodeURIComponent(Buffer.from('not an OCSP request').toString('base64'))}`)
      expect(badGet.status).toBe(200)
      expect(Buffer.from(await badGet.arrayBuffer())).toEqual(Buffer.from('30030a0101', 'hex'))
      // A path that is not even percent-encoding: the router's 400, not a crash.
      const badPath = await fetch(`${ocspUrl()}/%E0%A4%A`)
      expect(badPath.status).toBe(400)
      expect(await badPath.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } })
      expect(await snapshot()).toBe(before)
    })

    it('answers the GET form (RFC 6960 appendix A: base64 of the DER request, URL-encoded, in the path)', async () => {
      expect(openssl(['ocsp', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-reqout', 'req.der', '-no_nonce'], { cwd: scratch.dir }).status).toBe(0)
      const b64 = readFileSync(join(scratch.dir, 'req.der')).toString('base64')
      const res = await fetch(`${ocspUrl()}/${encodeURIComponent(b64)}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/ocsp-response')
      scratch.write('get.der', new Uint8Array(await res.arrayBuffer()))
      const r = openssl(['ocsp', '-respin', 'get.der', '-issuer', 'issuing.pem', '-cert', 'signer.pem', '-CAfile', 'root.pem', '-no_nonce'], { cwd: scratch.dir })
      expect(r.output).toContain('Response verify OK')
      expect(r.stdout).toContain('signer.pem: good')
    })

    it('reports revoked (with the reason) after the certificate is revoked, and the downloaded CRL lists it and verifies against the issuing CA', async () => {
      const crlBefore = await fetch(`${app.url}/api/pki/crl/issuing.crl`)
      expect(crlBefore.status).toBe(200)
      scratch.write('before.crl', new Uint8Array(await crlBefore.arrayBuffer()))
      expect(openssl(['crl', '-inform', 'DER', '-in', 'before.crl', '-noout', '-text'], { cwd: scratch.dir }).stdout).not.toContain(signerSerial)

      const revoked = await revokeCertificate({ ...app.deps, ca: pki.ca }, { serialNumber: signerSerial, reason: 'keyCompromise' })
      expect(revoked).toMatchObject({ ok: true, value: { changed: true, record: { status: 'revoked', revocationReason: 'keyCompromise' } } })

      const r = await ask('signer.pem')
      expect(r.output).toContain('Response verify OK')
      expect(r.stdout).toContain('signer.pem: revoked')
      expect(r.stdout).toContain('Reason: keyCompromise')

      const res = await fetch(`${app.url}/api/pki/crl/issuing.crl`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/pkix-crl')
      scratch.write('issuing.crl', new Uint8Array(await res.arrayBuffer()))
      const text = openssl(['crl', '-inform', 'DER', '-in', 'issuing.crl', '-noout', '-text'], { cwd: scratch.dir }).stdout
      expect(text).toContain(`Serial Number: ${signerSerial}`)
      expect(text).toMatch(/X509v3 CRL Reason Code: \n\s+Key Compromise/)
      expect(text).toMatch(/X509v3 CRL Number: \n\s+2/)
      expect(openssl(['crl', '-inform', 'DER', '-in', 'issuing.crl', '-noout', '-CAfile', 'issuing.pem'], { cwd: scratch.dir }).output).toContain('verify OK')
      // openssl verify with CRL checking now refuses the signer's certificate.
      scratch.write('issuing-crl.pem', pem(new Uint8Array(readFileSync(join(scratch.dir, 'issuing.crl'))), 'X509 CRL'))
      const v = openssl(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', '-CRLfile', 'issuing-crl.pem', 'signer.pem'], { cwd: scratch.dir })
      expect(v.output).toContain('certificate revoked')
    })
  })

  it('serves the root CRL (signed by the root) and refuses unknown certificate names', async () => {
    const res = await fetch(`${app.url}/api/pki/crl/root.crl`)
    expect(res.status).toBe(200)
    scratch.write('root.crl', new Uint8Array(await res.arrayBuffer()))
    const out = openssl(['crl', '-inform', 'DER', '-in', 'root.crl', '-noout', '-CAfile', 'root.pem', '-text'], { cwd: scratch.dir }).output
    expect(out).toContain('verify OK')
    expect(out).toContain('No Revoked Certificates.')
    const missing = await fetch(`${app.url}/api/pki/certs/../../etc.cer`)
    expect(missing.status).toBe(404)
    const unknown = await fetch(`${app.url}/api/pki/certs/master.key`)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })
})
