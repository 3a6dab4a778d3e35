import { createHash } from 'node:crypto'
import type { Signer } from '../../ports/signer'

/**
 * The signature of `signer` over SHA-256 of `data`: in one step when the signer can sign data
 * (`signData`, a key held in this process), else over the digest (`sign`, e.g. KMS). Both give a
 * signature that verifies as sha256WithRSAEncryption / ecdsa-with-SHA256 over `data`.
 *
 * @example
 * const signature = await signSha256(signer, tbsDer)
 */
export function signSha256(signer: Signer, data: Uint8Array): Promise<Uint8Array> {
  if (signer.signData) return signer.signData(data)
  return signer.sign(new Uint8Array(createHash('sha256').update(data).digest()))
}
