import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildCrl } from '../../../cloud-functions/core/pki/build-crl'
import { buildOcspResponse, type CertificateStatus } from '../../../cloud-functions/core/pki/build-ocsp-response'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { AT_TIME, BASE_URL, counterSerials, hierarchy, NOW } from './support/fixtures'
import { openssl, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(60_000)

const DAY = 86_400_000

/** `openssl ocsp` checks thisUpdate/nextUpdate against the real clock (-attime does not apply): allow the gap to NOW as skew. */
const validityPeriod = (): string => String(Math.ceil(Math.abs(Date.now() - NOW.getTime()) / 1000) + 2 * 86_400)

/** CRLs and OCSP responses, judged by `openssl crl`, `openssl verify -crl_check` and `openssl ocsp`. */
describe('revocation: buildCrl and buildOcspResponse (openssl)', () => {
  let ca: CaHierarchy
  let revokedSerial: Uint8Array
  const scratch = scratchDir('revocation')
  const revokedAt = new Date(NOW.getTime() + 60_000)

  beforeAll(async () => {
    requireOpenssl()
    ca = await hierarchy({ keyTypes: { root: 'RSA-2048' } })
    for (const role of ['root', 'issuing', 'tsa', 'ocsp'] as const) scratch.write(`${role}.pem`, pem(ca[role].certificateDer))
    const serials = counterSerials()
    const good = await issueEventCertificate({ name: 'Good Signer', issuer: ca.issuing, baseUrl: BASE_URL, now: NOW, serialNumber: serials() })
    const revoked = await issueEventCertificate({ name: 'Revoked Signer', issuer: ca.issuing, baseUrl: BASE_URL, now: NOW, serialNumber: serials() })
    scratch.write('good.pem', pem(good.certificateDer))
    scratch.write('revoked.pem', pem(revoked.certificateDer))
    revokedSerial = parseCertificate(revoked.certificateDer).serialNumber

    const issuingCrl = await buildCrl({
      issuer: ca.issuing,
      thisUpdate: revokedAt,
      nextUpdate: new Date(revokedAt.getTime() + 7 * DAY),
      crlNumber: 42n,
      revoked: [{ serialNumber: revokedSerial, revocationDate: revokedAt, reason: 'keyCompromise' }],
    })
    scratch.write('issuing.crl', issuingCrl)
    scratch.write('issuing-crl.pem', pem(issuingCrl, 'X509 CRL'))
    // The root's CRL (RSA signature), empty: the issuing CA and the TSA are not revoked.
    const rootCrl = await buildCrl({ issuer: ca.root, thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 30 * DAY), crlNumber: 1n, revoked: [] })
    scratch.write('root-crl.pem', pem(rootCrl, 'X509 CRL'))
  })
  afterAll(() => scratch.cleanup())

  describe('buildCrl', () => {
    it('is a v2 CRL with the issuer, times, CRL number, AKI and the revoked entry with its reason (openssl crl -text)', () => {
      const r = openssl(['crl', '-in', 'issuing.crl', '-inform', 'DER', '-noout', '-text'], { cwd: scratch.dir })
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('Version 2 (0x1)')
      expect(r.stdout).toContain('Issuer: C = CN, O = Qianyue, CN = Qianyue Signing CA 1')
      expect(r.stdout).toContain('Last Update: Mar  1 08:01:00 2026 GMT')
      expect(r.stdout).toContain('Next Update: Mar  8 08:01:00 2026 GMT')
      expect(r.stdout).toMatch(/X509v3 CRL Number: \n\s+42/)
      expect(r.stdout).toContain('X509v3 Authority Key Identifier')
      expect(r.stdout).toContain(`Serial Number: ${Buffer.from(revokedSerial).toString('hex').toUpperCase()}`)
      expect(r.stdout).toMatch(/X509v3 CRL Reason Code: \n\s+Key Compromise/)
      expect(r.stdout).toContain('Signature Algorithm: ecdsa-with-SHA256')
    })

    it("verifies with the issuing CA's key (openssl crl -CAfile)", () => {
      const r = openssl(['crl', '-in', 'issuing-crl.pem', '-noout', '-CAfile', 'issuing.pem'], { cwd: scratch.dir })
      expect(r.output).toContain('verify OK')
      const wrong = openssl(['crl', '-in', 'issuing-crl.pem', '-noout', '-CAfile', 'root.pem'], { cwd: scratch.dir })
      expect(wrong.output).not.toContain('verify OK')
    })

    it('an empty CRL has no revoked list, and the root signs it with RSA', () => {
      const r = openssl(['crl', '-in', 'root-crl.pem', '-noout', '-text'], { cwd: scratch.dir })
      expect(r.stdout).toContain('No Revoked Certificates.')
      expect(r.stdout).toContain('sha256WithRSAEncryption')
      expect(openssl(['crl', '-in', 'root-crl.pem', '-noout', '-CAfile', 'root.pem'], { cwd: scratch.dir }).output).toContain('verify OK')
    })

    it('openssl verify -crl_check_all: the revoked certificate is refused, the good one accepted', () => {
      const args = (file: string) => ['verify', '-attime', String(Math.floor(revokedAt.getTime() / 1000) + 3600), '-crl_check_all', '-CRLfile', 'issuing-crl.pem', '-CRLfile', 'root-crl.pem', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', file]
      const good = openssl(args('good.pem'), { cwd: scratch.dir })
      expect(good.output).toContain('good.pem: OK')
      const revoked = openssl(args('revoked.pem'), { cwd: scratch.dir })
      expect(revoked.output).toContain('certificate revoked')
      expect(revoked.status).not.toBe(0)
    })
  })

  describe('buildOcspResponse', () => {
    const lookup = (serial: Uint8Array): CertificateStatus =>
      Buffer.from(serial).equals(Buffer.from(revokedSerial)) ? { status: 'revoked', revocationTime: revokedAt, reason: 'keyCompromise' } : { status: 'good' }

    async function answer(requestFile: string, responseFile: string): Promise<void> {
      const response = await buildOcspResponse({
        requestDer: readFileSync(join(scratch.dir, requestFile)),
        responder: { certificateDer: ca.ocsp.certificateDer, signer: ca.ocsp.signer },
        issuers: [ca.issuing.certificateDer],
        lookup,
        now: revokedAt,
      })
      scratch.write(responseFile, response)
    }

    it.each([['sha1'], ['sha256']])('answers `openssl ocsp` (%s CertIDs): good and revoked, signed by the delegated responder', async (digest) => {
      const made = openssl(['ocsp', `-${digest}`, '-issuer', 'issuing.pem', '-cert', 'good.pem', '-cert', 'revoked.pem', '-no_nonce', '-reqout', `${digest}.req`], { cwd: scratch.dir })
      expect(made.status).toBe(0)
      await answer(`${digest}.req`, `${digest}.resp`)
      const r = openssl(
        ['ocsp', '-respin', `${digest}.resp`, `-${digest}`, '-issuer', 'issuing.pem', '-cert', 'good.pem', '-cert', 'revoked.pem', '-no_nonce', '-CAfile', 'root.pem', '-verify_other', 'issuing.pem', '-attime', AT_TIME, '-validity_period', validityPeriod()],
        { cwd: scratch.dir },
      )
      expect(r.output).toContain('Response verify OK')
      expect(r.output).not.toContain('WARNING')
      expect(r.stdout).toMatch(/good\.pem: good/)
      expect(r.stdout).toMatch(/revoked\.pem: revoked\n(?:.*\n)*?\s+Reason: keyCompromise\n\s+Revocation Time: Mar {2}1 08:01:00 2026 GMT/)
      expect(r.stdout).toContain('Next Update: Mar  2 08:01:00 2026 GMT')
    })

    it('echoes the request nonce (openssl ocsp -reqin/-respin checks it)', async () => {
      openssl(['ocsp', '-issuer', 'issuing.pem', '-cert', 'good.pem', '-reqout', 'nonce.req'], { cwd: scratch.dir })
      await answer('nonce.req', 'nonce.resp')
      const r = openssl(['ocsp', '-reqin', 'nonce.req', '-respin', 'nonce.resp', '-CAfile', 'root.pem', '-verify_other', 'issuing.pem', '-attime', AT_TIME], { cwd: scratch.dir })
      expect(r.output).toContain('Response verify OK')
      expect(r.output).not.toContain('Nonce Verify error')
      const requestNonce = openssl(['ocsp', '-reqin', 'nonce.req', '-req_text'], { cwd: scratch.dir }).stdout.match(/OCSP Nonce: \n\s+([0-9A-F]+)/)?.[1]
      const responseText = openssl(['ocsp', '-respin', 'nonce.resp', '-resp_text', '-noverify'], { cwd: scratch.dir }).stdout
      expect(requestNonce).toBeDefined()
      expect(responseText).toContain(requestNonce!)
    })

    it("answers unknown for a certificate of an issuer it does not serve (the TSA's, issued by the root)", async () => {
      openssl(['ocsp', '-issuer', 'root.pem', '-cert', 'tsa.pem', '-no_nonce', '-reqout', 'other.req'], { cwd: scratch.dir })
      await answer('other.req', 'other.resp')
      const r = openssl(['ocsp', '-respin', 'other.resp', '-resp_text', '-noverify'], { cwd: scratch.dir })
      expect(r.stdout).toContain('Cert Status: unknown')
    })

    it('answers garbage with malformedRequest', async () => {
      scratch.write('garbage.req', new Uint8Array([0x30, 0x03, 0x02, 0x01]))
      await answer('garbage.req', 'garbage.resp')
      const r = openssl(['ocsp', '-respin', 'garbage.resp', '-resp_text', '-noverify'], { cwd: scratch.dir })
      expect(r.output).toContain('Responder Error: malformedrequest (1)')
    })

    it('a response with one altered byte in its signed data fails openssl verification', async () => {
      const response = readFileSync(join(scratch.dir, 'sha1.resp'))
      const tampered = Buffer.from(response)
      // Byte 40 lies inside tbsResponseData (the responder id).
      tampered[40] ^= 0x01
      scratch.write('tampered.resp', tampered)
      const r = openssl(['ocsp', '-respin', 'tampered.resp', '-sha1', '-issuer', 'issuing.pem', '-cert', 'good.pem', '-no_nonce', '-CAfile', 'root.pem', '-verify_other', 'issuing.pem', '-attime', AT_TIME], { cwd: scratch.dir })
      expect(r.output).not.toContain('Response verify OK')
    })
  })
})
