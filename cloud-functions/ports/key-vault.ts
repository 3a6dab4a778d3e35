import type { Signer } from './signer'

/** Key types a vault creates: ECDSA on P-256 (the default) or RSA-2048 (PKCS#1 v1.5 signatures). */
export type VaultKeyAlgorithm = 'P-256' | 'RSA-2048'

/** What a vault says about one of its keys. */
export type VaultKey = {
  /** The vault's id of the key (a KMS key id, or a local id): what the certificate registry records. */
  keyId: string
  algorithm: VaultKeyAlgorithm
  /** DER SubjectPublicKeyInfo: what a certificate for this key certifies. */
  publicKeyDer: Uint8Array
}

/**
 * Key custody: keys that never leave the vault, used through a {@link Signer}. Implemented by
 * `adapters/local/local-key-vault.ts` (PKCS#8 keys wrapped with AES-256-GCM under a master key,
 * in files) and `adapters/aws/kms-key-vault.ts` (AWS KMS asymmetric keys, `Sign` with
 * `MessageType: DIGEST`); both pass `test/adapters/key-vault.contract.ts`.
 *
 * Certificates are not kept here: the certificate registry (metadata store) records which
 * certificate certifies which `keyId`, and the caller hands that chain to {@link KeyVault.signer}.
 *
 * - An unknown (or destroyed) key id is an expected outcome for `describeKey` (`undefined`);
 *   `signer` throws {@link UnknownKeyError} for it, and a Signer whose key was destroyed later
 *   rejects every `sign()`.
 * - A backend failure (I/O, network, KMS throttling) throws {@link KeyVaultError}.
 */
export interface KeyVault {
  /** Create a new signing key. `label` is descriptive only (a KMS description, a log line). */
  createKey(spec: { algorithm: VaultKeyAlgorithm; label: string }): Promise<VaultKey>
  /** The key's algorithm and public key, or `undefined` when the vault does not hold it (or it was destroyed). */
  describeKey(keyId: string): Promise<VaultKey | undefined>
  /**
   * A Signer over the key. `certificateChain` (DER, the key's certificate first) is what the Signer
   * reports; when given, its first certificate must certify this key's public key. Empty for a key
   * that signs its own certificate (a root) or whose certificate does not exist yet.
   */
  signer(keyId: string, certificateChain?: Uint8Array[]): Promise<Signer>
  /**
   * Make the key unusable for good (renewal supersedes it, compromise, account closure). KMS
   * schedules the deletion (its shortest waiting period, 7 days; signing is refused at once);
   * the local vault removes the wrapped key. Destroying an unknown or destroyed key is not an error.
   */
  destroyKey(keyId: string): Promise<void>
  /** What backs this vault, for logs and `/api/health`. */
  describe(): { kind: string }
}

/** {@link KeyVault.signer} for a key id the vault does not hold. */
export class UnknownKeyError extends Error {
  override readonly name = 'UnknownKeyError'
  constructor(readonly keyId: string) {
    super(`the key vault holds no key ${JSON.stringify(keyId)}`)
  }
}

/** The backend behind a {@link KeyVault} failed, or refused an operation on a key. */
export class KeyVaultError extends Error {
  override readonly name = 'KeyVaultError'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
  }
}
