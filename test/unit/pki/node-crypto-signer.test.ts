import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto'
import { inspect } from 'node:util'
import { createNodeCryptoSigner } from '../../../cloud-functions/core/pki/node-crypto-signer'
import { hierarchy } from '../../interop/pki/support/fixtures'

const sha256 = (m: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(m).digest())

describe('createNodeCryptoSigner', () => {
  it.each([
    ['RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'RSA'],
    ['ECDSA P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'ECDSA'],
    ['ECDSA P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, 'ECDSA'],
  ] as const)('%s: sign(SHA-256(m)) is a signature Node crypto verifies over m', async (_label, makeKey, algorithm) => {
    // Prepare
    const key = makeKey()
    const signer = createNodeCryptoSigner(key)
    const publicKey = createPublicKey(key)
    // Act / Assess: several messages, so the ECDSA nonce path runs more than once.
    expect(signer.keyAlgorithm).toBe(algorithm)
    for (let i = 0; i < 25; i++) {
      const message = `message ${i}`
      const signature = await signer.sign(sha256(message))
      expect(verify('sha256', Buffer.from(message), publicKey, signature)).toBe(true)
      expect(verify('sha256', Buffer.from(message + '!'), publicKey, signature)).toBe(false)
    }
  })

  it.each([
    ['RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
    ['ECDSA P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
    ['ECDSA P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
  ] as const)('%s: signData(m) is the same kind of signature as sign(SHA-256(m)), verified over m', async (_label, makeKey) => {
    const key = makeKey()
    const signer = createNodeCryptoSigner(key)
    const publicKey = createPublicKey(key)
    for (let i = 0; i < 10; i++) {
      const message = Buffer.from(`签署数据 ${i}`)
      const signature = await signer.signData!(message)
      expect(verify('sha256', message, publicKey, signature)).toBe(true)
      expect(verify('sha256', Buffer.concat([message, Buffer.from('!')]), publicKey, signature)).toBe(false)
      // RSA PKCS#1 v1.5 is deterministic: both paths give the same bytes.
      if (key.asymmetricKeyType === 'rsa') expect(Buffer.from(signature)).toEqual(Buffer.from(await signer.sign(sha256(message))))
      else expect(signature[0]).toBe(0x30)
    }
  })

  it('ECDSA signatures are DER Ecdsa-Sig-Value of at most 72 bytes on P-256', async () => {
    const signer = createNodeCryptoSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
    for (let i = 0; i < 50; i++) {
      const s = await signer.sign(sha256(String(i)))
      expect(s[0]).toBe(0x30)
      expect(s.length).toBeLessThanOrEqual(72)
    }
  })

  it('refuses anything but a 32-byte digest', async () => {
    const signer = createNodeCryptoSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
    await expect(signer.sign(new Uint8Array(20))).rejects.toThrow('32-byte')
  })

  it('refuses a chain whose first certificate holds another key', async () => {
    const ca = await hierarchy()
    expect(() => createNodeCryptoSigner(ca.tsa.privateKey, [ca.issuing.certificateDer])).toThrow('does not match')
    expect(() => createNodeCryptoSigner(ca.tsa.privateKey, [ca.tsa.certificateDer])).not.toThrow()
  })

  it('refuses key types it cannot sign with when it is made; a curve without a digest path signs data only', async () => {
    expect(() => createNodeCryptoSigner(generateKeyPairSync('ed25519').privateKey)).toThrow('unsupported key type')
    const key = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey
    const signer = createNodeCryptoSigner(key)
    expect(verify('sha256', Buffer.from('m'), createPublicKey(key), await signer.signData!(Buffer.from('m')))).toBe(true)
    await expect(signer.sign(sha256('m'))).rejects.toThrow('unsupported EC curve')
  })

  it('exposes only keyAlgorithm, keyMatchesChain, certificateChain, sign and signData; the key is not reachable', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    const d = key.export({ format: 'jwk' }).d!
    const signer = createNodeCryptoSigner(key)
    expect(Object.keys(signer).sort()).toEqual(['certificateChain', 'keyAlgorithm', 'keyMatchesChain', 'sign', 'signData'])
    expect(Object.isFrozen(signer)).toBe(true)
    expect(JSON.stringify(signer)).not.toContain(d)
    expect(inspect(signer, { showHidden: true, depth: 10 })).not.toContain(d)
    expect(inspect(signer, { showHidden: true, depth: 10 })).not.toContain('KeyObject')
  })

  it('singleUse: the second signature is refused', async () => {
    const signer = createNodeCryptoSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, [], { singleUse: true })
    await signer.sign(sha256('a'))
    await expect(signer.sign(sha256('b'))).rejects.toThrow('already signed')
    await expect(signer.signData!(Buffer.from('b'))).rejects.toThrow('already signed')
  })

  it('singleUse: one signature in all, whichever method makes it', async () => {
    const signer = createNodeCryptoSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, [], { singleUse: true })
    await signer.signData!(Buffer.from('a'))
    await expect(signer.signData!(Buffer.from('b'))).rejects.toThrow('already signed')
    await expect(signer.sign(sha256('b'))).rejects.toThrow('already signed')
  })

  it('publicKeyDer given by the caller is still compared with the chain', async () => {
    const ca = await hierarchy()
    const other = new Uint8Array(createPublicKey(ca.issuing.privateKey).export({ type: 'spki', format: 'der' }))
    const own = new Uint8Array(createPublicKey(ca.tsa.privateKey).export({ type: 'spki', format: 'der' }))
    expect(() => createNodeCryptoSigner(ca.tsa.privateKey, [ca.tsa.certificateDer], { publicKeyDer: other })).toThrow('does not match')
    expect(() => createNodeCryptoSigner(ca.tsa.privateKey, [ca.tsa.certificateDer], { publicKeyDer: own })).not.toThrow()
  })

  it('certificateChain returns copies', async () => {
    const ca = await hierarchy()
    const signer = ca.issuing.signer
    const chain = await signer.certificateChain()
    chain[0][0] = 0
    expect((await signer.certificateChain())[0][0]).toBe(0x30)
  })
})
