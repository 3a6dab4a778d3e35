import { Certificate } from '../../../cloud-functions/core/verification/certificate'
import { hierarchy } from '../../interop/pki/support/fixtures'

describe('Certificate.verifiedBy', () => {
  it('answers each issuer the same way every time it is asked (the verdict is kept per issuer), and hands out copies', async () => {
    const ca = await hierarchy()
    const [root, issuing, tsa] = [ca.root, ca.issuing, ca.tsa].map((m) => Certificate.tryParse(m.certificateDer)!)
    for (let i = 0; i < 3; i++) {
      expect(issuing.verifiedBy(root)).toMatchObject({ ok: true, weak: false })
      // The TSA is certified by the root.
      expect(tsa.verifiedBy(root)).toMatchObject({ ok: true })
      // A wrong issuer stays wrong, whichever was asked first.
      expect(tsa.verifiedBy(issuing).ok).toBe(false)
      expect(issuing.verifiedBy(tsa).ok).toBe(false)
    }
    const first = issuing.verifiedBy(root)
    first.ok = false
    expect(issuing.verifiedBy(root).ok).toBe(true)
  })

  it('another hierarchy\'s root with the same name does not pass for the issuer', async () => {
    const [a, b] = await Promise.all([hierarchy(), hierarchy()])
    const issuingA = Certificate.tryParse(a.issuing.certificateDer)!
    expect(issuingA.verifiedBy(Certificate.tryParse(a.root.certificateDer)!).ok).toBe(true)
    expect(issuingA.verifiedBy(Certificate.tryParse(b.root.certificateDer)!).ok).toBe(false)
  })
})
