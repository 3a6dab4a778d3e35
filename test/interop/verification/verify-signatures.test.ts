/**
 * esign verify's core against signed PDFs from our engine, openssl-made CMS (RSA-PSS, ECDSA P-384,
 * SHA-384/512, adbe.pkcs7.sha1), RFC 3161 document time-stamps, pdfsig/NSS and @signpdf/signpdf,
 * with DSS revocation data, DocMDP and FieldMDP. Every file is also judged by pdfsig: where pdfsig
 * can verify a signature, it agrees on intact/invalid; where the document was changed after signing,
 * pdfsig still says "Signature is Valid." and the verifier says what changed.
 */
import { execFileSync } from 'node:child_process'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { PdfDict, PdfName, PdfRef, PdfString, dict } from '../../../cloud-functions/core/pdf/pdf-objects'
import { buildCrl } from '../../../cloud-functions/core/pki/build-crl'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import { signerProfile } from '../../../cloud-functions/core/pki/certificate-profile'
import { issueCertificate } from '../../../cloud-functions/core/pki/issue-certificate'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { encodeDer, type Asn1 } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { createNodeCryptoSigner } from '../../../cloud-functions/core/pki/node-crypto-signer'
import { randomSerialNumber } from '../../../cloud-functions/core/pki/serial-number'
import { decodeBer, encoding } from '../../../cloud-functions/core/verification/ber'
import { buildOcspResponse, type CertificateStatus } from '../../../cloud-functions/core/pki/build-ocsp-response'
import { prepareDocument } from '../../../cloud-functions/core/signing/prepare-document'
import { verifyPdf } from '../../../cloud-functions/core/verification/verify-pdf'
import { ocspRequest } from '../../../cloud-functions/adapters/ocsp/http-ocsp-revocation-source'
import type { VerificationReport } from '../../../cloud-functions/api/verification.types'
import { makePdf } from '../../support/local-app'
import { BASE_URL, createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { extractSignatures, opensslVerify, requireTools, run, tempDir } from '../../support/pdf-tools'
import { addCustomSignature, addStream, appendRevision, documentTimestamp, engineCms, expectAgreesWithPdfsig, issueKey, opensslCms } from '../../support/pdf-verify-kit'

jest.setTimeout(120_000)

const FIXTURES = join(__dirname, '../../fixtures/pdf')
let pki: PdfTestPki
let dir: string
let roots: Uint8Array[]

beforeAll(async () => {
  requireTools('pdfsig', 'openssl', 'certutil', 'pk12util')
  pki = await createPdfTestPki()
  roots = [pki.ca.root.certificateDer]
  dir = tempDir('qianyue-verify-')
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function verify(bytes: Uint8Array, o: { trust?: Uint8Array[]; now?: Date; revocation?: Parameters<typeof verifyPdf>[1]['revocation'] } = {}): Promise<VerificationReport> {
  const r = await verifyPdf(bytes, { trustRoots: o.trust ?? roots, now: o.now ?? new Date(), revocation: o.revocation })
  if (!r.ok) throw new Error(`not readable: ${r.error.message}`)
  return r.value
}

/** Writes the file, verifies it, and checks agreement with pdfsig. */
async function judge(name: string, bytes: Uint8Array, o: Parameters<typeof verify>[1] = {}): Promise<{ report: VerificationReport; pdfsig: ReturnType<typeof expectAgreesWithPdfsig> }> {
  const file = join(dir, `${name}.pdf`)
  writeFileSync(file, bytes)
  const report = await verify(bytes, o)
  return { report, pdfsig: expectAgreesWithPdfsig(file, report) }
}

describe('our own signed PDFs', () => {
  it('two signatures (B-T): intact, valid, trusted, time-stamped; the first allows the second', async () => {
    const pdf = await makePdf('Sales contract', 2)
    const s1 = await signAs(pki, pdf, '张三', { placement: { page: 0 } })
    const s2 = await signAs(pki, s1, '李四')
    const { report, pdfsig: ps } = await judge('two', s2)
    expect(ps.map((s) => s.status)).toEqual(['Signature is Valid.', 'Signature is Valid.'])
    expect(report.valid).toBe(true)
    expect(report.signatures.map((s) => [s.field, s.signer, s.intact, s.valid, s.trusted, s.modification, s.coversWholeDocument])).toEqual([
      ['Signature1', '张三', true, true, true, 'allowed', false],
      ['Signature2', '李四', true, true, true, 'none', true],
    ])
    for (const s of report.signatures) {
      expect(s.timestamp?.time).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(s.timeProven).toBe(true)
      expect(s.subFilter).toBe('ETSI.CAdES.detached')
      expect(s.chain.map((c) => c.commonName)).toEqual([s.signer, 'Qianyue Test Signing CA 1', 'Qianyue Test Root CA'])
    }
    expect(report.signatures[0].changes).toEqual([{ revision: 3, level: 'allowed', kind: 'signature-added', detail: 'signature added in new field "Signature2"' }])
    // Without the root: intact and valid, but the signers cannot be identified (indeterminate, not valid).
    const untrusted = await verify(s2, { trust: [] })
    expect(untrusted).toMatchObject({ verdict: 'indeterminate', valid: false })
    expect(untrusted.signatures.every((s) => s.intact && s.valid && !s.trusted)).toBe(true)
  })

  it('one flipped byte in the first revision: both signatures not intact (pdfsig: Digest Mismatch)', async () => {
    const pdf = await makePdf('Sales contract')
    const signed = await signAs(pki, await signAs(pki, pdf, '张三'), '李四')
    const bad = Buffer.from(signed)
    bad[200] ^= 0x01
    const { report, pdfsig: ps } = await judge('flipped', bad)
    expect(ps.map((s) => s.status)).toEqual(['Digest Mismatch.', 'Digest Mismatch.'])
    expect(report.valid).toBe(false)
    expect(report.signatures.map((s) => [s.intact, s.valid, s.trusted])).toEqual([[false, false, false], [false, false, false]])
    expect(report.signatures[0].problems.map((p) => p.code)).toContain('DIGEST_MISMATCH')
  })

  it('a well-formed revision that rewrites the page: pdfsig says valid, the verifier says disallowed', async () => {
    const pdf = await makePdf('sells Bob one PDF signer')
    const signed = await signAs(pki, pdf, '张三')
    const evil = appendRevision(signed, (reader, writer) => {
      const page = reader.pageRef(0)
      const pd = (reader.dictAt(page) as PdfDict).clone()
      pd.set('Contents', addStream(writer, 'BT /F1 14 Tf 50 780 Td (sells Bob NOTHING) Tj ET'))
      writer.set(page, pd)
    })
    const { report, pdfsig: ps } = await judge('rewritten', evil)
    expect(ps.map((s) => s.status)).toEqual(['Signature is Valid.'])
    expect(report.valid).toBe(false)
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: true, modification: 'disallowed', coversWholeDocument: false })
    expect(report.signatures[0].changes).toContainEqual({ revision: 3, level: 'disallowed', kind: 'page-content-changed', detail: 'page 1: /Contents changed' })
  })

  it('benign revisions: prepared fields filled and signed in turn, a plain form-fill revision', async () => {
    const original = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    const { bytes: prepared } = await prepareDocument(original, {
      signers: [{ fieldName: '甲方', page: 0, rect: [60, 60, 150, 90] }, { fieldName: '乙方', page: 0, rect: [300, 60, 150, 90] }],
      fields: [{ name: '金额', type: 'text', page: 0, rect: [60, 200, 120, 20] }, { name: '备注', type: 'text', page: 0, rect: [60, 240, 120, 20] }],
    })
    const s1 = await signAs(pki, prepared, '张三', { fieldName: '甲方', placement: { page: 0 }, appearance: { fieldValues: { 金额: '100 元' } } })
    const s2 = await signAs(pki, s1, '李四', { fieldName: '乙方', placement: { page: 0 } })
    // A revision that only fills the still-empty field.
    const filled = appendRevision(s2, (reader, writer) => {
      const form = reader.dictAt(reader.catalog().get('AcroForm')) as PdfDict
      for (const f of reader.resolve(form.get('Fields')) as PdfRef[]) {
        const d = reader.dictAt(f) as PdfDict
        if ((d.get('T') as PdfString).toText() === '备注') writer.set(f, d.clone().set('V', PdfString.text('按期付款')))
      }
    })
    const { report, pdfsig: ps } = await judge('benign', filled)
    expect(ps.every((s) => s.valid)).toBe(true)
    expect(report.valid).toBe(true)
    expect(report.signatures.map((s) => [s.field, s.modification])).toEqual([
      ['甲方', 'allowed'],
      ['乙方', 'allowed'],
    ])
    expect(report.signatures[0].changes.map((c) => c.kind)).toEqual(['signature-added', 'form-filled'])
    expect(report.signatures[1].changes).toEqual([{ revision: 4, level: 'allowed', kind: 'form-filled', detail: 'field "备注" filled in "按期付款"' }])
  })

  it('a DSS (certificates, OCSP, CRL, VRI) and a document time-stamp: revocation from the DSS, LTA changes allowed', async () => {
    const pdf = await makePdf('Lease')
    const { signer, certificateDer } = await pki.issue('王五')
    const signed = await addCustomSignature(pdf, { cms: engineCms(signer, pki.tsa), fieldName: 'lessee' })
    const withDss = await addDss(signed, certificateDer, { status: 'good' })
    const withDts = await addCustomSignature(withDss, { cms: documentTimestamp(pki.tsa), fieldName: 'archive', subFilter: 'ETSI.RFC3161', type: 'DocTimeStamp' })
    const { report } = await judge('dss-dts', withDts)
    expect(report.valid).toBe(true)
    const [sig, dts] = report.signatures
    expect(sig).toMatchObject({ field: 'lessee', signer: '王五', intact: true, valid: true, trusted: true, modification: 'allowed', revocation: { status: 'good', source: 'dss' } })
    expect(sig.changes.map((c) => c.kind)).toEqual(['dss-updated', 'document-timestamp-added'])
    expect(dts).toMatchObject({ field: 'archive', kind: 'document-timestamp', subFilter: 'ETSI.RFC3161', signer: 'Qianyue Test Time Stamping Authority 1', intact: true, valid: true, trusted: true, modification: 'none', coversWholeDocument: true })
    expect(dts.timestamp?.time).toBeTruthy()
    // A later document time-stamp also proves the time of a signature without its own time-stamp.
    const bb = await addCustomSignature(pdf, { cms: engineCms(signer), fieldName: 'b-b' })
    const lta = await addCustomSignature(bb, { cms: documentTimestamp(pki.tsa), fieldName: 'dts', subFilter: 'ETSI.RFC3161', type: 'DocTimeStamp' })
    const r2 = await verify(lta)
    expect(r2.signatures[0]).toMatchObject({ timestamp: null, timeProven: true, trusted: true })
  })

  it('revocation: revoked before signing is not trusted; revoked after the proven signing time still is; online OCSP is asked when the document has none', async () => {
    const pdf = await makePdf('Loan')
    const { signer, certificateDer } = await pki.issue('赵六')
    const signed = await addCustomSignature(pdf, { cms: engineCms(signer, pki.tsa), fieldName: 'borrower' })
    const before = await addDss(signed, certificateDer, { status: 'revoked', revocationTime: new Date(Date.now() - 3600_000), reason: 'keyCompromise' })
    const r1 = await verify(before)
    expect(r1.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: false, revocation: { status: 'revoked', source: 'dss' } })
    expect(r1.signatures[0].problems.map((p) => p.code)).toContain('REVOKED')
    expect(r1).toMatchObject({ verdict: 'invalid', valid: false }) // revoked before the validation time
    const after = await addDss(signed, certificateDer, { status: 'revoked', revocationTime: new Date(Date.now() + 3600_000) })
    const r2 = await verify(after, { now: new Date(Date.now() + 7200_000) })
    expect(r2.signatures[0]).toMatchObject({ trusted: true, revocation: { status: 'good' } })
    // No revocation data in the file: the platform OCSP (a RevocationSource) answers.
    const asked: string[] = []
    const online = {
      ocsp: async (cert: Uint8Array, issuer: Uint8Array) => {
        asked.push(createHash('sha256').update(cert).digest('hex'))
        return ocspFor(cert, issuer, { status: 'revoked', revocationTime: new Date(Date.now() - 60_000) })
      },
    }
    const r3 = await verify(signed, { revocation: online })
    expect(r3.signatures[0]).toMatchObject({ trusted: false, revocation: { status: 'revoked', source: 'online' } })
    expect(asked).toContain(createHash('sha256').update(certificateDer).digest('hex'))
  })

  it('revocation data inside the CMS (RevocationInfoChoices): a CRL naming the signer, an OCSP response (RFC 5940)', async () => {
    const pdf = await makePdf('CMS revocation')
    const { signer, certificateDer } = await pki.issue('钱七')
    const now = new Date()
    const issuingCrl = await buildCrl({
      issuer: pki.ca.issuing,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 86400_000),
      crlNumber: 3n,
      revoked: [{ serialNumber: parseCertificate(certificateDer).serialNumber, revocationDate: new Date(now.getTime() - 60_000), reason: 'keyCompromise' }],
    })
    const viaCrl = await addCustomSignature(pdf, { fieldName: 'crl', cms: async (bytes) => withRevocationInfo(await engineCms(signer, pki.tsa)(bytes), [issuingCrl], []) })
    const { report } = await judge('cms-crl', viaCrl)
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: false, revocation: { status: 'revoked', source: 'cms' } })
    // NSS (pdfsig) cannot decode the RFC 5940 "other" revocation format; openssl can, and so can the verifier.
    const revokedOcsp = await ocspFor(certificateDer, pki.ca.issuing.certificateDer, { status: 'revoked', revocationTime: new Date(Date.now() - 60_000) })
    const viaOcsp = await addCustomSignature(pdf, { fieldName: 'ocsp', cms: async (bytes) => withRevocationInfo(await engineCms(signer, pki.tsa)(bytes), [], [revokedOcsp]) })
    const r2 = await verify(viaOcsp)
    expect(r2.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: false, revocation: { status: 'revoked', source: 'cms' } })
    const [sig] = extractSignatures(viaOcsp)
    expect(opensslVerify(dir, sig, pki.writeRoot(dir), 'cms-ocsp').ok).toBe(true)
  })

  it('certificate validity at the proven time: an expired certificate is trusted with a time-stamp from its validity, not without', async () => {
    const pdf = await makePdf('Short-lived certificate')
    const { signer } = await issueEventCertificate({ name: '短期证书', issuer: pki.ca.issuing, baseUrl: BASE_URL, now: new Date(), validityMs: 60_000, singleUse: false })
    const later = new Date(Date.now() + 3600_000)
    const bt = await verify(await addCustomSignature(pdf, { cms: engineCms(signer, pki.tsa), fieldName: 'bt' }), { now: later })
    expect(bt.signatures[0]).toMatchObject({ trusted: true, timeProven: true })
    const bb = await verify(await addCustomSignature(pdf, { cms: engineCms(signer), fieldName: 'bb' }), { now: later })
    expect(bb.signatures[0]).toMatchObject({ valid: true, trusted: false, timeProven: false })
    expect(bb.signatures[0].problems.map((p) => p.code)).toContain('CERTIFICATE_EXPIRED')
  })

  it('basicConstraints and keyUsage: a certificate issued by an end-entity certificate is not trusted', async () => {
    const leaf = await pki.issue('普通用户')
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const rogueDer = await issueCertificate({
      template: signerProfile({ name: '冒充者', now: new Date(), baseUrl: BASE_URL }),
      subjectPublicKeyInfo: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
      serialNumber: randomSerialNumber(),
      issuer: { certificateDer: leaf.certificateDer, signer: leaf.signer },
    })
    const rogue = createNodeCryptoSigner(privateKey, [rogueDer, leaf.certificateDer, pki.ca.issuing.certificateDer])
    const { report } = await judge('rogue-ca', await addCustomSignature(await makePdf('Rogue'), { cms: engineCms(rogue), fieldName: 'rogue' }))
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: false })
    expect(report.signatures[0].problems.map((p) => p.code)).toEqual(expect.arrayContaining(['CHAIN_INVALID', 'KEY_USAGE']))
  })

  it('RSA-PSS, ECDSA P-384 with SHA-384, RSA with SHA-512, adbe.pkcs7.sha1 (flagged weak) and a CMS without signed attributes, made by openssl', async () => {
    const base = await signAs(pki, await makePdf('Algorithms'), '张三')
    const rsa = await issueKey(pki, 'RSA Signer', 'rsa-2048')
    const p384 = await issueKey(pki, 'P384 Signer', 'p-384')
    const cases = [
      { name: 'pss', o: { cms: opensslCms(rsa, { md: 'sha256', pss: true, cades: true }), subFilter: 'ETSI.CAdES.detached' }, alg: 'RSASSA-PSS with SHA-256', digest: 'SHA-256', weak: false },
      { name: 'p384', o: { cms: opensslCms(p384, { md: 'sha384', cades: true }), subFilter: 'ETSI.CAdES.detached' }, alg: 'ECDSA with SHA-384', digest: 'SHA-384', weak: false },
      { name: 'rsa512', o: { cms: opensslCms(rsa, { md: 'sha512' }), subFilter: 'adbe.pkcs7.detached' }, alg: 'RSA PKCS#1 v1.5 with SHA-512', digest: 'SHA-512', weak: false },
      { name: 'sha1', o: { cms: opensslCms(rsa, { md: 'sha1', encapsulateSha1: true }), subFilter: 'adbe.pkcs7.sha1' }, alg: 'RSA PKCS#1 v1.5 with SHA-1', digest: 'SHA-1', weak: true },
      { name: 'noattr', o: { cms: opensslCms(p384, { md: 'sha256', noAttributes: true }), subFilter: 'adbe.pkcs7.detached' }, alg: 'ECDSA with SHA-256', digest: 'SHA-256', weak: false },
    ]
    for (const c of cases) {
      const signed = await addCustomSignature(base, { ...c.o, fieldName: c.name })
      const { report, pdfsig: ps } = await judge(c.name, signed)
      expect({ name: c.name, pdfsig: ps.map((s) => s.status) }).toEqual({ name: c.name, pdfsig: ['Signature is Valid.', 'Signature is Valid.'] })
      expect({ name: c.name, v: report.valid }).toEqual({ name: c.name, v: true })
      expect(report.signatures[1]).toMatchObject({ field: c.name, subFilter: c.o.subFilter, intact: true, valid: true, trusted: true, signatureAlgorithm: c.alg, digestAlgorithm: c.digest, weak: c.weak })
      // A flipped byte in the signed part is caught whatever the algorithm.
      const bad = Buffer.from(signed)
      bad[base.length + 100] ^= 0x20
      const { report: br } = await judge(`${c.name}-bad`, bad)
      expect({ name: c.name, intact: br.signatures[1].intact, valid: br.valid }).toEqual({ name: c.name, intact: false, valid: false })
    }
  })

  it('DocMDP P=1 refuses a later signature but accepts DSS and a document time-stamp', async () => {
    const pdf = await makePdf('Certified')
    const certified = await signAs(pki, pdf, 'Qianyue Platform', { fieldName: 'Platform', certify: { permissions: 1 } })
    const r0 = await verify(certified)
    expect(r0.document.certification).toBe(1)
    expect(r0.signatures[0]).toMatchObject({ kind: 'certification', docMdp: 1, modification: 'none' })
    const lta = await addCustomSignature(certified, { cms: documentTimestamp(pki.tsa), fieldName: 'dts', subFilter: 'ETSI.RFC3161', type: 'DocTimeStamp' })
    expect((await verify(lta)).valid).toBe(true)
    const signedAgain = await signAs(pki, certified, '张三')
    const { report, pdfsig: ps } = await judge('p1-signed', signedAgain)
    expect(ps.every((s) => s.valid)).toBe(true)
    expect(report.valid).toBe(false)
    expect(report.signatures[0].modification).toBe('disallowed')
    expect(report.signatures[0].changes[0].detail).toMatch(/DocMDP P=1/)
  })

  it('FieldMDP: a signature that locks a field (/Reference FieldMDP, /Lock) rejects a later change of it', async () => {
    const doc = await PDFDocument.create()
    const page = doc.addPage([595, 842])
    const form = doc.getForm()
    form.createTextField('amount').addToPage(page, { x: 50, y: 700, width: 200, height: 20 })
    form.createTextField('note').addToPage(page, { x: 50, y: 650, width: 200, height: 20 })
    const pdf = await doc.save({ useObjectStreams: false })
    const { signer } = await pki.issue('锁定人')
    const fieldMdp = '/Reference [<</Type /SigRef /TransformMethod /FieldMDP /TransformParams <</Type /TransformParams /Action /Include /Fields [(amount)] /V /1.2>>>>]'
    for (const variant of ['reference', 'lock'] as const) {
      const signed = await addCustomSignature(pdf, {
        cms: engineCms(signer),
        fieldName: 'locker',
        extraDictionary: variant === 'reference' ? fieldMdp : '',
        fieldEntries: variant === 'lock' ? { Lock: dict({ Type: PdfName.of('SigFieldLock'), Action: PdfName.of('Include'), Fields: [PdfString.text('amount')] }) } : {},
      })
      const fill = (name: string, value: string) =>
        appendRevision(signed, (reader, writer) => {
          const f = (reader.resolve((reader.dictAt(reader.catalog().get('AcroForm')) as PdfDict).get('Fields')) as PdfRef[]).find(
            (r) => ((reader.dictAt(r) as PdfDict).get('T') as PdfString).toText() === name,
          ) as PdfRef
          writer.set(f, (reader.dictAt(f) as PdfDict).clone().set('V', PdfString.text(value)))
        })
      const locked = await verify(fill('amount', '999999'))
      expect({ variant, valid: locked.valid, mod: locked.signatures[0].modification }).toEqual({ variant, valid: false, mod: 'disallowed' })
      expect(locked.signatures[0].changes.map((c) => c.kind)).toContain('field-locked')
      const free = await verify(fill('note', 'ok'))
      expect({ variant, valid: free.valid, mod: free.signatures[0].modification }).toEqual({ variant, valid: true, mod: 'allowed' })
    }
  })
})

describe('our engine on real-world producers and the prepared, certified flow', () => {
  it('files from LibreOffice, Chromium, Ghostscript, qpdf (object streams, linearized) signed three times: valid, pdfsig agrees', async () => {
    for (const f of ['labor-libreoffice.pdf', 'po-chrome.pdf', 'labor-ghostscript.pdf', 'po-objstm.pdf', 'labor-linearized.pdf', 'po-presigned.pdf']) {
      let pdf: Buffer = readFileSync(join(FIXTURES, f))
      const before = f === 'po-presigned.pdf' ? 1 : 0
      for (let i = 1; i <= 3; i++) pdf = await signAs(pki, pdf, `签署人${i}`, i === 2 ? { placement: { page: 'last' }, crossPageSeal: { width: 100, height: 100 } } : {})
      const { report, pdfsig: ps } = await judge(`producer-${f}`, pdf)
      // po-presigned.pdf carries an outside signer nobody trusts here: intact and valid, but indeterminate.
      expect({ f, verdict: report.verdict, n: report.signatures.length }).toEqual({ f, verdict: before ? 'indeterminate' : 'valid', n: before + 3 })
      expect(ps.every((s) => s.valid)).toBe(true)
      expect(report.signatures.slice(before).map((s) => s.trusted)).toEqual([true, true, true])
      expect(report.signatures.map((s) => s.modification)).toEqual([...Array(before + 2).fill('allowed'), 'none'])
    }
  })

  it('send-time preparation (fields, cross-page seal widgets), DocMDP P=2 certification, then each signer fills and signs: valid', async () => {
    const original = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const { bytes: prepared } = await prepareDocument(original, {
      signers: [
        { fieldName: '甲方签章', page: 'last', rect: [90, 620, 150, 90] },
        { fieldName: '乙方签字', page: 'last', rect: [330, 620, 150, 90], crossPageSeal: { width: 100, height: 100 } },
      ],
      fields: [
        { name: '乙方身份证号', type: 'text', page: 0, rect: [90, 100, 200, 20] },
        { name: '签署日期', type: 'date', page: 0, rect: [300, 100, 120, 20] },
        { name: '同意条款', type: 'checkbox', page: 0, rect: [440, 100, 16, 16] },
      ],
    })
    const certified = await signAs(pki, prepared, 'Qianyue Platform', { fieldName: 'Platform', certify: { permissions: 2 } })
    const s1 = await signAs(pki, certified, '张三', { fieldName: '甲方签章', appearance: { fieldValues: { 签署日期: '2026-11-30', 同意条款: true } }, placement: { page: 'last' } })
    const s2 = await signAs(pki, s1, '李四', { fieldName: '乙方签字', appearance: { fieldValues: { 乙方身份证号: '110101********1234' } }, placement: { page: 'last' } })
    const { report } = await judge('prepared-certified', s2)
    expect(report.valid).toBe(true)
    expect(report.document.certification).toBe(2)
    expect(report.signatures.map((s) => [s.field, s.kind, s.modification])).toEqual([
      ['Platform', 'certification', 'allowed'],
      ['甲方签章', 'approval', 'allowed'],
      ['乙方签字', 'approval', 'none'],
    ])
    expect(report.signatures[0].changes.map((c) => c.kind).sort()).toEqual(['form-filled', 'form-filled', 'form-filled', 'signature-added', 'signature-added'])
    // After certification, refilling a field the first signer filled is not allowed.
    const refilled = appendRevision(s2, (reader, writer) => {
      const form = reader.dictAt(reader.catalog().get('AcroForm')) as PdfDict
      for (const f of reader.resolve(form.get('Fields')) as PdfRef[]) {
        const d = reader.dictAt(f) as PdfDict
        if ((d.get('T') as PdfString).toText() === '签署日期') writer.set(f, d.clone().set('V', PdfString.text('2020-01-01')))
      }
    })
    const r2 = await verify(refilled)
    expect(r2.valid).toBe(false)
    // The certifier saw the field empty, so for it the final value is a fill; the signers saw '2026-11-30'.
    expect(r2.signatures.map((s) => s.modification)).toEqual(['allowed', 'disallowed', 'disallowed'])
  })
})

describe('signatures made by other tools', () => {
  it('pdfsig/NSS (BER CMS, adbe.pkcs7.detached, RSA): intact, valid, not trusted unless its certificate is trusted; still valid after our signature', async () => {
    const presigned = readFileSync(join(FIXTURES, 'po-presigned.pdf'))
    const { report } = await judge('presigned', presigned)
    expect(report).toMatchObject({ verdict: 'indeterminate', valid: false })
    expect(report.signatures[0]).toMatchObject({ subFilter: 'adbe.pkcs7.detached', signer: 'Sample Outside Signer', intact: true, valid: true, trusted: false })
    const own = readFileSync(join(FIXTURES, 'po-presigned-signer.crt'), 'latin1')
    const der = new Uint8Array(Buffer.from(own.replace(/-----[^-]+-----|\s+/g, ''), 'base64'))
    expect((await verify(presigned, { trust: [der] })).signatures[0].trusted).toBe(true)
    const ours = await signAs(pki, presigned, '王五')
    const { report: r2 } = await judge('presigned-plus', ours)
    expect(r2.verdict).toBe('indeterminate')
    expect(r2.signatures.map((s) => [s.signer, s.modification, s.trusted])).toEqual([
      ['Sample Outside Signer', 'allowed', false],
      ['王五', 'none', true],
    ])
  })

  it('pdfsig -add-signature with a fresh NSS database, signed now', async () => {
    const nss = join(dir, 'nssdb')
    run('mkdir', ['-p', nss])
    run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password'])
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=NSS Signer/O=Elsewhere', '-days', '30', '-keyout', join(dir, 'nss.key'), '-out', join(dir, 'nss.crt')])
    run('openssl', ['pkcs12', '-export', '-passout', 'pass:', '-inkey', join(dir, 'nss.key'), '-in', join(dir, 'nss.crt'), '-name', 'nsssigner', '-out', join(dir, 'nss.p12')])
    run('pk12util', ['-i', join(dir, 'nss.p12'), '-d', `sql:${nss}`, '-W', ''])
    const input = join(dir, 'nss-in.pdf')
    writeFileSync(input, await makePdf('Signed by poppler'))
    const out = join(dir, 'nss-out.pdf')
    execFileSync('pdfsig', ['-nssdir', `sql:${nss}`, '-nick', 'nsssigner', '-add-signature', '-reason', 'test', input, out], { stdio: 'pipe' })
    const { report } = await judge('nss', readFileSync(out))
    expect(report).toMatchObject({ verdict: 'indeterminate', valid: false })
    expect(report.signatures[0]).toMatchObject({ signer: 'NSS Signer', intact: true, valid: true, trusted: false })
  })

  it('@signpdf/signpdf (node-forge P12 signer): intact and valid, untrusted; our signature after it keeps it valid', async () => {
    const { pdflibAddPlaceholder } = await import('@signpdf/placeholder-pdf-lib')
    const { SignPdf } = await import('@signpdf/signpdf')
    const { P12Signer } = await import('@signpdf/signer-p12')
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Signpdf Signer', '-days', '30', '-keyout', join(dir, 'sp.key'), '-out', join(dir, 'sp.crt')])
    run('openssl', ['pkcs12', '-export', '-passout', 'pass:', '-inkey', join(dir, 'sp.key'), '-in', join(dir, 'sp.crt'), '-out', join(dir, 'sp.p12'), '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'])
    const doc = await PDFDocument.create()
    const font = await doc.embedFont(StandardFonts.Helvetica)
    doc.addPage([595, 842]).drawText('signpdf', { x: 50, y: 780, size: 14, font })
    pdflibAddPlaceholder({ pdfDoc: doc, reason: 'test', contactInfo: 'a@b.c', name: 'Signpdf', location: 'here', signatureLength: 16384 })
    const withPlaceholder = Buffer.from(await doc.save({ useObjectStreams: false }))
    const signed = await new SignPdf().sign(withPlaceholder, new P12Signer(readFileSync(join(dir, 'sp.p12'))))
    const { report } = await judge('signpdf', signed)
    expect(report).toMatchObject({ verdict: 'indeterminate', valid: false })
    expect(report.signatures[0]).toMatchObject({ subFilter: 'adbe.pkcs7.detached', signer: 'Signpdf Signer', intact: true, valid: true, trusted: false })
    const both = await signAs(pki, signed, '张三')
    const { report: r2 } = await judge('signpdf-plus', both)
    expect(r2.verdict).toBe('indeterminate')
    expect(r2.signatures.map((s) => s.modification)).toEqual(['allowed', 'none'])
  })
})

/** An OCSP response from the test PKI's responder about `cert`. */
async function ocspFor(cert: Uint8Array, issuer: Uint8Array, status: CertificateStatus): Promise<Uint8Array> {
  return buildOcspResponse({
    requestDer: ocspRequest(cert, issuer) as Uint8Array,
    responder: { certificateDer: pki.ca.ocsp.certificateDer, signer: pki.ca.ocsp.signer },
    issuers: [pki.ca.issuing.certificateDer],
    lookup: () => status,
    now: new Date(),
  })
}

/** The CMS with CRLs and OCSP responses added as SignedData.crls (RFC 5652 RevocationInfoChoices, RFC 5940 for OCSP). */
function withRevocationInfo(cms: Uint8Array, crls: Uint8Array[], ocsps: Uint8Array[]): Uint8Array {
  const ci = decodeBer(cms)
  const sd = ci.children[1].children[0]
  const parts = sd.children.map((c) => encoding(c))
  const choices: Asn1[] = [...crls.map((der) => ({ der })), ...ocsps.map((der): Asn1 => ({ implicit: 1, node: { seq: [{ oid: '1.3.6.1.5.5.7.16.2' }, { der }] } }))]
  const rebuilt: Asn1[] = [...parts.slice(0, -1).map((der) => ({ der })), { implicit: 1, node: { set: choices } }, { der: parts[parts.length - 1] }]
  return encodeDer({ seq: [{ der: encoding(ci.children[0]) }, { explicit: 0, node: { seq: rebuilt } }] })
}

/** Appends a DSS revision: the chain, an OCSP response for the signer, the root's CRL for the issuing CA, and a VRI entry. */
async function addDss(pdf: Buffer, signerCert: Uint8Array, status: CertificateStatus): Promise<Buffer> {
  const ocsp = await ocspFor(signerCert, pki.ca.issuing.certificateDer, status)
  const now = new Date()
  const crl = await buildCrl({ issuer: { certificateDer: pki.ca.root.certificateDer, signer: pki.ca.root.signer }, thisUpdate: now, nextUpdate: new Date(now.getTime() + 86400_000), crlNumber: 1n, revoked: [] })
  const contents = /\/Contents <([0-9a-f]+)>/.exec(pdf.toString('latin1'))?.[1] ?? ''
  const vriKey = createHash('sha1').update(Buffer.from(contents, 'hex')).digest('hex').toUpperCase()
  return appendRevision(pdf, (reader, writer) => {
    const stream = (data: Uint8Array): PdfRef => {
      const r = writer.allocate()
      writer.setStream(r, dict({}), data)
      return r
    }
    const certs = [signerCert, pki.ca.issuing.certificateDer].map(stream)
    const ocsps = [stream(ocsp)]
    const crls = [stream(crl)]
    const dss = writer.allocate()
    writer.set(dss, dict({ Certs: certs, OCSPs: ocsps, CRLs: crls, VRI: dict({ [vriKey]: dict({ Cert: certs, OCSP: ocsps, CRL: crls }) }) }))
    writer.set(reader.rootRef, reader.catalog().clone().set('DSS', dss))
  })
}
