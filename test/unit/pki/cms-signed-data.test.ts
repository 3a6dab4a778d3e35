import { createHash } from 'node:crypto'
import { signCmsSignedData } from '../../../cloud-functions/core/pki/cms-signed-data'
import { createNodeCryptoSigner } from '../../../cloud-functions/core/pki/node-crypto-signer'
import { OID } from '../../../cloud-functions/core/pki/oids'
import type { Signer } from '../../../cloud-functions/ports/signer'
import { generateKey, hierarchy } from '../../interop/pki/support/fixtures'

const digest = (s: string) => new Uint8Array(createHash('sha256').update(s).digest())

describe('signCmsSignedData checks every signature against its certificate (the public key is kept per certificate, the check is not)', () => {
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
})
