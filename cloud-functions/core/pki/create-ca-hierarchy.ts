import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { Signer } from '../../ports/signer'
import {
  issuingCaProfile,
  ocspResponderProfile,
  rootCaProfile,
  tsaProfile,
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
  const org = o.organization ?? 'Qianyue'
  const serial = o.serialNumber ?? randomSerialNumber
  const name = (role: CaRole, fallback: string): DistinguishedName => ({ organization: org, commonName: o.commonNames?.[role] ?? `${org} ${fallback}` })
  const key = (role: CaRole): KeyObject => o.keys?.[role] ?? generateCaKey(o.keyTypes?.[role] ?? 'P-256')
  const spki = (k: KeyObject): Uint8Array => new Uint8Array(createPublicKey(k).export({ type: 'spki', format: 'der' }))

  const rootKey = key('root')
  const rootDer = await issueCertificate({
    template: rootCaProfile({ subject: name('root', 'Root CA'), now: o.now }),
    subjectPublicKeyInfo: spki(rootKey),
    serialNumber: serial(),
    issuer: { selfSigned: createNodeCryptoSigner(rootKey) },
  })
  const root: CaMember = { role: 'root', certificateDer: rootDer, privateKey: rootKey, signer: createNodeCryptoSigner(rootKey, [rootDer]) }

  const issuingKey = key('issuing')
  const issuingDer = await issueCertificate({
    template: issuingCaProfile({ subject: name('issuing', 'Signing CA 1'), now: o.now, baseUrl: o.baseUrl }),
    subjectPublicKeyInfo: spki(issuingKey),
    serialNumber: serial(),
    issuer: { certificateDer: rootDer, signer: root.signer },
  })
  const issuing: CaMember = { role: 'issuing', certificateDer: issuingDer, privateKey: issuingKey, signer: createNodeCryptoSigner(issuingKey, [issuingDer]) }

  const tsaKey = key('tsa')
  const tsaDer = await issueCertificate({
    template: tsaProfile({ subject: name('tsa', 'Time Stamping Authority 1'), now: o.now, baseUrl: o.baseUrl }),
    subjectPublicKeyInfo: spki(tsaKey),
    serialNumber: serial(),
    issuer: { certificateDer: rootDer, signer: root.signer },
  })
  const tsa: CaMember = { role: 'tsa', certificateDer: tsaDer, privateKey: tsaKey, signer: createNodeCryptoSigner(tsaKey, [tsaDer]) }

  const ocspKey = key('ocsp')
  const ocspDer = await issueCertificate({
    template: ocspResponderProfile({ subject: name('ocsp', 'OCSP Responder 1'), now: o.now, baseUrl: o.baseUrl }),
    subjectPublicKeyInfo: spki(ocspKey),
    serialNumber: serial(),
    issuer: { certificateDer: issuingDer, signer: issuing.signer },
  })
  const ocsp: CaMember = { role: 'ocsp', certificateDer: ocspDer, privateKey: ocspKey, signer: createNodeCryptoSigner(ocspKey, [ocspDer, issuingDer]) }

  return { root, issuing, tsa, ocsp }
}

/** A new CA key of `type` (Node crypto). RSA-3072 takes up to a few seconds. */
export function generateCaKey(type: CaKeyType): KeyObject {
  if (type === 'P-256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  return generateKeyPairSync('rsa', { modulusLength: type === 'RSA-2048' ? 2048 : 3072 }).privateKey
}
