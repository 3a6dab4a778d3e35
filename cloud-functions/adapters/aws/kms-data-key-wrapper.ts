import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms'
import { DataKeyWrapperError, type DataKeyWrapper, type WrappedByVault } from '../../ports/data-key-wrapper'

/**
 * The {@link DataKeyWrapper} over a symmetric AWS KMS key (`SYMMETRIC_DEFAULT`, `ENCRYPT_DECRYPT`):
 * `GenerateDataKey` (AES_256) makes the data key, `Decrypt` unwraps it. Every call carries the
 * encryption context `{ purpose }`, which KMS binds to the ciphertext and which the IAM policies
 * require (`kms:EncryptionContext:purpose`): the key cannot be used to unwrap anything else.
 *
 * @example
 * const wrapper = new KmsDataKeyWrapper({ client: new KMSClient({ region }), keyId: config.aws.kms.dataKeyId })
 * const { dataKey, wrapped } = await wrapper.generate()   // store `wrapped` only
 * const again = await wrapper.unwrap(wrapped)              // once per cold start
 */
export class KmsDataKeyWrapper implements DataKeyWrapper {
  constructor(private readonly options: { client: KMSClient; keyId: string; purpose?: string }) {}

  private get context(): Record<string, string> {
    return { purpose: this.options.purpose ?? 'qianyue-personal-data' }
  }

  async generate(): Promise<{ dataKey: Uint8Array; wrapped: WrappedByVault }> {
    const out = await this.call('GenerateDataKey', () =>
      this.options.client.send(new GenerateDataKeyCommand({ KeyId: this.options.keyId, KeySpec: 'AES_256', EncryptionContext: this.context })),
    )
    if (!out.Plaintext || out.Plaintext.length !== 32 || !out.CiphertextBlob) throw new DataKeyWrapperError('KMS GenerateDataKey returned no 32-byte data key')
    return {
      dataKey: new Uint8Array(out.Plaintext),
      wrapped: { v: 1, vault: 'aws-kms', keyId: out.KeyId ?? this.options.keyId, ciphertext: Buffer.from(out.CiphertextBlob).toString('base64') },
    }
  }

  async unwrap(wrapped: WrappedByVault): Promise<Uint8Array> {
    if (wrapped.vault !== 'aws-kms') throw new DataKeyWrapperError(`a data key wrapped by ${String(wrapped.vault)} cannot be unwrapped by KMS`)
    const out = await this.call('Decrypt', () =>
      this.options.client.send(new DecryptCommand({ KeyId: wrapped.keyId, CiphertextBlob: Buffer.from(wrapped.ciphertext, 'base64'), EncryptionContext: this.context })),
    )
    if (!out.Plaintext || out.Plaintext.length !== 32) throw new DataKeyWrapperError('KMS Decrypt returned no 32-byte data key')
    return new Uint8Array(out.Plaintext)
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send()
    } catch (e) {
      throw new DataKeyWrapperError(`KMS ${operation} failed${e instanceof Error ? `: ${e.name}` : ''}`, { cause: e })
    }
  }
}
