import { createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { assertCertifiesKey } from '../../core/pki/certificate-info'
import { createNodeCryptoSigner } from '../../core/pki/node-crypto-signer'
import { KeyVaultError, UnknownKeyError, type KeyVault, type VaultKey, type VaultKeyAlgorithm } from '../../ports/key-vault'
import type { Signer } from '../../ports/signer'
import { unwrapPrivateKey, wrapPrivateKey, type KeyEnvelope } from './key-envelope'

export type LocalKeyVaultOptions = {
  /** Folder of the wrapped keys (created 0700 on first write), e.g. `<dataDir>/pki/vault`. */
  directory: string
  /** The 32-byte master key that wraps every key (the local CA's: `ESIGN_MASTER_KEY` or `pki/master.key`). */
  masterKey: Uint8Array
}

const KEY_ID = /^lk_[0-9a-f]{32}$/

/**
 * The local {@link KeyVault}: each key is a PKCS#8 private key wrapped with AES-256-GCM under the
 * master key (the same envelope as the local CA's keys, `key-envelope.ts`, bound to
 * `vault/<keyId>`), in `<directory>/<keyId>.key.enc` (0600). Key ids are `lk_` + 32 hex digits.
 * Unwrapped keys stay in this process's memory only, inside Signers.
 *
 * @example
 * const vault = new LocalKeyVault({ directory: join(dataDir, 'pki', 'vault'), masterKey })
 * const { keyId, publicKeyDer } = await vault.createKey({ algorithm: 'P-256', label: 'long-term 张三' })
 * const signer = await vault.signer(keyId, [certificateDer, issuingCaDer])
 */
const generateKeyPairAsync = promisify(generateKeyPair)

export class LocalKeyVault implements KeyVault {
  private readonly destroyed = new Set<string>()

  constructor(private readonly options: LocalKeyVaultOptions) {
    if (options.masterKey.length !== 32) throw new Error('masterKey must be 32 bytes')
  }

  async createKey(spec: { algorithm: VaultKeyAlgorithm; label: string }): Promise<VaultKey> {
    if (spec.algorithm !== 'P-256' && spec.algorithm !== 'RSA-2048') throw new TypeError(`unsupported key algorithm: ${String(spec.algorithm)}`)
    // On libuv's thread pool (the async `generateKeyPair`), not on the event loop: an RSA key takes tens of milliseconds.
    const { privateKey } = spec.algorithm === 'P-256' ? await generateKeyPairAsync('ec', { namedCurve: 'P-256' }) : await generateKeyPairAsync('rsa', { modulusLength: 2048 })
    const keyId = `lk_${randomBytes(16).toString('hex')}`
    const envelope = wrapPrivateKey(`vault/${keyId}`, privateKey, this.options.masterKey)
    try {
      await mkdir(this.options.directory, { recursive: true, mode: 0o700 })
      const handle = await open(this.file(keyId), 'wx', 0o600)
      try {
        await handle.writeFile(JSON.stringify(envelope))
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch (e) {
      throw new KeyVaultError(`cannot store the new key in ${this.options.directory}`, { cause: e })
    }
    return describe(keyId, privateKey)
  }

  async describeKey(keyId: string): Promise<VaultKey | undefined> {
    const key = await this.privateKey(keyId)
    return key && describe(keyId, key)
  }

  async signer(keyId: string, certificateChain: Uint8Array[] = []): Promise<Signer> {
    const key = await this.privateKey(keyId)
    if (!key) throw new UnknownKeyError(keyId)
    if (certificateChain.length > 0) assertCertifiesKey(certificateChain[0], describe(keyId, key).publicKeyDer, keyId)
    const inner = createNodeCryptoSigner(key, certificateChain)
    return Object.freeze({
      keyAlgorithm: inner.keyAlgorithm,
      keyMatchesChain: inner.keyMatchesChain,
      certificateChain: () => inner.certificateChain(),
      sign: async (digest: Uint8Array) => {
        if (this.destroyed.has(keyId)) throw new KeyVaultError(`key ${keyId} was destroyed`)
        return inner.sign(digest)
      },
      signData: async (data: Uint8Array) => {
        if (this.destroyed.has(keyId)) throw new KeyVaultError(`key ${keyId} was destroyed`)
        return inner.signData!(data)
      },
    })
  }

  async destroyKey(keyId: string): Promise<void> {
    if (!KEY_ID.test(keyId)) return
    this.destroyed.add(keyId)
    try {
      await rm(this.file(keyId), { force: true })
    } catch (e) {
      throw new KeyVaultError(`cannot remove key ${keyId}`, { cause: e })
    }
  }

  describe(): { kind: string } {
    return { kind: 'local (AES-256-GCM wrapped keys)' }
  }

  private file(keyId: string): string {
    return join(this.options.directory, `${keyId}.key.enc`)
  }

  private async privateKey(keyId: string): Promise<KeyObject | undefined> {
    if (typeof keyId !== 'string' || !KEY_ID.test(keyId) || this.destroyed.has(keyId)) return undefined
    let text: string
    try {
      text = await readFile(this.file(keyId), 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new KeyVaultError(`cannot read key ${keyId}`, { cause: e })
    }
    try {
      return unwrapPrivateKey(`vault/${keyId}`, JSON.parse(text) as KeyEnvelope, this.options.masterKey, this.file(keyId))
    } catch (e) {
      throw new KeyVaultError((e as Error).message, { cause: e })
    }
  }
}

function describe(keyId: string, privateKey: KeyObject): VaultKey {
  return {
    keyId,
    algorithm: privateKey.asymmetricKeyType === 'rsa' ? 'RSA-2048' : 'P-256',
    publicKeyDer: new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })),
  }
}
