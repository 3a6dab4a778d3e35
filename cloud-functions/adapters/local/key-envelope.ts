import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto'

/**
 * A private key as the local adapters store it: PKCS#8 DER encrypted with AES-256-GCM under the
 * master key, in a JSON envelope with a random 96-bit IV and the tag. `role` names what the key is
 * (a CA role such as `issuing`, or `vault/<keyId>`) and is bound in as associated data
 * (`qianyue/pki/v1/<role>`), so an envelope cannot be swapped for another key's.
 */
export type KeyEnvelope = { v: 1; alg: 'A256GCM'; role: string; iv: string; tag: string; ciphertext: string }

/** Encrypt `privateKey` for storage under `masterKey` (32 bytes), bound to `role`. */
export function wrapPrivateKey(role: string, privateKey: KeyObject, masterKey: Uint8Array): KeyEnvelope {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv)
  cipher.setAAD(Buffer.from(`qianyue/pki/v1/${role}`))
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' })
  try {
    const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()])
    return { v: 1, alg: 'A256GCM', role, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') }
  } finally {
    pkcs8.fill(0)
  }
}

/**
 * Decrypt an envelope made by {@link wrapPrivateKey} for `role`. A wrong master key, an altered
 * file or an envelope of another role throws an Error naming `where` (the file), never the key.
 */
export function unwrapPrivateKey(role: string, envelope: KeyEnvelope, masterKey: Uint8Array, where: string): KeyObject {
  if (envelope?.v !== 1 || envelope.alg !== 'A256GCM' || envelope.role !== role) throw new Error(`${where}: not a v1 A256GCM key for ${role}`)
  let pkcs8: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(envelope.iv, 'base64'))
    decipher.setAAD(Buffer.from(`qianyue/pki/v1/${role}`))
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'))
    pkcs8 = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()])
  } catch {
    throw new Error(`${where}: cannot decrypt (wrong master key, or the file was altered)`)
  }
  try {
    return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
  } finally {
    pkcs8.fill(0)
  }
}
