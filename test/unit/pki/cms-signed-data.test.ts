import { createHash } from 'node:crypto'
import { signCmsSignedData } from '../../../cloud-functions/core/pki/cms-signed-data'
import { createNodeCryptoSigner } from '../../../cloud-functions/core/pki/node-crypto-signer'
import { OID } from '../../../cloud-functions/core/pki/oids'
import type { Signer } from '../../../cloud-functions/ports/signer'
import { generateKey, hierarchy, signerWithKey } from '../../interop/pki/support/fixtures'

const digest = (s: string) => new Uint8Array(createHash('sha256').update(s).digest())

describe('signCmsSignedData checks a signature against its certificate unless the signer\'s key was checked against that certificate', () => {
  it('signs with a matching key again and again, and still refuses a key that does not match a certificate it has seen', async () => {
    const h = await hierarchy()
    const tsa = h.tsa
    const sign = (signer: Signer, n: number) =>
      signCmsSignedData({ signer, signerCertificate: tsa.certificateDer, certificates: [tsa.certificateDer], contentType: OID.data, contentDigest: digest(`content ${n}`) })
    for (let n = 0; n < 3; n++) expect((await sign(tsa.signer, n)).length).toBeGreaterThan(100)
    const other = createNodeCryptoSigner(generateKey('P-256'))
    const impostor: Signer = { ...other, certificateChain: async () => [tsa.certificateDer] }
    await expect(sign(impostor, 4)).rejects.toThrow('does not verify with its certificate')
    expect((await sign(tsa.signer, 5)).length).toBeGreaterThan(100)
  })

  it('a Node crypto signer made with its chain says its key matches; one made without a chain, or wrapped by hand, does not', async () => {
    const h = await hierarchy()
    expect(h.tsa.signer.keyMatchesChain).toBe(true)
    expect(createNodeCryptoSigner(generateKey('P-256')).keyMatchesChain).toBe(false)
    const wrapped: Signer = { keyAlgorithm: h.tsa.signer.keyAlgorithm, certificateChain: () => h.tsa.signer.certificateChain(), sign: (d) => h.tsa.signer.sign(d) }
    expect(wrapped.keyMatchesChain).toBeUndefined()
  })

  it('the skipped check is bound to the signer\'s own certificate: for any other certificate a key-checked signer\'s signature is verified, and a mismatch refused', async () => {
    const h = await hierarchy()
    const own = await signerWithKey(h, generateKey('P-256'), '张三')
    expect(own.signer.keyMatchesChain).toBe(true)
    const sign = (certificate: Uint8Array) =>
      signCmsSignedData({ signer: own.signer, signerCertificate: certificate, certificates: [certificate], contentType: OID.data, contentDigest: digest('content') })
    expect((await sign(own.certificateDer)).length).toBeGreaterThan(100)
    await expect(sign(h.tsa.certificateDer)).rejects.toThrow('does not verify with its certificate')
  })
})
