import { generateKeyPairSync } from 'node:crypto'
import fc from 'fast-check'
import { InProcessTsa } from '../../../cloud-functions/adapters/local/in-process-tsa'
import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { decodeDer, encodeDer } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { createNodeCryptoSigner } from '../../../cloud-functions/core/pki/node-crypto-signer'
import { OID } from '../../../cloud-functions/core/pki/oids'
import { buildCmsSignedData, maxCmsSize, TIMESTAMP_TOKEN_OVERHEAD } from '../../../cloud-functions/core/signing/build-cms-signed-data'
import type { Signer } from '../../../cloud-functions/ports/signer'
import type { TimestampAuthority } from '../../../cloud-functions/ports/timestamp-authority'
import { BASE_URL, fixedClock, hierarchy, NOW, sha256, signerWithKey } from '../../interop/pki/support/fixtures'

describe('buildCmsSignedData', () => {
  let ca: CaHierarchy
  let tsa: InProcessTsa
  beforeAll(async () => {
    ca = await hierarchy()
    tsa = new InProcessTsa({ signer: ca.tsa.signer, clock: fixedClock() })
  })
  const eventSigner = async (name = '赵六'): Promise<Signer> => (await issueEventCertificate({ name, issuer: ca.issuing, baseUrl: BASE_URL, now: NOW })).signer

  it('is a detached SignedData v1 of id-data with the whole chain and one SignerInfo', async () => {
    const signer = await eventSigner()
    const cms = await buildCmsSignedData({ documentDigest: sha256('bytes'), signer })
    const d = decodeDer(cms)
    if (!d.ok) throw new Error(d.error.message)
    const signedData = d.value.children[1].children[0]
    expect(signedData.children[0].content[0]).toBe(1) // version
    const encap = signedData.children[2]
    expect(encap.children).toHaveLength(1) // no eContent: detached
    const certificates = signedData.children[3].children.map((c) => Buffer.from(c.der).toString('hex')).sort()
    const chain = (await signer.certificateChain()).map((c) => Buffer.from(c).toString('hex')).sort()
    expect(certificates).toEqual(chain)
    expect(signedData.children[4].children).toHaveLength(1)
  })

  it('refuses a digest that is not 32 bytes', async () => {
    await expect(buildCmsSignedData({ documentDigest: new Uint8Array(20), signer: await eventSigner() })).rejects.toThrow('32-byte')
  })

  it('throws when the signer key does not match its certificate (no invalid CMS leaves)', async () => {
    const good = await eventSigner()
    const otherKey = createNodeCryptoSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
    const impostor: Signer = { keyAlgorithm: 'ECDSA', certificateChain: () => good.certificateChain(), sign: (d) => otherKey.sign(d) }
    await expect(buildCmsSignedData({ documentDigest: sha256('x'), signer: impostor })).rejects.toThrow('does not verify')
  })

  it('throws when the TSA returns a token for another imprint', async () => {
    const lying: TimestampAuthority = { timestamp: () => tsa.timestamp(new TextEncoder().encode('something else')) }
    await expect(buildCmsSignedData({ documentDigest: sha256('x'), signer: await eventSigner(), tsa: lying })).rejects.toThrow('different message imprint')
  })

  it('throws when the TSA returns garbage', async () => {
    const broken: TimestampAuthority = { timestamp: async () => new Uint8Array([1, 2, 3]) }
    await expect(buildCmsSignedData({ documentDigest: sha256('x'), signer: await eventSigner(), tsa: broken })).rejects.toThrow('unreadable')
  })

  it('maxCmsSize bounds every CMS for any subject name length and digest (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('张', '三', '技', 'a', 'Z', ' ', 'é', '-'), minLength: 1, maxLength: 64 }).filter((s) => s.trim().length > 0), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (name, digest) => {
        const signer = await eventSigner(name)
        const chain = await signer.certificateChain()
        const cms = await buildCmsSignedData({ documentDigest: digest, signer, tsa })
        const bound = maxCmsSize(chain, true, ca.tsa.certificateDer.length)
        return cms.length <= bound && bound - cms.length <= TIMESTAMP_TOKEN_OVERHEAD
      }),
      { numRuns: 40 },
    )
  })

  it('maxCmsSize: RSA signature slack is zero, so B-B sizes are exact for RSA', async () => {
    const { signer } = await signerWithKey(ca, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'Exact RSA')
    const cms = await buildCmsSignedData({ documentDigest: sha256('x'), signer })
    expect(maxCmsSize(await signer.certificateChain(), false)).toBe(cms.length)
  })

  it('maxCmsSize grows with the TSA chain bytes and with the timestamp flag', async () => {
    const chain = await (await eventSigner()).certificateChain()
    const plain = maxCmsSize(chain, false)
    expect(maxCmsSize(chain, true, 1000)).toBeGreaterThanOrEqual(plain + 1000 + TIMESTAMP_TOKEN_OVERHEAD)
    expect(maxCmsSize(chain, true, 5000) - maxCmsSize(chain, true, 1000)).toBe(4000)
    expect(() => maxCmsSize([], false)).toThrow()
  })

  it('B-T adds exactly one unsigned attribute, the signature time-stamp token', async () => {
    const cms = await buildCmsSignedData({ documentDigest: sha256('x'), signer: await eventSigner(), tsa })
    const d = decodeDer(cms)
    if (!d.ok) throw new Error()
    const signedData = d.value.children[1].children[0]
    const signerInfo = signedData.children[signedData.children.length - 1].children[0]
    const unsigned = signerInfo.children[signerInfo.children.length - 1]
    expect(unsigned.tag).toBe(0xa1)
    expect(unsigned.children).toHaveLength(1)
    expect(Buffer.from(unsigned.children[0].children[0].der)).toEqual(Buffer.from(oidDer(OID.signatureTimeStampToken)))
  })
})

function oidDer(oid: string): Uint8Array {
  return encodeDer({ oid })
}
