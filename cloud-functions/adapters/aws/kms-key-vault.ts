import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  KMSServiceException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type KMSClient,
} from '@aws-sdk/client-kms'
import { assertCertifiesKey } from '../../core/pki/certificate-info'
import { KeyVaultError, UnknownKeyError, type KeyVault, type VaultKey, type VaultKeyAlgorithm } from '../../ports/key-vault'
import type { Signer } from '../../ports/signer'

export type KmsKeyVaultOptions = {
  client: KMSClient
  /** Tags put on every key this vault creates (KMS `Tags`), e.g. `{ app: 'qianyue', stage: 'prod' }`. */
  tags?: Record<string, string>
}

const KEY_SPECS: Record<VaultKeyAlgorithm, { keySpec: 'ECC_NIST_P256' | 'RSA_2048'; signing: 'ECDSA_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_256' }> = {
  'P-256': { keySpec: 'ECC_NIST_P256', signing: 'ECDSA_SHA_256' },
  'RSA-2048': { keySpec: 'RSA_2048', signing: 'RSASSA_PKCS1_V1_5_SHA_256' },
}

/** KMS errors that mean "no usable key by that id": not found, pending deletion, disabled, malformed id. */
const GONE = new Set(['NotFoundException', 'KMSInvalidStateException', 'DisabledException', 'InvalidArnException', 'ValidationException'])

/**
 * The AWS KMS {@link KeyVault}: asymmetric KMS keys (`ECC_NIST_P256` or `RSA_2048`, key usage
 * `SIGN_VERIFY`) that never leave KMS. A Signer calls `Sign` with `MessageType: DIGEST` on the
 * SHA-256 digest the CMS/X.509 code computed (`ECDSA_SHA_256` → DER `Ecdsa-Sig-Value`;
 * `RSASSA_PKCS1_V1_5_SHA_256` → PKCS#1 v1.5), so the document never goes to KMS. Public keys are
 * read with `GetPublicKey` once per key and process.
 *
 * @example
 * const vault = new KmsKeyVault({ client: new KMSClient({ region }) })
 * const signer = await vault.signer(config.kms.issuingKeyId, [issuingCaDer])
 */
export class KmsKeyVault implements KeyVault {
  private readonly keys = new Map<string, Promise<VaultKey | undefined>>()

  constructor(private readonly options: KmsKeyVaultOptions) {}

  async createKey(spec: { algorithm: VaultKeyAlgorithm; label: string }): Promise<VaultKey> {
    const kind = KEY_SPECS[spec.algorithm]
    if (!kind) throw new TypeError(`unsupported key algorithm: ${String(spec.algorithm)}`)
    const tags = Object.entries(this.options.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue }))
    const created = await this.call('CreateKey', () =>
      this.options.client.send(
        new CreateKeyCommand({ KeySpec: kind.keySpec, KeyUsage: 'SIGN_VERIFY', Description: spec.label.slice(0, 8192), ...(tags.length ? { Tags: tags } : {}) }),
      ),
    )
    const keyId = created.KeyMetadata?.KeyId
    if (!keyId) throw new KeyVaultError('KMS CreateKey answered without a key id')
    const key = await this.describeKey(keyId)
    if (!key) throw new KeyVaultError(`KMS does not describe the key it just created (${keyId})`)
    return key
  }

  describeKey(keyId: string): Promise<VaultKey | undefined> {
    if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > 2048) return Promise.resolve(undefined)
    let known = this.keys.get(keyId)
    if (!known) {
      known = this.fetchPublicKey(keyId)
      this.keys.set(keyId, known)
      // A failure (or an unknown key) is not remembered: the next call asks KMS again.
      known.then((k) => k ?? this.keys.delete(keyId), () => this.keys.delete(keyId))
    }
    return known
  }

  async signer(keyId: string, certificateChain: Uint8Array[] = []): Promise<Signer> {
    const key = await this.describeKey(keyId)
    if (!key) throw new UnknownKeyError(keyId)
    if (certificateChain.length > 0) assertCertifiesKey(certificateChain[0], key.publicKeyDer, keyId)
    const chain = certificateChain.map((c) => new Uint8Array(c))
    const signingAlgorithm = KEY_SPECS[key.algorithm].signing
    const client = this.options.client
    return Object.freeze({
      keyAlgorithm: key.algorithm === 'RSA-2048' ? 'RSA' : 'ECDSA',
      certificateChain: async () => chain.map((c) => new Uint8Array(c)),
      sign: async (digest: Uint8Array) => {
        if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new Error('sign() takes a 32-byte SHA-256 digest')
        const r = await this.call('Sign', () =>
          client.send(new SignCommand({ KeyId: key.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: signingAlgorithm })),
        )
        if (!r.Signature) throw new KeyVaultError(`KMS Sign answered without a signature (${keyId})`)
        return new Uint8Array(r.Signature)
      },
    } satisfies Signer)
  }

  async destroyKey(keyId: string): Promise<void> {
    this.keys.delete(keyId)
    try {
      await this.options.client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))
    } catch (e) {
      if (e instanceof KMSServiceException && GONE.has(e.name)) return
      throw new KeyVaultError(`KMS ScheduleKeyDeletion failed for ${keyId}`, { cause: e })
    }
  }

  describe(): { kind: string } {
    return { kind: 'aws-kms' }
  }

  private async fetchPublicKey(keyId: string): Promise<VaultKey | undefined> {
    let r
    try {
      r = await this.options.client.send(new GetPublicKeyCommand({ KeyId: keyId }))
    } catch (e) {
      if (e instanceof KMSServiceException && GONE.has(e.name)) return undefined
      throw new KeyVaultError(`KMS GetPublicKey failed for ${keyId}`, { cause: e })
    }
    const algorithm = (Object.keys(KEY_SPECS) as VaultKeyAlgorithm[]).find((a) => KEY_SPECS[a].keySpec === r.KeySpec)
    if (!algorithm || r.KeyUsage !== 'SIGN_VERIFY' || !r.PublicKey) {
      throw new KeyVaultError(`KMS key ${keyId} is not an ECC_NIST_P256 / RSA_2048 SIGN_VERIFY key (${r.KeySpec}, ${r.KeyUsage})`)
    }
    return { keyId, algorithm, publicKeyDer: new Uint8Array(r.PublicKey) }
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send()
    } catch (e) {
      throw new KeyVaultError(`KMS ${operation} failed${e instanceof Error ? `: ${e.name}: ${e.message}` : ''}`, { cause: e })
    }
  }
}
