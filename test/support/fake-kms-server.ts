/**
 * A local AWS-KMS-compatible server for tests: the real wire protocol (HTTP POST to `/`, AWS JSON
 * 1.1 bodies, the operation in `X-Amz-Target: TrentService.<Op>`, errors as `{"__type","message"}`
 * with HTTP 400), so `@aws-sdk/client-kms` talks to it unchanged. Every request must carry a SigV4
 * `Authorization` header (`AWS4-HMAC-SHA256 Credential=…/kms/aws4_request, SignedHeaders=…,
 * Signature=…`); the signature itself is not checked. Keys live in memory (Node crypto).
 *
 * Operations: CreateKey (ECC_NIST_P256 / RSA_2048, SIGN_VERIFY; SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT),
 * DescribeKey, GetPublicKey, Sign (MessageType RAW or DIGEST; ECDSA_SHA_256 / RSASSA_PKCS1_V1_5_SHA_256),
 * GenerateDataKey and Decrypt (AES-256-GCM under the symmetric key, the EncryptionContext bound to
 * the ciphertext as KMS binds it: Decrypt with another context is InvalidCiphertextException),
 * ScheduleKeyDeletion.
 *
 * @example
 * const kms = await startFakeKms()
 * const client = new KMSClient({ region: 'us-east-1', endpoint: kms.endpoint, credentials: EMULATOR_CREDENTIALS })
 */
import { createCipheriv, createDecipheriv, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign, type KeyObject } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createNodeCryptoSigner } from '../../cloud-functions/core/pki/node-crypto-signer'

type FakeKey =
  | { id: string; spec: 'ECC_NIST_P256' | 'RSA_2048'; privateKey: KeyObject; state: 'Enabled' | 'PendingDeletion'; description: string; created: Date }
  | { id: string; spec: 'SYMMETRIC_DEFAULT'; secret: Buffer; state: 'Enabled' | 'PendingDeletion'; description: string; created: Date }
type SigningKey = Extract<FakeKey, { privateKey: KeyObject }>
type SymmetricKey = Extract<FakeKey, { secret: Buffer }>

/** The fake's ciphertext blob: magic, key id (36-byte UUID), IV, GCM tag, ciphertext. */
const BLOB_MAGIC = Buffer.from('FAKEKMS1')
/** The encryption context as authenticated data: sorted keys, so the order of the request does not matter. */
const contextAad = (context: unknown): Buffer => {
  const entries = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Buffer.from(JSON.stringify(entries))
}

export type FakeKms = {
  endpoint: string
  /** Every operation the server answered, in order (for asserting e.g. that Sign used DIGEST). */
  calls: { operation: string; body: Record<string, unknown> }[]
  /** Number of keys created. */
  keyCount(): number
  stop(): Promise<void>
}

const REGION = 'us-east-1'
const ACCOUNT = '111122223333'

class KmsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message)
  }
}

export async function startFakeKms(): Promise<FakeKms> {
  const keys = new Map<string, FakeKey>()
  const calls: FakeKms['calls'] = []

  const find = (keyId: unknown): FakeKey => {
    if (typeof keyId !== 'string' || keyId.length === 0) throw new KmsError('ValidationException', 'KeyId is required')
    const id = keyId.startsWith('arn:') ? keyId.slice(keyId.lastIndexOf('/') + 1) : keyId
    const key = keys.get(id)
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`)
    return key
  }
  const usable = (key: FakeKey): FakeKey => {
    if (key.state !== 'Enabled') throw new KmsError('KMSInvalidStateException', `${arn(key.id)} is pending deletion.`)
    return key
  }
  const signing = (key: FakeKey): SigningKey => {
    if (key.spec === 'SYMMETRIC_DEFAULT') throw new KmsError('InvalidKeyUsageException', `${arn(key.id)} is not a SIGN_VERIFY key`)
    return key
  }
  const symmetric = (key: FakeKey): SymmetricKey => {
    if (key.spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('InvalidKeyUsageException', `${arn(key.id)} is not an ENCRYPT_DECRYPT key`)
    return key
  }
  const signingAlgorithms = (spec: FakeKey['spec']): string[] => (spec === 'RSA_2048' ? ['RSASSA_PKCS1_V1_5_SHA_256'] : spec === 'SYMMETRIC_DEFAULT' ? [] : ['ECDSA_SHA_256'])
  const metadata = (k: FakeKey) => ({
    AWSAccountId: ACCOUNT,
    KeyId: k.id,
    Arn: arn(k.id),
    CreationDate: k.created.getTime() / 1000,
    Enabled: k.state === 'Enabled',
    Description: k.description,
    KeyUsage: k.spec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY',
    KeyState: k.state,
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: k.spec,
    CustomerMasterKeySpec: k.spec,
    SigningAlgorithms: signingAlgorithms(k.spec),
  })

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    CreateKey: (body) => {
      const spec = body.KeySpec ?? body.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT'
      if (spec === 'SYMMETRIC_DEFAULT') {
        if ((body.KeyUsage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT') throw new KmsError('ValidationException', 'SYMMETRIC_DEFAULT keys are ENCRYPT_DECRYPT')
        const key: FakeKey = { id: randomUUID(), spec, secret: randomBytes(32), state: 'Enabled', description: String(body.Description ?? ''), created: new Date() }
        keys.set(key.id, key)
        return { KeyMetadata: metadata(key) }
      }
      if (body.KeyUsage !== 'SIGN_VERIFY') throw new KmsError('ValidationException', 'this fake supports KeyUsage SIGN_VERIFY only')
      if (spec !== 'ECC_NIST_P256' && spec !== 'RSA_2048') throw new KmsError('ValidationException', `unsupported KeySpec ${String(spec)}`)
      const privateKey =
        spec === 'RSA_2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      const key: FakeKey = { id: randomUUID(), spec, privateKey, state: 'Enabled', description: String(body.Description ?? ''), created: new Date() }
      keys.set(key.id, key)
      return { KeyMetadata: metadata(key) }
    },
    DescribeKey: (body) => ({ KeyMetadata: metadata(find(body.KeyId)) }),
    GenerateDataKey: (body) => {
      const key = symmetric(usable(find(body.KeyId)))
      const bytes = body.KeySpec === 'AES_256' ? 32 : body.KeySpec === 'AES_128' ? 16 : Number(body.NumberOfBytes)
      if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) throw new KmsError('ValidationException', 'KeySpec or NumberOfBytes is required')
      const plaintext = randomBytes(bytes)
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key.secret, iv)
      cipher.setAAD(contextAad(body.EncryptionContext))
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
      const blob = Buffer.concat([BLOB_MAGIC, Buffer.from(key.id), iv, cipher.getAuthTag(), ciphertext])
      return { KeyId: arn(key.id), Plaintext: plaintext.toString('base64'), CiphertextBlob: blob.toString('base64') }
    },
    Decrypt: (body) => {
      if (typeof body.CiphertextBlob !== 'string') throw new KmsError('ValidationException', 'CiphertextBlob is required')
      const blob = Buffer.from(body.CiphertextBlob, 'base64')
      if (blob.length < 8 + 36 + 12 + 16 || !blob.subarray(0, 8).equals(BLOB_MAGIC)) throw new KmsError('InvalidCiphertextException', '')
      const key = symmetric(usable(find(blob.subarray(8, 44).toString())))
      if (body.KeyId !== undefined && find(body.KeyId).id !== key.id) throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext')
      const decipher = createDecipheriv('aes-256-gcm', key.secret, blob.subarray(44, 56))
      decipher.setAAD(contextAad(body.EncryptionContext))
      decipher.setAuthTag(blob.subarray(56, 72))
      let plaintext: Buffer
      try {
        plaintext = Buffer.concat([decipher.update(blob.subarray(72)), decipher.final()])
      } catch {
        throw new KmsError('InvalidCiphertextException', '')
      }
      return { KeyId: arn(key.id), Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }
    },
    GetPublicKey: (body) => {
      const key = signing(usable(find(body.KeyId)))
      return {
        KeyId: arn(key.id),
        KeySpec: key.spec,
        CustomerMasterKeySpec: key.spec,
        KeyUsage: 'SIGN_VERIFY',
        PublicKey: createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }).toString('base64'),
        SigningAlgorithms: signingAlgorithms(key.spec),
      }
    },
    Sign: async (body) => {
      const key = signing(usable(find(body.KeyId)))
      const algorithm = String(body.SigningAlgorithm)
      if (!signingAlgorithms(key.spec).includes(algorithm)) throw new KmsError('InvalidKeyUsageException', `${algorithm} is not valid for ${key.spec}`)
      if (typeof body.Message !== 'string') throw new KmsError('ValidationException', 'Message is required')
      const message = Buffer.from(body.Message, 'base64')
      const type = body.MessageType ?? 'RAW'
      let signature: Buffer
      if (type === 'DIGEST') {
        if (message.length !== 32) throw new KmsError('ValidationException', 'Digest is invalid length for algorithm ' + algorithm)
        // Precomputed-digest signing (OpenSSL's EVP_PKEY_sign semantics), through the signer the platform
        // uses for its local keys; what comes out is judged by openssl in the tests.
        signature = Buffer.from(await createNodeCryptoSigner(key.privateKey).sign(new Uint8Array(message)))
      } else if (type === 'RAW') {
        if (message.length > 4096) throw new KmsError('ValidationException', 'Message is too long')
        signature = cryptoSign('sha256', message, key.privateKey)
      } else {
        throw new KmsError('ValidationException', `unknown MessageType ${String(type)}`)
      }
      return { KeyId: arn(key.id), Signature: signature.toString('base64'), SigningAlgorithm: algorithm }
    },
    ScheduleKeyDeletion: (body) => {
      const key = find(body.KeyId)
      if (key.state === 'PendingDeletion') throw new KmsError('KMSInvalidStateException', `${arn(key.id)} is pending deletion.`)
      const days = Number(body.PendingWindowInDays ?? 30)
      if (!Number.isInteger(days) || days < 7 || days > 30) throw new KmsError('ValidationException', 'PendingWindowInDays must be 7–30')
      key.state = 'PendingDeletion'
      return { KeyId: arn(key.id), KeyState: 'PendingDeletion', DeletionDate: Date.now() / 1000 + days * 86400, PendingWindowInDays: days }
    },
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const reply = (status: number, body: unknown): void => {
        const text = JSON.stringify(body)
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) })
        res.end(text)
      }
      try {
        if (req.method !== 'POST' || (req.url ?? '/') !== '/') throw new KmsError('UnknownOperationException', `${req.method} ${req.url}`)
        const authorization = req.headers.authorization ?? ''
        if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/kms\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/.test(authorization)) {
          throw new KmsError('MissingAuthenticationTokenException', 'Request is missing a SigV4 Authentication Token')
        }
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw new KmsError('SerializationException', 'expected application/x-amz-json-1.1')
        const target = String(req.headers['x-amz-target'] ?? '')
        const operation = target.startsWith('TrentService.') ? operations[target.slice('TrentService.'.length)] : undefined
        if (!operation) throw new KmsError('UnknownOperationException', `unknown operation ${target}`)
        let body: Record<string, unknown>
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>
        } catch {
          throw new KmsError('SerializationException', 'body is not JSON')
        }
        calls.push({ operation: target.slice('TrentService.'.length), body })
        reply(200, await operation(body))
      } catch (e) {
        if (e instanceof KmsError) reply(e.type === 'MissingAuthenticationTokenException' ? 403 : 400, { __type: e.type, message: e.message })
        else reply(500, { __type: 'KMSInternalException', message: (e as Error).message })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    keyCount: () => keys.size,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function arn(id: string): string {
  return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`
}
