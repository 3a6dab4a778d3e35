import type { Signer } from '../../ports/signer'
import type { Asn1 } from './jsrsasign-adapter'
import { OID } from './oids'

/** Hash algorithms the platform recognises, with their digest lengths. */
export const HASH_ALGORITHMS = {
  [OID.sha256]: { name: 'sha256', length: 32 },
  [OID.sha384]: { name: 'sha384', length: 48 },
  [OID.sha512]: { name: 'sha512', length: 64 },
  [OID.sha1]: { name: 'sha1', length: 20 },
  [OID.md5]: { name: 'md5', length: 16 },
} as const satisfies Record<string, { name: string; length: number }>

/** `AlgorithmIdentifier` for SHA-256 with absent parameters (RFC 5754 §2: SHOULD omit). */
export const SHA256_ALGORITHM: Asn1 = { seq: [{ oid: OID.sha256 }] }

/**
 * The `AlgorithmIdentifier` of a SHA-256 signature by `keyAlgorithm`:
 * sha256WithRSAEncryption with NULL parameters (RFC 4055 §5) or ecdsa-with-SHA256 without
 * parameters (RFC 5758 §3.2).
 */
export function signatureAlgorithm(keyAlgorithm: Signer['keyAlgorithm']): Asn1 {
  return keyAlgorithm === 'RSA' ? { seq: [{ oid: OID.sha256WithRsaEncryption }, { null: true }] } : { seq: [{ oid: OID.ecdsaWithSha256 }] }
}
