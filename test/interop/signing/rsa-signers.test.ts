/**
 * RSA-2048 and RSA-3072 signers (signer-profile certificates from the platform's issuing CA, keys in
 * Node crypto behind the Signer port) through the whole engine — prepare, digest, CMS with an RFC
 * 3161 token, embed — judged by pdfsig and openssl, next to ECDSA P-256 signers and under an
 * all-RSA CA hierarchy; and `/Contents` sizing: the CMS never outgrows the reserved space, whatever
 * the key type, and the reservation stays tight.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TIMESTAMP_TOKEN_OVERHEAD, buildCmsSignedData, maxCmsSize } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import { digestDocument } from '../../../cloud-functions/core/signing/digest-document'
import { prepareSignature } from '../../../cloud-functions/core/signing/prepare-signature'
import type { CaKeyType } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { createPdfTestPki, type PdfTestPki } from '../../support/pdf-signing-ca'
import { signAs } from '../../support/pdf-sign-helpers'
import { assertSignedPdfValid, derPrefix, extractSignatures, pdfsig, requireTools, run, tamperedStatuses, tempDir } from '../../support/pdf-tools'

jest.setTimeout(180_000)

const FIXTURES = join(__dirname, '../../fixtures/pdf')

let pki: PdfTestPki
let dir: string

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf', 'openssl')
  pki = await createPdfTestPki()
  dir = tempDir('qianyue-rsa-')
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** What openssl says about each CMS of the file: signer CN, public key size and signature algorithm. */
function opensslSigners(pdf: Uint8Array, caFile: string, tag: string): Array<{ cn: string; keyBits: number; sigAlg: string }> {
  return extractSignatures(pdf).map((s, i) => {
    const p7s = join(dir, `${tag}-${i}.p7s`)
    const content = join(dir, `${tag}-${i}.bin`)
    const signerPem = join(dir, `${tag}-${i}-signer.pem`)
    writeFileSync(p7s, derPrefix(s.cms))
    writeFileSync(content, s.content)
    run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content, '-CAfile', caFile, '-purpose', 'any', '-signer', signerPem, '-out', '/dev/null'])
    const cert = run('openssl', ['x509', '-in', signerPem, '-noout', '-nameopt', 'utf8', '-subject', '-text'])
    const printed = run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7s])
    return {
      cn: /CN ?= ?([^,\n]+)/.exec(cert)?.[1].trim() ?? '',
      keyBits: Number(/Public-Key: \((\d+) bit\)/.exec(cert)?.[1]),
      sigAlg: /signatureAlgorithm:\s*\n?\s*algorithm: (\S+)/.exec(printed)?.[1] ?? '',
    }
  })
}

describe('RSA signers through the whole engine', () => {
  it('RSA-2048 and RSA-3072 signers of the P-256 issuing CA sign in sequence with ECDSA signers; pdfsig and openssl accept all', async () => {
    const original = readFileSync(join(FIXTURES, 'labor-libreoffice.pdf'))
    const rsa2048 = await pki.issueWithKey('RSA-2048 甲', 'RSA-2048')
    const rsa3072 = await pki.issueWithKey('RSA-3072 乙', 'RSA-3072')
    let pdf: Buffer = original
    pdf = await signAs(pki, pdf, 'RSA-2048 甲', { signer: rsa2048.signer, placement: { page: 'last' } })
    pdf = await signAs(pki, pdf, 'ECDSA 丙')
    pdf = await signAs(pki, pdf, 'RSA-3072 乙', { signer: rsa3072.signer, placement: { page: 'last' } })
    const file = join(dir, 'mixed.pdf')
    writeFileSync(file, pdf)
    const root = pki.writeRoot(dir)
    assertSignedPdfValid(file, { expected: 3, caFile: root, dir, label: 'RSA + ECDSA' })
    expect(pdfsig(file).signatures.map((s) => s.commonName)).toEqual(['RSA-2048 甲', 'ECDSA 丙', 'RSA-3072 乙'])
    expect(opensslSigners(pdf, root, 'mixed')).toEqual([
      { cn: 'RSA-2048 甲', keyBits: 2048, sigAlg: 'sha256WithRSAEncryption' },
      { cn: 'ECDSA 丙', keyBits: 256, sigAlg: 'ecdsa-with-SHA256' },
      { cn: 'RSA-3072 乙', keyBits: 3072, sigAlg: 'sha256WithRSAEncryption' },
    ])
    expect(tamperedStatuses(pdf, 500, dir, 'mixed')).toEqual(Array(3).fill('Digest Mismatch.'))
  })

  it('an RSA-3072 signer signs ten times in sequence with RSA-2048 under an all-RSA hierarchy (RSA root, issuing CA and TSA)', async () => {
    const rsaPki = await createPdfTestPki({ rootKey: 'RSA-3072', issuingKey: 'RSA-2048', tsaKey: 'RSA-2048' })
    const signers = [await rsaPki.issueWithKey('签署人 RSA-3072', 'RSA-3072'), await rsaPki.issueWithKey('签署人 RSA-2048', 'RSA-2048')]
    let pdf: Buffer = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    for (let i = 0; i < 10; i++) {
      const next = await signAs(rsaPki, pdf, `RSA ${i + 1}`, { signer: signers[i % 2].signer, placement: i % 3 === 0 ? { page: 0 } : undefined })
      expect(Buffer.compare(next.subarray(0, pdf.length), pdf)).toBe(0)
      pdf = next
    }
    const file = join(dir, 'all-rsa.pdf')
    writeFileSync(file, pdf)
    const root = rsaPki.writeRoot(dir)
    assertSignedPdfValid(file, { expected: 10, caFile: root, dir, label: 'all-RSA ×10' })
    expect(opensslSigners(pdf, root, 'all-rsa').map((s) => s.keyBits)).toEqual([3072, 2048, 3072, 2048, 3072, 2048, 3072, 2048, 3072, 2048])
  })
})

describe('/Contents sizing', () => {
  const cases: Array<[CaKeyType, CaKeyType]> = [
    ['P-256', 'P-256'],
    ['RSA-2048', 'P-256'],
    ['RSA-3072', 'P-256'],
    ['RSA-2048', 'RSA-2048'],
    ['RSA-3072', 'RSA-3072'],
  ]
  let rsaTsaPki: Record<string, PdfTestPki> = {}
  beforeAll(async () => {
    rsaTsaPki = {
      'P-256': pki,
      'RSA-2048': await createPdfTestPki({ tsaKey: 'RSA-2048' }),
      'RSA-3072': await createPdfTestPki({ tsaKey: 'RSA-3072' }),
    }
  })

  it.each(cases)('a %s signer with a %s TSA: the CMS fits the reservation, with less than the token overhead to spare', async (signerKey, tsaKey) => {
    const p = rsaTsaPki[tsaKey]
    const { signer } = signerKey === 'P-256' ? await p.issue('尺寸') : await p.issueWithKey('尺寸', signerKey)
    const chain = await signer.certificateChain()
    const reserved = maxCmsSize(chain, true, p.tsaCertificatesSize)
    const pdf = readFileSync(join(FIXTURES, 'po-chrome.pdf'))
    const prepared = await prepareSignature(pdf, { contentsSize: reserved, signingTime: new Date() })
    const sizes: number[] = []
    for (let i = 0; i < 8; i++) {
      const cms = await buildCmsSignedData({ documentDigest: digestDocument(prepared).value, signer, tsa: p.tsa })
      sizes.push(cms.length)
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(reserved)
    expect(reserved - Math.max(...sizes)).toBeLessThan(TIMESTAMP_TOKEN_OVERHEAD)
    // Without a time-stamp the bound is exact for RSA (fixed-size signature) and within 2 bytes for ECDSA.
    const plain = maxCmsSize(chain, false)
    const plainCms = await buildCmsSignedData({ documentDigest: digestDocument(prepared).value, signer })
    expect(plainCms.length).toBeLessThanOrEqual(plain)
    expect(plain - plainCms.length).toBeLessThanOrEqual(signerKey === 'P-256' ? 2 : 0)
  })
})
