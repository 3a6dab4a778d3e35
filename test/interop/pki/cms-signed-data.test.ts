import { randomBytes } from 'node:crypto'
import { InProcessTsa } from '../../../cloud-functions/adapters/local/in-process-tsa'
import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { decodeDer, type DerElement } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { oidFromContent } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { OID } from '../../../cloud-functions/core/pki/oids'
import { readTimestampToken } from '../../../cloud-functions/core/pki/read-timestamp-token'
import { buildCmsSignedData, maxCmsSize } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import type { Signer } from '../../../cloud-functions/ports/signer'
import { AT_TIME, BASE_URL, fixedClock, generateKey, hierarchy, NOW, sha256, signerWithKey, type KeyKind } from './support/fixtures'
import { openssl, pem, requireOpenssl, scratchDir } from './support/openssl'

jest.setTimeout(120_000)

/** The SignerInfo's signature value and unsigned time-stamp token, read back from the CMS. */
function signerInfoParts(cms: Uint8Array): { signatureValue: Uint8Array; token?: Uint8Array; signedAttributeOids: string[] } {
  const decoded = decodeDer(cms)
  if (!decoded.ok) throw new Error(decoded.error.message)
  const signedData = decoded.value.children[1].children[0]
  const signerInfo = signedData.children[signedData.children.length - 1].children[0]
  const signedAttrs = signerInfo.children.find((c) => c.tag === 0xa0) as DerElement
  const signatureValue = signerInfo.children.find((c) => c.tag === 0x04)!.content
  const unsigned = signerInfo.children.find((c) => c.tag === 0xa1)
  const token = unsigned?.children.find((a) => oidFromContent(a.children[0].content) === OID.signatureTimeStampToken)?.children[1].children[0].der
  return { signatureValue, token, signedAttributeOids: signedAttrs.children.map((a) => oidFromContent(a.children[0].content)) }
}

describe('buildCmsSignedData (openssl cms / openssl ts)', () => {
  let ca: CaHierarchy
  let tsa: InProcessTsa
  const scratch = scratchDir('cms')

  beforeAll(async () => {
    requireOpenssl()
    ca = await hierarchy()
    scratch.write('root.pem', pem(ca.root.certificateDer))
    scratch.write('tsa.pem', pem(ca.tsa.certificateDer))
    tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: fixedClock() })
  })
  afterAll(() => scratch.cleanup())

  const signers: Array<[string, () => Promise<Signer>]> = [
    ['RSA 2048', async () => (await signerWithKey(ca, generateKey('RSA-2048' as KeyKind), 'RSA 2048 Signer')).signer],
    ['RSA 3072', async () => (await signerWithKey(ca, generateKey('RSA-3072' as KeyKind), 'RSA 3072 Signer')).signer],
    ['ECDSA P-256', async () => (await signerWithKey(ca, generateKey('P-256' as KeyKind), 'P-256 Signer')).signer],
    ['event certificate (P-256)', async () => (await issueEventCertificate({ name: '李四', contractId: 'c_1', issuer: ca.issuing, baseUrl: BASE_URL, now: NOW, singleUse: false })).signer] // signs B-T and B-B,
  ]

  describe.each(signers)('%s signer', (label, makeSigner) => {
    const tag = label.replace(/[^A-Za-z0-9]+/g, '-')
    let signer: Signer
    let content: Buffer
    let cms: Uint8Array
    let plain: Uint8Array

    beforeAll(async () => {
      // Prepare: detached content (the "ByteRange bytes") and its SHA-256.
      signer = await makeSigner()
      content = randomBytes(10_000)
      scratch.write(`${tag}.content`, content)
      // Act
      cms = await buildCmsSignedData({ documentDigest: sha256(content), signer, tsa })
      plain = await buildCmsSignedData({ documentDigest: sha256(content), signer })
      scratch.write(`${tag}.p7s`, cms)
      scratch.write(`${tag}-plain.p7s`, plain)
    })

    const cmsVerify = (file: string, contentFile: string) =>
      openssl(['cms', '-verify', '-attime', AT_TIME, '-binary', '-inform', 'DER', '-in', file, '-content', contentFile, '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: scratch.dir })

    it('verifies with openssl cms -verify against the detached content (B-T and B-B)', () => {
      for (const file of [`${tag}.p7s`, `${tag}-plain.p7s`]) {
        const r = cmsVerify(file, `${tag}.content`)
        expect(r.output).toContain('CMS Verification successful')
        expect(r.status).toBe(0)
      }
    })

    it('fails openssl cms -verify when one content byte changes', () => {
      const tampered = Buffer.from(content)
      tampered[5000] ^= 1
      scratch.write(`${tag}.tampered`, tampered)
      const r = cmsVerify(`${tag}.p7s`, `${tag}.tampered`)
      expect(r.output).toContain('Verification failure')
      expect(r.status).not.toBe(0)
    })

    it('has content-type, message-digest and signing-certificate-v2, and no signing-time', () => {
      const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${tag}.p7s`], { cwd: scratch.dir }).stdout
      expect(printed).toContain('contentType')
      expect(printed).toContain('messageDigest')
      expect(printed).toContain('id-smime-aa-signingCertificateV2')
      expect(printed).toContain('id-smime-aa-timeStampToken')
      expect(printed).not.toContain('signingTime')
      expect(printed).toContain('eContent: <ABSENT>')
      const parts = signerInfoParts(cms)
      expect(parts.signedAttributeOids.sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort())
      expect(signerInfoParts(plain).token).toBeUndefined()
    })

    it('embeds a time-stamp token over SHA-256 of the signature value that openssl ts -verify accepts', () => {
      const { signatureValue, token } = signerInfoParts(cms)
      expect(token).toBeDefined()
      const info = readTimestampToken(token!)
      if (!info.ok) throw new Error(info.error.message)
      expect(Buffer.from(info.value.hashedMessage)).toEqual(Buffer.from(sha256(signatureValue)))
      expect(info.value.genTime).toEqual(NOW)
      scratch.write(`${tag}.tst`, token!)
      const r = openssl(
        ['ts', '-verify', '-attime', AT_TIME, '-digest', Buffer.from(sha256(signatureValue)).toString('hex'), '-token_in', '-in', `${tag}.tst`, '-CAfile', 'root.pem', '-untrusted', 'tsa.pem'],
        { cwd: scratch.dir },
      )
      expect(r.output).toContain('Verification: OK')
    })

    it('stays within maxCmsSize', async () => {
      const chain = await signer.certificateChain()
      const withTs = maxCmsSize(chain, true, ca.tsa.certificateDer.length)
      const without = maxCmsSize(chain, false)
      expect(cms.length).toBeLessThanOrEqual(withTs)
      expect(plain.length).toBeLessThanOrEqual(without)
      // The bound is tight where the chain decides: the B-B bound overshoots by the signature slack only.
      expect(without - plain.length).toBeLessThanOrEqual(4)
      expect(withTs - cms.length).toBeLessThan(2048)
    })
  })
})
