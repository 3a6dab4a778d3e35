/**
 * Envelope encryption of a data key: a key that never leaves its vault (AWS KMS) makes a data key
 * and hands back its plaintext and a wrapped copy; only the wrapped copy is stored, and unwrapping
 * it needs the vault again. The personal-data key of AWS deployments (runtime/services.ts).
 */
export interface DataKeyWrapper {
  /** A new 32-byte data key and its wrapped copy (all that may be stored). */
  generate(): Promise<{ dataKey: Uint8Array; wrapped: WrappedByVault }>
  /** The data key back from its wrapped copy. */
  unwrap(wrapped: WrappedByVault): Promise<Uint8Array>
}

/** A data key wrapped by a vault key: which key, and the vault's ciphertext (base64). */
export type WrappedByVault = { v: 1; vault: 'aws-kms'; keyId: string; ciphertext: string }

export class DataKeyWrapperError extends Error {
  override name = 'DataKeyWrapperError'
}
