import { constants, createHash, verify, type KeyObject } from 'node:crypto'
import { BerError, integerBytes, isContext, oid, smallInt, type BerNode } from './ber'

/** Digest algorithms by OID: Node hash name, display name, and whether it is too weak for new signatures. */
export const DIGEST_ALGORITHMS: Record<string, { node: string; label: string; weak: boolean }> = {
  '1.3.14.3.2.26': { node: 'sha1', label: 'SHA-1', weak: true },
  '2.16.840.1.101.3.4.2.4': { node: 'sha224', label: 'SHA-224', weak: false },
  '2.16.840.1.101.3.4.2.1': { node: 'sha256', label: 'SHA-256', weak: false },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', label: 'SHA-384', weak: false },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', label: 'SHA-512', weak: false },
}

/** Signature algorithms: the hash they imply (undefined: taken from the digest algorithm) and the key family. */
const SIGNATURE_ALGORITHMS: Record<string, { family: 'RSA' | 'RSA-PSS' | 'ECDSA' | 'EdDSA'; hash?: string }> = {
  '1.2.840.113549.1.1.1': { family: 'RSA' },
  '1.2.840.113549.1.1.5': { family: 'RSA', hash: '1.3.14.3.2.26' },
  '1.2.840.113549.1.1.14': { family: 'RSA', hash: '2.16.840.1.101.3.4.2.4' },
  '1.2.840.113549.1.1.11': { family: 'RSA', hash: '2.16.840.1.101.3.4.2.1' },
  '1.2.840.113549.1.1.12': { family: 'RSA', hash: '2.16.840.1.101.3.4.2.2' },
  '1.2.840.113549.1.1.13': { family: 'RSA', hash: '2.16.840.1.101.3.4.2.3' },
  '1.2.840.113549.1.1.10': { family: 'RSA-PSS' },
  '1.2.840.10045.2.1': { family: 'ECDSA' },
  '1.2.840.10045.4.1': { family: 'ECDSA', hash: '1.3.14.3.2.26' },
  '1.2.840.10045.4.3.1': { family: 'ECDSA', hash: '2.16.840.1.101.3.4.2.4' },
  '1.2.840.10045.4.3.2': { family: 'ECDSA', hash: '2.16.840.1.101.3.4.2.1' },
  '1.2.840.10045.4.3.3': { family: 'ECDSA', hash: '2.16.840.1.101.3.4.2.2' },
  '1.2.840.10045.4.3.4': { family: 'ECDSA', hash: '2.16.840.1.101.3.4.2.3' },
  '1.3.101.112': { family: 'EdDSA' },
  '1.3.101.113': { family: 'EdDSA' },
}

/** The outcome of checking one signature value: `ok`, and a readable algorithm name (e.g. `ECDSA with SHA-256`). */
export type SignatureCheck = { ok: boolean; algorithm: string; weak: boolean; error?: string }

/** Node's name of a digest OID, or undefined when unsupported (MD5 and unknown algorithms are). */
export function digestNodeName(digestOid: string): string | undefined {
  return DIGEST_ALGORITHMS[digestOid]?.node
}

export function digestLabel(digestOid: string): string {
  return DIGEST_ALGORITHMS[digestOid]?.label ?? digestOid
}

/** `hash(data)` with a digest OID; undefined when the algorithm is not supported. */
export function digestWith(digestOid: string, ...parts: Uint8Array[]): Uint8Array | undefined {
  const name = digestNodeName(digestOid)
  if (!name) return undefined
  const h = createHash(name)
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

/** The OID of an `AlgorithmIdentifier`'s algorithm. */
export function algorithmOid(algorithmIdentifier: BerNode, what: string): string {
  if (!algorithmIdentifier.constructed || algorithmIdentifier.children.length === 0) throw new BerError(`${what}: not an AlgorithmIdentifier`)
  return oid(algorithmIdentifier.children[0], what)
}

/**
 * Verifies `signature` over `data` with `key` as `algorithmIdentifier` says (RFC 5652 §5.4, RFC
 * 5754, RFC 4055 RSASSA-PSS, RFC 5758 ECDSA, RFC 8419 EdDSA), with Node crypto. For
 * `rsaEncryption` and `id-ecPublicKey` the hash is `digestOid` (the CMS digest algorithm).
 * Never throws: an unsupported algorithm or a key of the wrong type is `ok: false` with `error`.
 */
export function verifySignature(
  algorithmIdentifier: BerNode,
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
  digestOid?: string,
): SignatureCheck {
  let algOid: string
  try {
    algOid = algorithmOid(algorithmIdentifier, 'signatureAlgorithm')
  } catch (e) {
    return { ok: false, algorithm: 'unknown', weak: false, error: (e as Error).message }
  }
  const alg = SIGNATURE_ALGORITHMS[algOid]
  if (!alg) return { ok: false, algorithm: algOid, weak: false, error: `unsupported signature algorithm ${algOid}` }
  try {
    if (alg.family === 'EdDSA') {
      return { ok: verify(null, data, key, signature), algorithm: algOid === '1.3.101.112' ? 'Ed25519' : 'Ed448', weak: false }
    }
    if (alg.family === 'RSA-PSS') {
      const p = pssParameters(algorithmIdentifier.children[1])
      const hash = DIGEST_ALGORITHMS[p.hash]
      if (!hash) return { ok: false, algorithm: 'RSASSA-PSS', weak: false, error: `unsupported PSS hash ${p.hash}` }
      if (p.mgfHash !== p.hash) return { ok: false, algorithm: `RSASSA-PSS with ${hash.label}`, weak: hash.weak, error: 'PSS with a different MGF1 hash is not supported' }
      const ok = verify(hash.node, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength }, signature)
      return { ok, algorithm: `RSASSA-PSS with ${hash.label}`, weak: hash.weak }
    }
    const hashOid = alg.hash ?? digestOid
    const hash = hashOid ? DIGEST_ALGORITHMS[hashOid] : undefined
    const family = alg.family === 'RSA' ? 'RSA PKCS#1 v1.5' : 'ECDSA'
    if (!hash) return { ok: false, algorithm: family, weak: false, error: `unsupported or missing hash algorithm ${hashOid ?? ''}`.trim() }
    if (alg.hash && digestOid && alg.hash !== digestOid && DIGEST_ALGORITHMS[digestOid]) {
      // RFC 5652 §5.4 allows it, but a mismatch is a sign of tampering with the algorithm fields.
      return { ok: false, algorithm: `${family} with ${hash.label}`, weak: hash.weak, error: 'the signature algorithm names another hash than the digest algorithm' }
    }
    const keyType = key.asymmetricKeyType
    if (alg.family === 'RSA' && keyType !== 'rsa') return { ok: false, algorithm: `${family} with ${hash.label}`, weak: hash.weak, error: `an RSA signature but a ${keyType} key` }
    if (alg.family === 'ECDSA' && keyType !== 'ec') return { ok: false, algorithm: `${family} with ${hash.label}`, weak: hash.weak, error: `an ECDSA signature but a ${keyType} key` }
    const ok = alg.family === 'RSA' ? verify(hash.node, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature) : verify(hash.node, data, key, signature)
    return { ok, algorithm: `${family} with ${hash.label}`, weak: hash.weak }
  } catch (e) {
    return { ok: false, algorithm: algOid, weak: false, error: (e as Error).message }
  }
}

/** RSASSA-PSS-params (RFC 4055 §3.1) with their defaults: SHA-1, MGF1-SHA-1, salt 20. */
function pssParameters(params: BerNode | undefined): { hash: string; mgfHash: string; saltLength: number } {
  let hash = '1.3.14.3.2.26'
  let mgfHash = '1.3.14.3.2.26'
  let saltLength = 20
  if (params && params.constructed) {
    for (const c of params.children) {
      const inner = c.children[0]
      if (isContext(c, 0) && inner) hash = oid(inner.children[0], 'PSS hashAlgorithm')
      else if (isContext(c, 1) && inner) {
        const mgfParams = inner.children[1]
        if (mgfParams?.constructed) mgfHash = oid(mgfParams.children[0], 'MGF1 hash')
      } else if (isContext(c, 2) && inner) saltLength = smallInt(inner, 'saltLength')
      else if (isContext(c, 3) && inner && smallInt(inner, 'trailerField') !== 1) throw new BerError('unsupported PSS trailer field')
    }
  }
  if (saltLength < 0 || saltLength > 1024) throw new BerError('bad PSS salt length')
  return { hash, mgfHash, saltLength }
}

/** Content bytes of an INTEGER without a leading sign octet (for comparisons of serial numbers). */
export function unsignedInteger(n: BerNode | undefined, what: string): Uint8Array {
  const c = integerBytes(n, what)
  let i = 0
  while (i < c.length - 1 && c[i] === 0) i++
  return c.subarray(i)
}

