/**
 * The KeyVault contract on both vaults: LocalKeyVault (AES-256-GCM wrapped keys in a temp
 * directory) and KmsKeyVault over @aws-sdk/client-kms, talking to the fake KMS server this file
 * starts (real wire protocol: JSON 1.1, X-Amz-Target, SigV4-signed requests).
 */
import { KMSClient } from '@aws-sdk/client-kms'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KmsKeyVault } from '../../cloud-functions/adapters/aws/kms-key-vault'
import { LocalKeyVault } from '../../cloud-functions/adapters/local/local-key-vault'
import { KeyVaultError } from '../../cloud-functions/ports/key-vault'
import { EMULATOR_CREDENTIALS, EMULATOR_REGION } from '../support/emulators'
import { startFakeKms, type FakeKms } from '../support/fake-kms-server'
import { keyVaultContract } from './key-vault.contract'

jest.setTimeout(60_000)

keyVaultContract('LocalKeyVault', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'qianyue-vault-'))
  return {
    vault: new LocalKeyVault({ directory: join(directory, 'vault'), masterKey: randomBytes(32) }),
    unknownKeyId: `lk_${'0'.repeat(32)}`,
    signsData: true,
    close: async () => rmSync(directory, { recursive: true, force: true }),
  }
})

keyVaultContract('KmsKeyVault (fake KMS server)', async () => {
  const kms = await startFakeKms()
  const client = new KMSClient({ region: EMULATOR_REGION, endpoint: kms.endpoint, credentials: EMULATOR_CREDENTIALS })
  return {
    vault: new KmsKeyVault({ client, tags: { app: 'qianyue-test' } }),
    unknownKeyId: '00000000-0000-4000-8000-000000000000',
    signsData: false,
    close: async () => {
      client.destroy()
      await kms.stop()
    },
  }
})

describe('LocalKeyVault specifics', () => {
  let directory: string
  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'qianyue-vault-'))))
  afterEach(() => rmSync(directory, { recursive: true, force: true }))

  it('writes each key wrapped (no PKCS#8 in clear) in a 0600 file of a 0700 folder, and another instance with the master key reads it', async () => {
    const masterKey = randomBytes(32)
    const vaultDir = join(directory, 'vault')
    const key = await new LocalKeyVault({ directory: vaultDir, masterKey }).createKey({ algorithm: 'P-256', label: 'x' })
    expect(readdirSync(vaultDir)).toEqual([`${key.keyId}.key.enc`])
    expect(statSync(vaultDir).mode & 0o777).toBe(0o700)
    const file = join(vaultDir, `${key.keyId}.key.enc`)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const envelope = JSON.parse(readFileSync(file, 'utf8'))
    expect(envelope).toMatchObject({ v: 1, alg: 'A256GCM', role: `vault/${key.keyId}` })
    expect(readFileSync(file, 'latin1')).not.toContain('PRIVATE KEY')
    expect(await new LocalKeyVault({ directory: vaultDir, masterKey }).describeKey(key.keyId)).toEqual(key)
  })

  it('refuses to use a key under the wrong master key, naming the file but not the key', async () => {
    const vaultDir = join(directory, 'vault')
    const key = await new LocalKeyVault({ directory: vaultDir, masterKey: randomBytes(32) }).createKey({ algorithm: 'P-256', label: 'x' })
    const wrong = new LocalKeyVault({ directory: vaultDir, masterKey: randomBytes(32) })
    await expect(wrong.signer(key.keyId)).rejects.toThrow(KeyVaultError)
    await expect(wrong.signer(key.keyId)).rejects.toThrow(/cannot decrypt \(wrong master key/)
  })

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new LocalKeyVault({ directory, masterKey: randomBytes(16) })).toThrow(/32 bytes/)
  })
})

describe('KmsKeyVault on the fake KMS server specifics', () => {
  let kms: FakeKms
  let client: KMSClient
  beforeAll(async () => {
    kms = await startFakeKms()
    client = new KMSClient({ region: EMULATOR_REGION, endpoint: kms.endpoint, credentials: EMULATOR_CREDENTIALS })
  })
  afterAll(async () => {
    client.destroy()
    await kms.stop()
  })

  it('creates SIGN_VERIFY keys of the asked spec and signs with MessageType DIGEST, never sending the document', async () => {
    const vault = new KmsKeyVault({ client })
    const key = await vault.createKey({ algorithm: 'RSA-2048', label: 'long-term 张三' })
    const signer = await vault.signer(key.keyId)
    const digest = new Uint8Array(randomBytes(32))
    await signer.sign(digest)
    const create = kms.calls.find((c) => c.operation === 'CreateKey')!
    expect(create.body).toMatchObject({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'long-term 张三' })
    const sign = kms.calls.filter((c) => c.operation === 'Sign').pop()!
    expect(sign.body).toEqual({ KeyId: key.keyId, Message: Buffer.from(digest).toString('base64'), MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })
  })

  it('the fake speaks the KMS wire protocol and refuses a request without a SigV4 Authorization header', async () => {
    const unsigned = await fetch(kms.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' },
      body: JSON.stringify({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    })
    expect(unsigned.status).toBe(403)
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' })
  })

  it('reports a KMS failure as KeyVaultError with the KMS error as its cause', async () => {
    const vault = new KmsKeyVault({ client: new KMSClient({ region: EMULATOR_REGION, endpoint: 'http://127.0.0.1:9', credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 }) })
    await expect(vault.createKey({ algorithm: 'P-256', label: 'x' })).rejects.toThrow(KeyVaultError)
  })
})
