import { generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { Signer } from '../../ports/signer'
import { signerProfile } from './certificate-profile'
import { issueCertificate, type CertificateIssuer } from './issue-certificate'
import { createNodeCryptoSigner } from './node-crypto-signer'
import { randomSerialNumber } from './serial-number'

export type EventCertificateRequest = {
  /** The verified name of the signer (subject CN). */
  name: string
  /** Subject O, for a signer acting for an organisation. */
  organization?: string
  /** Subject serialNumber: a salted identity hash (`identitySerialNumber`), never the ID number. */
  subjectSerialNumber?: string
  /** The contract this signing act belongs to (signing-act binding extension). */
  contractId?: string
  /** SHA-256 of the intent proof (意愿认证 record): 32 bytes, or 64 hex characters. */
  intentHash?: Uint8Array | string
  /** The issuing CA. */
  issuer: CertificateIssuer
  /** Base URL for the CRL DP / AIA extensions (see `pkiUrls`). */
  baseUrl: string
  now: Date
  /** Certificate lifetime; default one year (see `signerProfile`). */
  validityMs?: number
  /** Certificate serial number; default 16 random bytes. */
  serialNumber?: Uint8Array
  /** Drop the key after the first signature (default true: an event certificate serves one signing act). */
  singleUse?: boolean
}

/** An event certificate and the only handle on its key. */
export type EventCertificate = {
  /** Signs with the fresh key; its chain is this certificate followed by the issuer's chain. */
  signer: Signer
  certificateDer: Uint8Array
}

/**
 * Issue an event certificate (事件证书): a fresh ECDSA P-256 key for one signing act, certified by
 * the issuing CA with the signer profile, bound to the act through the signing-act binding extension
 * (contract id and intent-proof hash; see `signingActBindingExtension` in certificate-profile.ts).
 *
 * The private key is generated with Node crypto and lives only inside the returned Signer's closure:
 * it is never exported, written or returned. Cost: about 0.1 ms of key generation plus building and
 * signing the certificate with Node crypto (`npm run bench:pki`: about 0.55 ms).
 *
 * @example
 * const { signer, certificateDer } = await issueEventCertificate({
 *   name: '张三', contractId: 'c_01J…', intentHash, issuer: ca.issuing, baseUrl, now: clock.now(),
 * })
 * const cms = await buildCmsSignedData({ documentDigest, signer, tsa })
 */
export async function issueEventCertificate(req: EventCertificateRequest): Promise<EventCertificate> {
  const intentProofHash = typeof req.intentHash === 'string' ? parseHash(req.intentHash) : req.intentHash
  const template = signerProfile({
    name: req.name,
    organization: req.organization,
    serialNumber: req.subjectSerialNumber,
    now: req.now,
    baseUrl: req.baseUrl,
    validityMs: req.validityMs,
    binding: { contractId: req.contractId, intentProofHash },
  })
  // On libuv's thread pool, not the calling thread (on the server, the event loop, whose time bounds the
  // contracts signed a second), and so is the public key's DER export; the private key stays a KeyObject.
  const { privateKey, publicKey } = await generateEventKeyPair('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'der' } })
  const publicKeyDer = new Uint8Array(publicKey)
  const certificateDer = await issueCertificate({
    template,
    subjectPublicKeyInfo: publicKeyDer,
    serialNumber: req.serialNumber ?? randomSerialNumber(),
    issuer: req.issuer,
  })
  // The issuer's certificate, then whatever its signer chains up with (the root is usually left out).
  const issuerChain = await req.issuer.signer.certificateChain()
  const startsWithIssuer = issuerChain.length > 0 && Buffer.from(issuerChain[0]).equals(req.issuer.certificateDer)
  const chain = [certificateDer, req.issuer.certificateDer, ...(startsWithIssuer ? issuerChain.slice(1) : [])]
  const signer = createNodeCryptoSigner(privateKey, chain, { singleUse: req.singleUse ?? true, publicKeyDer })
  return { signer, certificateDer }
}

/** `generateKeyPair` for an EC key whose public half comes back as SPKI DER (Node exports each half given an encoding and leaves the other a KeyObject; its typings list only both or neither). */
const generateEventKeyPair = promisify(generateKeyPair) as unknown as (
  type: 'ec',
  options: { namedCurve: string; publicKeyEncoding: { type: 'spki'; format: 'der' } },
) => Promise<{ publicKey: Buffer; privateKey: KeyObject }>

function parseHash(h: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(h)) throw new Error('intentHash must be 64 hex characters (SHA-256)')
  return new Uint8Array(Buffer.from(h, 'hex'))
}
