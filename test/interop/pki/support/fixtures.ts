import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { signerProfile } from '../../../../cloud-functions/core/pki/certificate-profile'
import { createCaHierarchy, type CaHierarchy, type CreateCaHierarchyOptions } from '../../../../cloud-functions/core/pki/create-ca-hierarchy'
import { issueCertificate } from '../../../../cloud-functions/core/pki/issue-certificate'
import { createNodeCryptoSigner } from '../../../../cloud-functions/core/pki/node-crypto-signer'
import type { Clock } from '../../../../cloud-functions/ports/clock'
import type { Signer } from '../../../../cloud-functions/ports/signer'

export const BASE_URL = 'https://esign.example.com'

/** A fixed instant, well inside every certificate's validity. */
export const NOW = new Date('2026-03-01T08:00:00.250Z')

/** openssl checks validity against the real clock unless told otherwise: `-attime AT_TIME` = NOW + 1 h. */
export const AT_TIME = String(Math.floor(NOW.getTime() / 1000) + 3600)

export const fixedClock = (d: Date = NOW): Clock => ({ now: () => new Date(d.getTime()) })

/** Deterministic serial numbers 0x4000…01, 0x4000…02, … (16 bytes, positive). */
export function counterSerials(): () => Uint8Array {
  let n = 0n
  return () => {
    n++
    return new Uint8Array(Buffer.from((0x40n << 120n | n).toString(16), 'hex'))
  }
}

export const sha256 = (data: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())

export function hierarchy(options: Partial<CreateCaHierarchyOptions> = {}): Promise<CaHierarchy> {
  return createCaHierarchy({ now: NOW, baseUrl: BASE_URL, ...options })
}

export type KeyKind = 'P-256' | 'RSA-2048' | 'RSA-3072'

export function generateKey(kind: KeyKind): KeyObject {
  if (kind === 'P-256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  return generateKeyPairSync('rsa', { modulusLength: kind === 'RSA-2048' ? 2048 : 3072 }).privateKey
}

/** A long-term style signer certificate for `key`, issued by the hierarchy's issuing CA. */
export async function signerWithKey(ca: CaHierarchy, key: KeyObject, name: string): Promise<{ signer: Signer; certificateDer: Uint8Array }> {
  const certificateDer = await issueCertificate({
    template: signerProfile({ name, organization: '示例科技有限公司', now: NOW, baseUrl: BASE_URL }),
    subjectPublicKeyInfo: new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' })),
    serialNumber: new Uint8Array(Buffer.from('4a' + Buffer.from(name).toString('hex').slice(0, 20).padEnd(20, '0'), 'hex')),
    issuer: { certificateDer: ca.issuing.certificateDer, signer: ca.issuing.signer },
  })
  return { signer: createNodeCryptoSigner(key, [certificateDer, ca.issuing.certificateDer]), certificateDer }
}
