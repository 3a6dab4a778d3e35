import { createPublicKey, verify, X509Certificate } from 'node:crypto'
import { inspect } from 'node:util'
import { parseCertificate } from '../../../cloud-functions/core/pki/certificate-info'
import { identitySerialNumber } from '../../../cloud-functions/core/pki/certificate-profile'
import type { CaHierarchy } from '../../../cloud-functions/core/pki/create-ca-hierarchy'
import { decodeDer } from '../../../cloud-functions/core/pki/jsrsasign-adapter'
import { issueEventCertificate } from '../../../cloud-functions/core/pki/issue-event-certificate'
import { OID } from '../../../cloud-functions/core/pki/oids'
import { randomSerialNumber, serialNumberText } from '../../../cloud-functions/core/pki/serial-number'
import { BASE_URL, hierarchy, NOW, sha256 } from '../../interop/pki/support/fixtures'

describe('issueEventCertificate', () => {
  let ca: CaHierarchy
  beforeAll(async () => {
    ca = await hierarchy()
  })

  const issue = (extra: Partial<Parameters<typeof issueEventCertificate>[0]> = {}) =>
    issueEventCertificate({ name: '王五', issuer: ca.issuing, baseUrl: BASE_URL, now: NOW, ...extra })

  it('binds the certificate to the act: contract id and intent-proof hash in the binding extension', async () => {
    const intent = sha256('intent proof')
    const { certificateDer } = await issue({ contractId: 'c_01HQ7Z', intentHash: Buffer.from(intent).toString('hex') })
    const ext = parseCertificate(certificateDer).extensions.get(OID.signingActBinding)
    expect(ext?.critical).toBe(false)
    const binding = decodeDer(ext!.value)
    if (!binding.ok) throw new Error(binding.error.message)
    expect(binding.value.children[0].tag).toBe(0x80)
    expect(Buffer.from(binding.value.children[0].content).toString('utf8')).toBe('c_01HQ7Z')
    expect(binding.value.children[1].tag).toBe(0x81)
    expect(Buffer.from(binding.value.children[1].content)).toEqual(Buffer.from(intent))
  })

  it('writes its serial number as Node does (serialNumberText = X509Certificate#serialNumber in lower case), with or without the DER sign octet', async () => {
    const serials = [randomSerialNumber(), Uint8Array.from([0x8a, 0x01, 0x02, 0x03]), Uint8Array.from([0x0a, 0xff]), Uint8Array.from([0x01]), Uint8Array.from([0xff, 0x00, 0x00])]
    for (const serialNumber of serials) {
      const { certificateDer } = await issue({ serialNumber })
      const text = serialNumberText(parseCertificate(certificateDer).serialNumber)
      expect(text).toBe(new X509Certificate(certificateDer).serialNumber.toLowerCase())
      expect(text).toBe(Buffer.from(serialNumber).toString('hex'))
    }
  })

  it('has no binding extension when neither contract nor intent is given', async () => {
    const { certificateDer } = await issue()
    expect(parseCertificate(certificateDer).extensions.has(OID.signingActBinding)).toBe(false)
  })

  it('uses a fresh P-256 key each time, certified by the issuing CA, valid from now - 5 min for a year', async () => {
    const a = await issue()
    const b = await issue()
    const ia = parseCertificate(a.certificateDer)
    const ib = parseCertificate(b.certificateDer)
    expect(ia.keyAlgorithm).toBe('ECDSA')
    expect(Buffer.from(ia.subjectPublicKey)).not.toEqual(Buffer.from(ib.subjectPublicKey))
    expect(Buffer.from(ia.serialNumber)).not.toEqual(Buffer.from(ib.serialNumber))
    expect(Buffer.from(ia.issuerDer)).toEqual(Buffer.from(parseCertificate(ca.issuing.certificateDer).subjectDer))
    expect(ia.notBefore).toEqual(new Date(NOW.getTime() - 5 * 60_000 - 250))
    expect(ia.notAfter.getTime() - NOW.getTime()).toBeGreaterThan(364 * 86_400_000)
    const issuerKey = createPublicKey({ key: Buffer.from(parseCertificate(ca.issuing.certificateDer).subjectPublicKeyInfoDer), format: 'der', type: 'spki' })
    const outer = decodeDer(a.certificateDer)
    if (!outer.ok) throw new Error()
    expect(verify('sha256', ia.tbsDer, issuerKey, outer.value.children[2].content.subarray(1))).toBe(true)
  })

  it("the signer's chain is the event certificate then the issuing CA", async () => {
    const { signer, certificateDer } = await issue()
    const chain = await signer.certificateChain()
    expect(chain.map((c) => Buffer.from(c))).toEqual([Buffer.from(certificateDer), Buffer.from(ca.issuing.certificateDer)])
    expect(signer.keyAlgorithm).toBe('ECDSA')
  })

  it('signs with the certified key and exposes no key material', async () => {
    const { signer, certificateDer } = await issue()
    const publicKey = createPublicKey({ key: Buffer.from(parseCertificate(certificateDer).subjectPublicKeyInfoDer), format: 'der', type: 'spki' })
    const signature = await signer.sign(sha256('attrs'))
    expect(verify('sha256', Buffer.from('attrs'), publicKey, signature)).toBe(true)
    const returned = { signer, certificateDer }
    expect(Object.keys(signer).sort()).toEqual(['certificateChain', 'keyAlgorithm', 'keyMatchesChain', 'sign', 'signData'])
    expect(signer.keyMatchesChain).toBe(true)
    const seen = new Set<unknown>()
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object' || seen.has(v)) return
      seen.add(v)
      expect(v.constructor?.name).not.toMatch(/KeyObject/)
      for (const k of Reflect.ownKeys(v)) walk((v as Record<string | symbol, unknown>)[k])
    }
    walk(returned)
    expect(inspect(returned, { showHidden: true, depth: 20 })).not.toMatch(/PRIVATE KEY|KeyObject|privateKey/)
  })

  it('puts a salted identity hash, never an ID number, in the subject serialNumber', async () => {
    const serial = identitySerialNumber('110101199003074514', new Uint8Array(32).fill(7))
    expect(serial).toMatch(/^[0-9A-F]{64}$/)
    const { certificateDer } = await issue({ subjectSerialNumber: serial })
    expect(Buffer.from(certificateDer).includes(Buffer.from('110101199003074514'))).toBe(false)
    expect(Buffer.from(certificateDer).includes(Buffer.from(serial))).toBe(true)
  })

  it('rejects malformed act data', async () => {
    await expect(issue({ intentHash: 'abc' })).rejects.toThrow('64 hex')
    await expect(issue({ intentHash: new Uint8Array(20) })).rejects.toThrow('32-byte')
    await expect(issue({ name: '' })).rejects.toThrow('commonName')
  })

  it('is single-use: the key is gone after one signature (one certificate, one signing act)', async () => {
    const { signer } = await issue({ contractId: 'c_once' })
    await signer.sign(sha256('first'))
    await expect(signer.sign(sha256('second'))).rejects.toThrow()
  })
})
