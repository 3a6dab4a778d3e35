/**
 * The private-key operation behind a signature, and nothing else. Node `crypto` keys, keys
 * wrapped by the local key vault and AWS KMS (`Sign` with `MessageType: DIGEST`) all implement it,
 * so the key itself never reaches the code that builds the CMS.
 */
export interface Signer {
  /** `RSA` signs PKCS#1 v1.5; `ECDSA` returns a DER-encoded `Ecdsa-Sig-Value`. */
  readonly keyAlgorithm: 'RSA' | 'ECDSA'
  /** DER certificates: the signer's first, then its issuers up to (not necessarily including) the root. */
  certificateChain(): Promise<Uint8Array[]>
  /** Sign a SHA-256 `digest` (32 bytes) and return the signature value. */
  sign(digest: Uint8Array): Promise<Uint8Array>
  /**
   * Optional: sign SHA-256 of `data` in one step, the same signature as `sign(SHA-256(data))`. Keys
   * held in this process have it (Node's `crypto.sign`, about a third of the CPU of signing a given
   * digest, see `node-crypto-signer.ts`); a KMS key, which signs digests, does not. Callers go
   * through `signSha256` (`core/pki/sign-sha256.ts`), which uses it when it is there.
   */
  signData?(data: Uint8Array): Promise<Uint8Array>
  /**
   * Optional: true when this key was checked against `certificateChain()[0]` (the same public key)
   * and `signData` signs with Node's own `crypto.sign`, so every signature it makes verifies with
   * that certificate. A CMS signed through `signData` is then not verified once more before it is
   * returned (`signCmsSignedData`); any other signer's is.
   */
  readonly keyMatchesChain?: boolean
}
