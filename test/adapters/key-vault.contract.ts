import { createHash, createPublicKey, verify } from 'node:crypto'
import { createCaHierarchy, type CaHierarchy } from '../../cloud-functions/core/pki/create-ca-hierarchy'
import { signerProfile } from '../../cloud-functions/core/pki/certificate-profile'
import { issueCertificate } from '../../cloud-functions/core/pki/issue-certificate'
import { randomSerialNumber } from '../../cloud-functions/core/pki/serial-number'
import { UnknownKeyError, type KeyVault, type VaultKey, type VaultKeyAlgorithm } from '../../cloud-functions/ports/key-vault'

/** What {@link keyVaultContract} runs against: one vault for the whole suite. */
export type KeyVaultFixture = {
  vault: KeyVault
  /** A key id of the vault's format that it never issued. */
  unknownKeyId: string
  /** Whether its Signers sign bytes in one step (`signData`): keys held in this process do, KMS signs digests only. */
  signsData: boolean
  close: () => Promise<void>
}

const BASE_URL = 'https://esign.example.com'
const sha256 = (data: string): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())

/** `crypto.verify` hashes its input: a signature over SHA-256(data) verifies against `data`. */
function verifies(key: VaultKey, data: string, signature: Uint8Array): boolean {
  return verify('sha256', Buffer.from(data), createPublicKey({ key: Buffer.from(key.publicKeyDer), format: 'der', type: 'spki' }), signature)
}

/**
 * The {@link KeyVault} contract, run against the local vault and the KMS vault (on the fake KMS
 * server): the same behaviour, whatever holds the keys.
 */
export function keyVaultContract(name: string, setup: () => Promise<KeyVaultFixture>): void {
  describe(`KeyVault contract: ${name}`, () => {
    let fixture: KeyVaultFixture
    let vault: KeyVault
    let ca: CaHierarchy

    beforeAll(async () => {
      fixture = await setup()
      vault = fixture.vault
      ca = await createCaHierarchy({ now: new Date(), baseUrl: BASE_URL })
    })
    afterAll(() => fixture?.close())

    const certify = (key: VaultKey, name: string): Promise<Uint8Array> =>
      issueCertificate({
        template: signerProfile({ name, now: new Date(), baseUrl: BASE_URL }),
        subjectPublicKeyInfo: key.publicKeyDer,
        serialNumber: randomSerialNumber(),
        issuer: ca.issuing,
      })

    it.each<[VaultKeyAlgorithm, 'ECDSA' | 'RSA', string]>([
      ['P-256', 'ECDSA', 'ec'],
      ['RSA-2048', 'RSA', 'rsa'],
    ])('creates a %s key whose Signer signs a SHA-256 digest that verifies with its public key', async (algorithm, keyAlgorithm, nodeType) => {
      const key = await vault.createKey({ algorithm, label: `contract ${algorithm}` })
      expect(key.algorithm).toBe(algorithm)
      expect(key.keyId).toEqual(expect.any(String))
      expect(createPublicKey({ key: Buffer.from(key.publicKeyDer), format: 'der', type: 'spki' }).asymmetricKeyType).toBe(nodeType)
      const signer = await vault.signer(key.keyId)
      expect(signer.keyAlgorithm).toBe(keyAlgorithm)
      const signature = await signer.sign(sha256('hello'))
      expect(verifies(key, 'hello', signature)).toBe(true)
      expect(verifies(key, 'hello!', signature)).toBe(false)
      if (keyAlgorithm === 'ECDSA') expect(signature[0]).toBe(0x30) // DER Ecdsa-Sig-Value
      else expect(signature).toHaveLength(256)
    })

    it('describes a key it holds with the same public key, and nothing for an unknown id', async () => {
      const key = await vault.createKey({ algorithm: 'P-256', label: 'describe' })
      expect(await vault.describeKey(key.keyId)).toEqual(key)
      expect(await vault.describeKey(fixture.unknownKeyId)).toBeUndefined()
      expect(await vault.describeKey('')).toBeUndefined()
      expect(await vault.describeKey('../../etc/passwd')).toBeUndefined()
    })

    it('gives every key its own id and key pair', async () => {
      const [a, b] = await Promise.all([vault.createKey({ algorithm: 'P-256', label: 'a' }), vault.createKey({ algorithm: 'P-256', label: 'b' })])
      expect(a.keyId).not.toBe(b.keyId)
      expect(Buffer.from(a.publicKeyDer).equals(Buffer.from(b.publicKeyDer))).toBe(false)
    })

    it("reports the certificate chain it is given, and refuses a chain that certifies another key", async () => {
      const key = await vault.createKey({ algorithm: 'P-256', label: 'chain' })
      const other = await vault.createKey({ algorithm: 'P-256', label: 'other' })
      const certificate = await certify(key, '张三')
      const signer = await vault.signer(key.keyId, [certificate, ca.issuing.certificateDer])
      expect(await signer.certificateChain()).toEqual([certificate, ca.issuing.certificateDer])
      await expect(vault.signer(other.keyId, [certificate])).rejects.toThrow(/does not certify/)
    })

    it('exposes no key material: a Signer has keyAlgorithm, certificateChain, sign and at most signData and keyMatchesChain', async () => {
      const key = await vault.createKey({ algorithm: 'P-256', label: 'opaque' })
      const signer = await vault.signer(key.keyId)
      expect(Object.keys(signer).filter((k) => k !== 'signData' && k !== 'keyMatchesChain').sort()).toEqual(['certificateChain', 'keyAlgorithm', 'sign'])
      expect(JSON.stringify(signer)).not.toMatch(/PRIVATE|"d"/)
      await expect(signer.sign(new Uint8Array(31))).rejects.toThrow(/32-byte/)
    })

    it('refuses a Signer for an unknown key id with UnknownKeyError', async () => {
      await expect(vault.signer(fixture.unknownKeyId)).rejects.toBeInstanceOf(UnknownKeyError)
    })

    it('destroys a key: no longer described, no new Signer, and an existing Signer stops signing', async () => {
      const key = await vault.createKey({ algorithm: 'P-256', label: 'doomed' })
      const signer = await vault.signer(key.keyId)
      await signer.sign(sha256('before'))
      await vault.destroyKey(key.keyId)
      expect(await vault.describeKey(key.keyId)).toBeUndefined()
      await expect(vault.signer(key.keyId)).rejects.toBeInstanceOf(UnknownKeyError)
      await expect(signer.sign(sha256('after'))).rejects.toThrow()
      if (signer.signData) await expect(signer.signData(Buffer.from('after'))).rejects.toThrow()
      // Destroying again, or an unknown key, is not an error.
      await vault.destroyKey(key.keyId)
      await vault.destroyKey(fixture.unknownKeyId)
    })

    it('signData, where the vault offers it, signs SHA-256 of the bytes with the same key as sign', async () => {
      const key = await vault.createKey({ algorithm: 'P-256', label: 'data' })
      const signer = await vault.signer(key.keyId)
      const publicKey = createPublicKey({ key: Buffer.from(key.publicKeyDer), format: 'der', type: 'spki' })
      expect(typeof signer.signData === 'function').toBe(fixture.signsData)
      if (!signer.signData) return
      const data = Buffer.from('签名属性 DER')
      expect(verify('sha256', data, publicKey, await signer.signData(data))).toBe(true)
      expect(verify('sha256', data, publicKey, await signer.sign(sha256('签名属性 DER')))).toBe(true)
    })

    it('signs concurrently', async () => {
      const key = await vault.createKey({ algorithm: 'P-256', label: 'concurrent' })
      const signer = await vault.signer(key.keyId)
      const signatures = await Promise.all(Array.from({ length: 20 }, (_, i) => signer.sign(sha256(`m${i}`))))
      signatures.forEach((s, i) => expect(verifies(key, `m${i}`, s)).toBe(true))
    })
  })
}
