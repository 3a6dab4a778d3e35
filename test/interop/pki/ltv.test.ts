/**
 * The completion step (PAdES B-LTA): `esign ltv` and `addLtv` append a DSS (certificates, OCSP
 * responses, CRLs) and a document time-stamp. Judged by pdfsig (every earlier signature still
 * valid, the time-stamp covers the whole file), qpdf --check, openssl cms -verify (the signatures),
 * openssl ts -verify (the document time-stamp), openssl crl / ocsp (the DSS contents).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PdfDict, PdfRef, PdfStream } from '../../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../../cloud-functions/core/pdf/pdf-reader'
import { addLtv } from '../../../cloud-functions/core/signing/add-ltv'
import { maxCmsSize } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import { signPdf } from '../../../cloud-functions/core/signing/sign-pdf'
import { recordCertificate } from '../../../cloud-functions/use-cases/pki/records'
import { collectValidationData } from '../../../cloud-functions/use-cases/pki/collect-validation-data'
import { derPrefix, extractSignatures, opensslVerify, pdfsig, qpdfCheck, requireTools } from '../../support/pdf-tools'
import { makePdf } from '../../support/local-app'
import { startTestTrustServices, type TestTrustServices } from '../../support/test-platform-ca'
import { openssl, pem, scratchDir } from './support/openssl'

jest.setTimeout(180_000)

const ROOT = join(__dirname, '../../..')
const CLI = join(ROOT, 'bin/esign.js')
const FIXTURES = join(ROOT, 'test/fixtures/pdf')

/** The DSS arrays of a file, as DER blobs. */
function dss(bytes: Uint8Array): Record<'Certs' | 'OCSPs' | 'CRLs', Uint8Array[]> {
  const reader = PdfReader.open(bytes)
  const d = reader.dictAt(reader.catalog().get('DSS')) as PdfDict
  const list = (key: string): Uint8Array[] => {
    const refs = reader.resolve(d.get(key))
    return (Array.isArray(refs) ? refs : []).map((r) => {
      const s = reader.getObject(r as PdfRef) as PdfStream
      return s.raw()
    })
  }
  return { Certs: list('Certs'), OCSPs: list('OCSPs'), CRLs: list('CRLs') }
}

/** openssl ts -verify of a document time-stamp: the token against the ByteRange bytes. */
function verifyDocumentTimestamp(dir: string, file: string, tag: string): string {
  const sig = extractSignatures(readFileSync(file)).pop()!
  writeFileSync(join(dir, `${tag}.tst`), derPrefix(sig.cms))
  writeFileSync(join(dir, `${tag}.data`), sig.content)
  return openssl(['ts', '-verify', '-data', `${tag}.data`, '-in', `${tag}.tst`, '-token_in', '-CAfile', 'root.pem'], { cwd: dir }).output
}

describe('long-term validation (PAdES B-LTA)', () => {
  const scratch = scratchDir('ltv')
  beforeAll(() => requireTools('pdfsig', 'qpdf', 'openssl'))
  afterAll(() => scratch.cleanup())

  describe('esign ltv IN.pdf -o OUT.pdf', () => {
    const env = { ...process.env, ESIGN_DATA_DIR: join(scratch.dir, 'cli-data') }
    const esign = (args: string[]) => {
      const r = spawnSync('node', [CLI, ...args], { cwd: scratch.dir, env, encoding: 'utf8', timeout: 60_000 })
      return { status: r.status, stdout: r.stdout, stderr: r.stderr }
    }
    beforeAll(() => {
      const built = join(ROOT, 'build/cloud-functions/cli/ltv-command.js')
      const src = join(ROOT, 'cloud-functions/core/signing/add-ltv.ts')
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(src).mtimeMs) spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'ignore' })
      if (!existsSync(built)) throw new Error('build/ has no ltv-command.js: run "npx tsc -p tsconfig.server.json"')
    })

    it('adds a DSS and a document time-stamp to a twice-signed PDF: pdfsig keeps both signatures valid, openssl verifies the time-stamp', () => {
      expect(esign(['sign', join(FIXTURES, 'labor-libreoffice.pdf'), '-o', 'a.pdf', '--signer', '张三'])).toMatchObject({ status: 0 })
      expect(esign(['sign', 'a.pdf', '-o', 'b.pdf', '--signer', '李四', '--org', '上海示例信息技术有限公司'])).toMatchObject({ status: 0 })
      expect(esign(['ltv', 'b.pdf', '-o', 'c.pdf'])).toEqual({ status: 0, stdout: '', stderr: '' })
      writeFileSync(join(scratch.dir, 'root.pem'), esign(['ca', 'root']).stdout)

      const file = join(scratch.dir, 'c.pdf')
      const bytes = readFileSync(file)
      const b = readFileSync(join(scratch.dir, 'b.pdf'))
      expect(Buffer.compare(bytes.subarray(0, b.length), b)).toBe(0) // an incremental revision
      const { signatures, stdout } = pdfsig(file)
      expect(signatures.map((s) => s.fieldName)).toEqual(['Signature1', 'Signature2', 'DocumentTimeStamp1'])
      expect(signatures.slice(0, 2).map((s) => s.status)).toEqual(['Signature is Valid.', 'Signature is Valid.'])
      expect(signatures[2].totalDocumentSigned).toBe(true)
      expect(signatures[2].ranges[3]).toBe(bytes.length) // "[start - end]" ranges: up to the last byte
      expect(stdout).toContain('Qianyue Time Stamping Authority 1')
      expect(qpdfCheck(file).ok).toBe(true)
      extractSignatures(bytes)
        .slice(0, 2)
        .forEach((s, i) => expect(opensslVerify(scratch.dir, s, join(scratch.dir, 'root.pem'), `cli-${i}`).ok).toBe(true))
      expect(verifyDocumentTimestamp(scratch.dir, file, 'cli-doc')).toContain('Verification: OK')

      // The DSS: both signers, the CA certificates; the issuing and root CRLs, which verify.
      const store = dss(bytes)
      const names = store.Certs.map((c) => openssl(['x509', '-inform', 'DER', '-noout', '-subject', '-nameopt', 'oneline,-esc_msb'], { input: c }).stdout)
      for (const cn of ['张三', '李四', 'Qianyue Root CA', 'Qianyue Signing CA 1', 'Qianyue Time Stamping Authority 1']) {
        expect(names.some((n) => n.includes(cn))).toBe(true)
      }
      expect(store.CRLs).toHaveLength(2)
      scratch.write('issuing.pem', pem(store.Certs.find((_, i) => names[i].includes('Signing CA 1'))!))
      scratch.write('dss-issuing.crl', store.CRLs[0])
      expect(openssl(['crl', '-inform', 'DER', '-in', 'dss-issuing.crl', '-noout', '-CAfile', 'issuing.pem'], { cwd: scratch.dir }).output).toContain('verify OK')
    })

    it('adds a second document time-stamp later (archive renewal): every earlier signature and time-stamp stays valid', () => {
      expect(esign(['ltv', 'c.pdf', '-o', 'd.pdf'])).toMatchObject({ status: 0 })
      const file = join(scratch.dir, 'd.pdf')
      const { signatures } = pdfsig(file)
      expect(signatures.map((s) => s.fieldName)).toEqual(['Signature1', 'Signature2', 'DocumentTimeStamp1', 'DocumentTimeStamp2'])
      expect(signatures.slice(0, 2).every((s) => s.valid)).toBe(true)
      expect(qpdfCheck(file).ok).toBe(true)
      expect(verifyDocumentTimestamp(scratch.dir, file, 'cli-doc2')).toContain('Verification: OK')
      // The first time-stamp still verifies over its own range.
      const first = extractSignatures(readFileSync(file))[2]
      writeFileSync(join(scratch.dir, 'first.tst'), derPrefix(first.cms))
      writeFileSync(join(scratch.dir, 'first.data'), first.content)
      expect(openssl(['ts', '-verify', '-data', 'first.data', '-in', 'first.tst', '-token_in', '-CAfile', 'root.pem'], { cwd: scratch.dir }).output).toContain('Verification: OK')
    })

    it('refuses an unsigned PDF, garbage and bad usage with exit 2 and one line, writing nothing', async () => {
      scratch.write('unsigned.pdf', await makePdf('unsigned'))
      scratch.write('garbage.pdf', 'not a pdf at all')
      for (const [args, message] of [
        [['ltv', 'unsigned.pdf', '-o', 'x.pdf'], /no signatures/],
        [['ltv', 'garbage.pdf', '-o', 'x.pdf'], /garbage\.pdf/],
        [['ltv', 'missing.pdf', '-o', 'x.pdf'], /cannot read missing\.pdf/],
        [['ltv', 'b.pdf'], /usage: esign ltv IN\.pdf -o OUT\.pdf/],
        [['ltv', 'b.pdf', '-o', 'x.pdf', '--bogus'], /unknown option --bogus/],
      ] as [string[], RegExp][]) {
        const r = esign(args)
        expect(r.status).toBe(2)
        expect(r.stderr.trim().split('\n')).toHaveLength(1)
        expect(r.stderr).toMatch(message)
        expect(existsSync(join(scratch.dir, 'x.pdf'))).toBe(false)
      }
    })
  })

  describe('addLtv with the platform trust services (engine operation)', () => {
    let t: TestTrustServices
    beforeAll(async () => (t = await startTestTrustServices(new Date())))
    afterAll(() => t.close())

    it('embeds a good OCSP response for a recorded signer certificate, which openssl ocsp accepts', async () => {
      const pdf = await makePdf('contract')
      const { issueEventCertificate } = await import('../../../cloud-functions/core/pki/issue-event-certificate')
      const event = await issueEventCertificate({ name: '王五', issuer: t.ca.issuing, baseUrl: t.ca.baseUrl, now: t.clock.now() })
      await recordCertificate(t.metadata, { certificateDer: event.certificateDer, kind: 'event', issuer: 'issuing', issuedAt: t.clock.now() })
      const chain = await event.signer.certificateChain()
      const tsaBytes = t.ca.tsaCertificateDer.length
      const signed = (await signPdf(pdf, { signer: event.signer, tsa: t.ca.tsa, contentsSize: maxCmsSize(chain, true, tsaBytes), signingTime: t.clock.now() })).toBytes()
      const sealed = await addLtv(signed, { validationData: (certs) => collectValidationData(t.deps, certs), timestampDigest: (d) => t.ca.tsa.timestampDigest(d) })
      const file = scratch.write('engine.pdf', sealed.toBytes())
      scratch.write('root.pem', pem(t.ca.rootCertificateDer))
      scratch.write('engine-issuing.pem', pem(t.ca.issuingCertificateDer))
      scratch.write('engine-signer.pem', pem(event.certificateDer))

      const { signatures } = pdfsig(file)
      expect(signatures[0].valid).toBe(true)
      expect(signatures[1]).toMatchObject({ fieldName: 'DocumentTimeStamp1', totalDocumentSigned: true })
      expect(verifyDocumentTimestamp(scratch.dir, file, 'engine-doc')).toContain('Verification: OK')
      const store = dss(sealed.toBytes())
      expect(store.OCSPs).toHaveLength(1)
      scratch.write('engine.ocsp', store.OCSPs[0])
      const r = openssl(['ocsp', '-respin', 'engine.ocsp', '-no_nonce', '-issuer', 'engine-issuing.pem', '-cert', 'engine-signer.pem', '-CAfile', 'root.pem'], { cwd: scratch.dir })
      expect(r.output).toContain('Response verify OK')
      expect(r.stdout).toContain('engine-signer.pem: good')
    })
  })
})
