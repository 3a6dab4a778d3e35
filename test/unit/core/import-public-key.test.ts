import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { importPublicKey } from '../../../cloud-functions/core/shared/import-public-key'

const spkiOf = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' })
/** Where the key's BIT STRING keeps its count of unused bits (after the outer header and the AlgorithmIdentifier). */
const unusedBitsAt = (d: Buffer): number => {
  const header = (at: number): number => (d[at + 1]! & 0x80 ? 2 + (d[at + 1]! & 0x7f) : 2)
  const bits = header(0) + 2 + d[header(0) + 1]!
  return bits + header(bits)
}
const viaDer = (der: Uint8Array): KeyObject => createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })

describe('importPublicKey', () => {
  const keys: Array<[string, { privateKey: KeyObject; publicKey: KeyObject }]> = [
    ['P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' })],
    ['P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' })],
    ['RSA-2048', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['RSA-1024, exponent 3', generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 })],
  ]

  it.each(keys)('reads a %s key as the same key as the DER decoder, and it verifies', (_, pair) => {
    const der = spkiOf(pair.publicKey)
    const key = importPublicKey(der)
    expect(spkiOf(key).equals(der)).toBe(true)
    expect(key.asymmetricKeyDetails).toEqual(viaDer(der).asymmetricKeyDetails)
    const data = Buffer.from('签约 evidence')
    expect(verify('sha256', data, key, sign('sha256', data, pair.privateKey))).toBe(true)
    expect(verify('sha256', Buffer.from('other'), key, sign('sha256', data, pair.privateKey))).toBe(false)
  })

  it('rejects a P-256 point that is not on the curve, as the DER decoder does', () => {
    const der = Buffer.from(spkiOf(keys[0]![1].publicKey))
    der[der.length - 1] ^= 0x01
    expect(() => viaDer(der)).toThrow()
    expect(() => importPublicKey(der)).toThrow()
  })

  it('hands a compressed point to the DER decoder, which reads the same key', () => {
    const der = spkiOf(keys[0]![1].publicKey)
    const y = der.subarray(der.length - 32)
    // SEQUENCE { AlgorithmIdentifier (21 bytes), BIT STRING { 00, 02|03, x } }
    const compressed = Buffer.concat([Buffer.from('3039', 'hex'), der.subarray(2, 2 + 21), Buffer.from('032200', 'hex'), Buffer.from([0x02 | (y[31]! & 1)]), der.subarray(der.length - 64, der.length - 32)])
    const key = importPublicKey(compressed)
    expect(spkiOf(key).equals(spkiOf(viaDer(compressed)))).toBe(true)
    const data = Buffer.from('data')
    expect(verify('sha256', data, key, sign('sha256', data, keys[0]![1].privateKey))).toBe(true)
  })

  it.each([
    ['trailing bytes', (d: Buffer) => Buffer.concat([d, Buffer.from([0])])],
    ['a truncated key', (d: Buffer) => d.subarray(0, d.length - 1)],
    ['a long-form length where the short form fits', (d: Buffer) => Buffer.concat([Buffer.from([0x30, 0x81, d[1]!]), d.subarray(2)])],
    ['unused bits in the key', (d: Buffer) => Buffer.from(d).fill(1, unusedBitsAt(d), unusedBitsAt(d) + 1)],
  ])('leaves %s to the DER decoder: the same key or the same refusal', (_, mangle) => {
    // OpenSSL's decoder is lenient with some of these; the fast path reads only strict DER.
    for (const [, pair] of keys.slice(0, 4)) {
      const bad = mangle(spkiOf(pair.publicKey))
      const outcome = (read: (der: Uint8Array) => KeyObject): string => {
        try {
          return spkiOf(read(bad)).toString('hex')
        } catch {
          return 'refused'
        }
      }
      expect(outcome(importPublicKey)).toBe(outcome(viaDer))
    }
  })

  it('reads an Ed25519 key through the DER decoder', () => {
    const { publicKey } = generateKeyPairSync('ed25519')
    expect(spkiOf(importPublicKey(spkiOf(publicKey))).equals(spkiOf(publicKey))).toBe(true)
  })
})
