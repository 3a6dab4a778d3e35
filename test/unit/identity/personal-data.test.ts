import { randomBytes } from 'node:crypto'
import {
  decryptPersonalData,
  derivePersonalDataKeys,
  encryptPersonalData,
  lookupHash,
  unwrapDataKey,
  wrapDataKey,
} from '../../../cloud-functions/core/identity/personal-data'
import { maskBankAccount, maskIdNumber, maskPhone } from '../../../cloud-functions/core/shared/mask'

describe('personal data: AES-256-GCM at rest, HMAC lookup hashes, masks', () => {
  const keys = derivePersonalDataKeys(new Uint8Array(32).fill(7))

  it('round-trips, with a fresh IV each time, and the ciphertext reveals nothing of the value', () => {
    // Act
    const a = encryptPersonalData(keys, 'id-number', '110101199003070011')
    const b = encryptPersonalData(keys, 'id-number', '110101199003070011')

    // Assess
    expect(a).not.toBe(b)
    expect(a).toMatch(/^pii1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/)
    expect(a).not.toContain('110101')
    expect(decryptPersonalData(keys, 'id-number', a)).toBe('110101199003070011')
  })

  it('binds the kind: an ID-number ciphertext does not decrypt as a phone; a flipped byte fails', () => {
    const c = encryptPersonalData(keys, 'id-number', '110101199003070011')
    expect(() => decryptPersonalData(keys, 'phone', c)).toThrow(/cannot decrypt/)
    const parts = c.split('.')
    const ct = Buffer.from(parts[3]!, 'base64url')
    ct[0] ^= 1
    expect(() => decryptPersonalData(keys, 'id-number', [parts[0], parts[1], parts[2], ct.toString('base64url')].join('.'))).toThrow(/cannot decrypt/)
    expect(() => decryptPersonalData(derivePersonalDataKeys(new Uint8Array(32).fill(8)), 'id-number', c)).toThrow(/cannot decrypt/)
  })

  it('lookup hashes are stable per key and kind, and differ across keys and kinds', () => {
    const h = lookupHash(keys, 'phone', '13800000001')
    expect(h).toMatch(/^[0-9a-f]{64}$/)
    expect(lookupHash(keys, 'phone', '13800000001')).toBe(h)
    expect(lookupHash(keys, 'bank-account', '13800000001')).not.toBe(h)
    expect(lookupHash(derivePersonalDataKeys(new Uint8Array(32).fill(9)), 'phone', '13800000001')).not.toBe(h)
  })

  it('wraps the data key under the master key, and refuses another master key', () => {
    const master = new Uint8Array(randomBytes(32))
    const dataKey = new Uint8Array(randomBytes(32))
    const wrapped = wrapDataKey(master, dataKey)
    expect(Buffer.from(unwrapDataKey(master, wrapped)).equals(Buffer.from(dataKey))).toBe(true)
    expect(JSON.stringify(wrapped)).not.toContain(Buffer.from(dataKey).toString('base64'))
    expect(() => unwrapDataKey(new Uint8Array(randomBytes(32)), wrapped)).toThrow(/cannot unwrap/)
  })

  it('masks as the product shows them', () => {
    expect(maskIdNumber('330106199501010057')).toBe('3301**********0057')
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskBankAccount('6222021234567890123')).toBe('6222***********0123')
  })
})
