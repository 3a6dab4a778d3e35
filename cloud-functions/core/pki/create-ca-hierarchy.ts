import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { Signer } from '../../ports/signer'
import {
  issuingCaProfile,
  ocspResponderProfile,
  rootCaProfile,
  tsaProfile,
  type CertificateTemplate,
  type DistinguishedName,
} from './certificate-profile'
import { issueCertificate } from './issue-certificate'
import { createNodeCryptoSigner } from './node-crypto-signer'
import { randomSerialNumber, type SerialNumberSource } from './serial-number'

/** Key types the hierarchy can use. Issuing CA, TSA and OCSP keys default to P-256 (fast signing). */
export type CaKeyType = 'P-256' | 'RSA-2048' | 'RSA-3072'

/** The members of the hierarchy. Extend this union when the trust services add members. */
export type CaRole = 'root' | 'issuing' | 'tsa' | 'ocsp'

/** One member: its certificate, its key (for the caller to wrap and store) and a Signer over the key. */
export type CaMember = {
  role: CaRole
  certificateDer: Uint8Array
  privateKey: KeyObject
  /** Chain: this certificate, then its issuers, excluding the root (the trust anchor) — except for the root itself. */
  signer: Signer
}

export type CaHierarchy = Record<CaRole, CaMember>

export type CreateCaHierarchyOptions = {
  now: Date
  /** Base URL of the trust services, written into CRL DP / AIA extensions (see `pkiUrls`). */
  baseUrl: string
  /** Organisation in every subject; default `Qianyue`. */
  organization?: string
  /** Subject common names; defaults `<organization> Root CA`, `… Signing CA 1`, `… Time Stamping Authority 1`, `… OCSP Responder 1`. */
  commonNames?: Partial<Record<CaRole, string>>
  /** Key type of a member generated here (ignored when `keys` supplies that member's key). Defaults: P-256 everywhere. */
  keyTypes?: Partial<Record<CaRole, CaKeyType>>
  /** Existing keys to certify instead of generating (e.g. restored from a key vault). */
  keys?: Partial<Record<CaRole, KeyObject>>
  serialNumber?: SerialNumberSource
}

/**
 * Create the platform CA hierarchy (DESIGN.md "Trust services"):
 *
 * ```
 * root CA (self-signed, pathLen 1, 20 y)
 * ├── issuing CA (pathLen 0, 10 y) ── signer certificates, OCSP responder (EKU OCSPSigning + ocsp-nocheck, 2 y)
 * └── TSA certificate (critical EKU timeStamping, 10 y)
 * ```
 *
 * The TSA hangs directly under the root so a token verifies with the root and the TSA certificate
 * alone (`openssl ts -verify -CAfile root.pem -untrusted tsa.pem`); the OCSP responder is a delegated
 * responder of the issuing CA, as RFC 6960 §4.2.2.2 requires for the certificates it answers for.
 * Keys are generated with Node crypto unless supplied; nothing here reads the clock, disk or
 * environment. The private keys are returned so the caller can wrap and persist them — never write
 * them in clear.
 *
 * @example
 * const ca = await createCaHierarchy({ now: clock.now(), baseUrl: 'https://esign.example.com' })
 * ca.issuing.signer // signs event certificates
 */
export async function createCaHierarchy(o: CreateCaHierarchyOptions): Promise<CaHierarchy> {
  const privateKeys = {} as Record<CaRole, KeyObject>
  const keys = {} as Record<CaRole, CaKeyHandle>
  for (const role of CA_ROLES) {
    const privateKey = o.keys?.[role] ?? generateCaKey(o.keyTypes?.[role] ?? 'P-256')
    privateKeys[role] = privateKey
    keys[role] = {
      publicKeyDer: new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })),
      signer: (chain) => createNodeCryptoSigner(privateKey, chain),
    }
  }
  const certified = await certifyCaHierarchy({ ...o, keys })
  const member = (role: CaRole): CaMember => ({ ...certified[role], privateKey: privateKeys[role] })
  return { root: member('root'), issuing: member('issuing'), tsa: member('tsa'), ocsp: member('ocsp') }
}

/** The roles of the hierarchy, in the order they are certified. */
export const CA_ROLES: readonly CaRole[] = ['root', 'issuing', 'tsa', 'ocsp']

/**
 * A CA key held anywhere (Node crypto, the local key vault, AWS KMS): its public key and a way to
 * get a {@link Signer} over it once its certificate chain is known (empty for the root signing
 * its own certificate).
 */
export type CaKeyHandle = {
  /** DER SubjectPublicKeyInfo. */
  publicKeyDer: Uint8Array
  signer(chain: Uint8Array[]): Signer | Promise<Signer>
}

/** A certified member of the hierarchy, whatever holds its key. */
export type CertifiedCaMember = { role: CaRole; certificateDer: Uint8Array; signer: Signer }

/**
 * Certify the hierarchy of {@link createCaHierarchy} over keys that live elsewhere (a key vault,
 * KMS): the same profiles, names and chains, the private keys never leave their holder.
 *
 * @example
 * const ca = await certifyCaHierarchy({ now, baseUrl, keys: { root: kmsHandle(rootId), issuing: …, tsa: …, ocsp: … } })
 */
export async function certifyCaHierarchy(
  o: Omit<CreateCaHierarchyOptions, 'keys' | 'keyTypes'> & { keys: Record<CaRole, CaKeyHandle> },
): Promise<Record<CaRole, CertifiedCaMember>> {
  const org = o.organization ?? 'Qianyue'
  const serial = o.serialNumber ?? randomSerialNumber
  const name = (role: CaRole, fallback: string): DistinguishedName => ({ organization: org, commonName: o.commonNames?.[role] ?? `${org} ${fallback}` })
  const certify = async (role: CaRole, template: CertificateTemplate, issuer: CertifiedCaMember | 'self', chainAfter: Uint8Array[] = []): Promise<CertifiedCaMember> => {
    const key = o.keys[role]
    const certificateDer = await issueCertificate({
      template,
      subjectPublicKeyInfo: key.publicKeyDer,
      serialNumber: serial(),
      issuer: issuer === 'self' ? { selfSigned: await key.signer([]) } : { certificateDer: issuer.certificateDer, signer: issuer.signer },
    })
    return { role, certificateDer, signer: await key.signer([certificateDer, ...chainAfter]) }
  }

  const root = await certify('root', rootCaProfile({ subject: name('root', 'Root CA'), now: o.now }), 'self')
  const issuing = await certify('issuing', issuingCaProfile({ subject: name('issuing', 'Signing CA 1'), now: o.now, baseUrl: o.baseUrl }), root)
  const tsa = await certify('tsa', tsaProfile({ subject: name('tsa', 'Time Stamping Authority 1'), now: o.now, baseUrl: o.baseUrl }), root)
  const ocsp = await certify(
    'ocsp',
    ocspResponderProfile({ subject: name('ocsp', 'OCSP Responder 1'), now: o.now, baseUrl: o.baseUrl }),
    issuing,
    [issuing.certificateDer],
  )
  return { root, issuing, tsa, ocsp }
}

/** A new CA key of `type` (Node crypto). RSA-3072 takes up to a few seconds. */
export function generateCaKey(type: CaKeyType): KeyObject {
  if (type === 'P-256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  return generateKeyPairSync('rsa', { modulusLength: type === 'RSA-2048' ? 2048 : 3072 }).privateKey
}
