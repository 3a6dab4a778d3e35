import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/**
 * What personal data is, for encryption and lookup: ID numbers, mobile numbers, bank accounts.
 * The kind is bound into every ciphertext (associated data) and every lookup hash, so a value
 * cannot be moved from one field to another, and equal values of different kinds hash apart.
 */
export type PersonalDataKind = 'id-number' | 'phone' | 'bank-account' | 'name' | 'wechat-openid' | 'ip-address' | 'email' | 'webhook-secret'

/** The two keys derived from one data key: one encrypts, one makes lookup hashes. */
export type PersonalDataKeys = {
  /** AES-256-GCM key for {@link encryptPersonalData}. */
  encryption: Uint8Array
  /** HMAC-SHA256 key for {@link lookupHash}. */
  lookup: Uint8Array
  /** Salt of the certificate subject serialNumber (`identitySerialNumber`). */
  identitySalt: Uint8Array
}

const CIPHERTEXT_PREFIX = 'pii1'
const WRAP_AAD = 'qianyue/pii/data-key/v1'

/**
 * Derive the working keys from a 32-byte data key (HKDF-SHA256, one `info` label per key), so the
 * encryption key never doubles as a MAC key.
 */
export function derivePersonalDataKeys(dataKey: Uint8Array): PersonalDataKeys {
  if (dataKey.length !== 32) throw new Error('data key must be 32 bytes')
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', dataKey, new Uint8Array(0), info, 32))
  return {
    encryption: derive('qianyue/pii/encryption/v1'),
    lookup: derive('qianyue/pii/lookup/v1'),
    identitySalt: derive('qianyue/pii/identity-serial/v1'),
  }
}

/**
 * Encrypt one value: AES-256-GCM with a random 96-bit IV, `kind` as associated data. The result is
 * `pii1.<iv>.<tag>.<ciphertext>` (base64url), safe to store in any attribute.
 *
 * @example
 * const stored = encryptPersonalData(keys, 'phone', '13812345678')
 * decryptPersonalData(keys, 'phone', stored) // '13812345678'
 */
export function encryptPersonalData(keys: PersonalDataKeys, kind: PersonalDataKind, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv)
  cipher.setAAD(Buffer.from(`qianyue/pii/v1/${kind}`))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [CIPHERTEXT_PREFIX, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.')
}

/** Decrypt a value made by {@link encryptPersonalData}; throws (a bug or tampering) when it does not authenticate. */
export function decryptPersonalData(keys: PersonalDataKeys, kind: PersonalDataKind, stored: string): string {
  const parts = String(stored).split('.')
  if (parts.length !== 4 || parts[0] !== CIPHERTEXT_PREFIX) throw new Error(`not an encrypted ${kind} value`)
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(parts[1]!, 'base64url'))
  decipher.setAAD(Buffer.from(`qianyue/pii/v1/${kind}`))
  decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'))
  try {
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    throw new Error(`cannot decrypt a stored ${kind} value (wrong key, or the record was altered)`)
  }
}

/**
 * The lookup hash of a value: lowercase hex HMAC-SHA256 under the lookup key, over `kind` and the
 * value. Equal values give equal hashes, so records are found by it, while the hash reveals nothing
 * without the key (a plain SHA-256 of an 18-digit ID number could be brute-forced).
 *
 * @example
 * lookupHash(keys, 'phone', '13812345678') // 'a3f1…' (64 hex)
 */
export function lookupHash(keys: PersonalDataKeys, kind: PersonalDataKind, value: string): string {
  return createHmac('sha256', keys.lookup).update(`${kind}\u0000${value}`, 'utf8').digest('hex')
}

/** A data key wrapped under the master key (AES-256-GCM), as stored beside the data. */
export type WrappedDataKey = { v: 1; alg: 'A256GCM'; iv: string; tag: string; ciphertext: string }

/** Wrap a 32-byte data key under the 32-byte master key. */
export function wrapDataKey(masterKey: Uint8Array, dataKey: Uint8Array): WrappedDataKey {
  if (masterKey.length !== 32 || dataKey.length !== 32) throw new Error('master key and data key must be 32 bytes')
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv)
  cipher.setAAD(Buffer.from(WRAP_AAD))
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()])
  return { v: 1, alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') }
}

/** Unwrap a data key made by {@link wrapDataKey}; throws when the master key is wrong or the record was altered. */
export function unwrapDataKey(masterKey: Uint8Array, wrapped: WrappedDataKey): Uint8Array {
  if (wrapped?.v !== 1 || wrapped.alg !== 'A256GCM') throw new Error('not a v1 A256GCM wrapped data key')
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(wrapped.iv, 'base64'))
    decipher.setAAD(Buffer.from(WRAP_AAD))
    decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'))
    return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(wrapped.ciphertext, 'base64')), decipher.final()]))
  } catch {
    throw new Error('cannot unwrap the personal-data key (wrong master key, or the record was altered)')
  }
}
