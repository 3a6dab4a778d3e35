import { constants, createECDH, createPublicKey, privateEncrypt, randomBytes, sign as cryptoSign, type ECDH, type KeyObject } from 'node:crypto'
import type { Signer } from '../../ports/signer'
import { parseCertificate } from './certificate-info'

/** DER prefix of `DigestInfo { AlgorithmIdentifier sha256 NULL, OCTET STRING (32) }` (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex')

/** A curve we sign on: OpenSSL name for `createECDH`, the group order n, its size in bytes and bits. */
type Curve = { ecdhName: string; order: bigint; bytes: number; bits: number }

/** Curves we sign on. */
const CURVES: Record<string, Curve> = {
  'prime256v1': { ecdhName: 'prime256v1', order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32, bits: 256 },
  'secp384r1': {
    ecdhName: 'secp384r1',
    order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
    bits: 384,
  },
}

/**
 * One ECDH object per curve, reused for every nonce point (creating one costs as much again as the
 * scalar multiplication). Used synchronously, so calls never interleave.
 */
const nonceMultipliers = new Map<string, ECDH>()

/**
 * A {@link Signer} around a Node `crypto` private key (RSA, or ECDSA: `sign` on P-256/P-384 only,
 * `signData` on any curve Node signs with) and its certificate chain. The key is held in this
 * closure only: the returned object is frozen and exposes `keyAlgorithm`, `certificateChain()`,
 * `sign()` and `signData()`, nothing else.
 *
 * `signData(data)` signs SHA-256 of `data` with Node's `crypto.sign` (PKCS#1 v1.5 for RSA, a DER
 * `Ecdsa-Sig-Value` for ECDSA): one native call, which is what the platform's own CMS, certificates
 * and OCSP responses use (`signSha256`). On P-256 it takes about a third of the CPU of `sign`. It
 * uses the callback form, so the OpenSSL call runs on the libuv pool; Node still prepares the job
 * on the caller's thread (24 of a P-256 signature's 31 µs, measured alone), so the local server's
 * CA, TSA and OCSP keys (≈ 10 signatures per contract) went from 3.2 to 2.5 % of the event loop.
 *
 * `sign(digest)` signs a precomputed SHA-256 digest, which Node's `crypto.sign` cannot do (it
 * always hashes its input: `crypto.sign(null, digest, ecKey)` signs SHA-256(digest), verified
 * with `openssl pkeyutl -verify`):
 * - RSA: PKCS#1 v1.5 — `crypto.privateEncrypt` (OpenSSL's EVP_PKEY_sign with block type 1
 *   padding) over the DER `DigestInfo` for SHA-256 (RFC 8017 §8.2.1, §9.2).
 * - ECDSA (FIPS 186-4 §6.4): the nonce point k·G is computed by OpenSSL (`createECDH`
 *   `setPrivateKey(k)`, constant-time scalar multiplication); the remaining arithmetic modulo the
 *   group order, s = k⁻¹(e + r·d), is done with BigInt, with the inversion blinded by a random
 *   factor. k comes from the CSPRNG (`randomBytes`, 64 extra bits to make the reduction unbiased).
 *   The result is a DER `Ecdsa-Sig-Value`.
 *
 * `chain` may be empty for a key whose certificate does not exist yet (a root signing itself);
 * when given, `chain[0]` must hold this key's public key. With `singleUse`, the key material is
 * dropped after the first signature (by either method) and further calls throw (event certificates:
 * one key, one signing act). `publicKeyDer`: the key's SPKI when the caller has already exported
 * it (it is compared with the chain's first certificate).
 *
 * @example
 * const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
 * const signer = createNodeCryptoSigner(privateKey, [certDer, issuingCaDer])
 * const signature = await signer.sign(sha256(signedAttributesDer))
 */
export function createNodeCryptoSigner(
  privateKey: KeyObject,
  chain: Uint8Array[] = [],
  options: { singleUse?: boolean; publicKeyDer?: Uint8Array } = {},
): Signer {
  if (privateKey.type !== 'private') throw new Error('createNodeCryptoSigner needs a private key')
  const type = privateKey.asymmetricKeyType
  if (type !== 'rsa' && type !== 'ec') throw new Error(`unsupported key type: ${type}`)
  const certificates = chain.map((c) => new Uint8Array(c))
  if (certificates.length > 0) {
    const spki = options.publicKeyDer ?? createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
    if (!Buffer.from(parseCertificate(certificates[0]).subjectPublicKeyInfoDer).equals(spki)) {
      throw new Error('the private key does not match the first certificate of the chain')
    }
  }
  let key: KeyObject | undefined = privateKey
  /** Made on the first `sign(digest)`: the EC path exports the private scalar, which `signData` never needs. */
  let signDigest: ((digest: Uint8Array) => Uint8Array) | undefined
  const take = (): KeyObject => {
    if (!key) throw new Error('this single-use key has already signed')
    const k = key
    if (options.singleUse) key = undefined
    return k
  }
  const signer: Signer = {
    keyAlgorithm: type === 'rsa' ? 'RSA' : 'ECDSA',
    // Checked above: the key is the first certificate's, and `signData` is Node's `crypto.sign`.
    keyMatchesChain: certificates.length > 0,
    certificateChain: async () => certificates.map((c) => new Uint8Array(c)),
    sign: async (digest: Uint8Array) => {
      if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new Error('sign() takes a 32-byte SHA-256 digest')
      const k = take()
      const signature = (signDigest ??= makeDigestSigner(k))(digest)
      if (options.singleUse) signDigest = undefined
      return signature
    },
    signData: async (data: Uint8Array) => {
      if (!(data instanceof Uint8Array)) throw new Error('signData() takes bytes')
      const k = take()
      // With a callback, Node signs on the libuv pool (it prepares the job here).
      return new Promise<Uint8Array>((resolve, reject) => cryptoSign('sha256', data, k, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature)))))
    },
  }
  return Object.freeze(signer)
}

function makeDigestSigner(privateKey: KeyObject): (digest: Uint8Array) => Uint8Array {
  if (privateKey.asymmetricKeyType === 'rsa') {
    return (digest) =>
      new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest])))
  }
  if (privateKey.asymmetricKeyType === 'ec') {
    const jwk = privateKey.export({ format: 'jwk' })
    const curve = CURVES[privateKey.asymmetricKeyDetails?.namedCurve ?? '']
    if (!curve || !jwk.d) throw new Error(`unsupported EC curve: ${privateKey.asymmetricKeyDetails?.namedCurve}`)
    const d = toBigInt(Buffer.from(jwk.d, 'base64url'))
    return (digest) => ecdsaSignDigest(curve, d, digest)
  }
  throw new Error(`unsupported key type: ${privateKey.asymmetricKeyType}`)
}

function ecdsaSignDigest(curve: Curve, d: bigint, digest: Uint8Array): Uint8Array {
  const n = curve.order
  // e = leftmost bits of the digest, as many as the order has (SHA-256 on P-256/P-384: all of them).
  let e = toBigInt(digest)
  const excess = digest.length * 8 - curve.bits
  if (excess > 0) e >>= BigInt(excess)
  let ecdh = nonceMultipliers.get(curve.ecdhName)
  if (!ecdh) nonceMultipliers.set(curve.ecdhName, (ecdh = createECDH(curve.ecdhName)))
  for (;;) {
    const k = randomScalar(n, curve.bytes)
    ecdh.setPrivateKey(toFixedBytes(k, curve.bytes))
    const point = ecdh.getPublicKey() // 04 || x || y
    const r = mod(toBigInt(point.subarray(1, 1 + curve.bytes)), n)
    if (r === 0n) continue
    const blind = randomScalar(n, curve.bytes)
    const kInverse = mod(inverse(mod(k * blind, n), n) * blind, n)
    const s = mod(kInverse * (e + r * d), n)
    if (s === 0n) continue
    return encodeEcdsaSignature(r, s)
  }
}

function randomScalar(n: bigint, bytes: number): bigint {
  return (toBigInt(randomBytes(bytes + 8)) % (n - 1n)) + 1n
}

function inverse(a: bigint, n: bigint): bigint {
  let [r0, r1] = [a, n]
  let [s0, s1] = [1n, 0n]
  while (r1 !== 0n) {
    const q = r0 / r1
    ;[r0, r1] = [r1, r0 - q * r1]
    ;[s0, s1] = [s1, s0 - q * s1]
  }
  if (r0 !== 1n) throw new Error('not invertible')
  return mod(s0, n)
}

const mod = (a: bigint, n: bigint): bigint => ((a % n) + n) % n

function toBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'))
}

function toFixedBytes(v: bigint, length: number): Buffer {
  return Buffer.from(v.toString(16).padStart(length * 2, '0'), 'hex')
}

/** DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 §2.2.3 / RFC 3279). */
function encodeEcdsaSignature(r: bigint, s: bigint): Uint8Array {
  const integer = (v: bigint): Buffer => {
    let h = v.toString(16)
    if (h.length % 2) h = '0' + h
    if (parseInt(h.slice(0, 2), 16) >= 0x80) h = '00' + h
    const body = Buffer.from(h, 'hex')
    return Buffer.concat([Buffer.from([0x02, body.length]), body])
  }
  const body = Buffer.concat([integer(r), integer(s)])
  const header = body.length < 0x80 ? Buffer.from([0x30, body.length]) : Buffer.from([0x30, 0x81, body.length])
  return new Uint8Array(Buffer.concat([header, body]))
}
