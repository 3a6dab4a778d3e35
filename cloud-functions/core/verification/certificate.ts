import { createHash, type KeyObject } from 'node:crypto'
import { bitStringBytes, content, decodeBer, encoding, expect, isContext, items, namedBits, octets, oid, text, time, toHex, UNIVERSAL, type BerNode } from './ber'
import { unsignedInteger, verifySignature, type SignatureCheck } from './algorithms'
import type { CertificateView } from './report'
import { importPublicKey } from '../shared/import-public-key'

/** X.509 extension OIDs the validator reads. */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const

export const EKU = {
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const

const NAME_LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
}

const PARSED_CACHE_SIZE = 256
/** Issuers whose verdict one certificate keeps (a certificate is checked against one or two candidates). */
const CHECKS_KEPT = 8
const parsed = new Map<string, Certificate>()

/**
 * A parsed X.509 certificate (RFC 5280 §4.1), read with the BER reader so that any producer's
 * certificate can be shown and checked. Signatures are verified with Node crypto.
 *
 * @throws BerError from the constructor when the bytes are not a certificate.
 */
export class Certificate {
  readonly der: Uint8Array
  readonly tbsDer: Uint8Array
  readonly signatureAlgorithm: BerNode
  readonly signatureValue: Uint8Array
  readonly serialNumber: Uint8Array
  readonly issuerDer: Uint8Array
  readonly subjectDer: Uint8Array
  readonly notBefore: Date
  readonly notAfter: Date
  readonly spkiDer: Uint8Array
  /** The subjectPublicKey BIT STRING bytes (what OCSP key hashes and key identifiers hash). */
  readonly subjectPublicKeyBits: Uint8Array
  readonly extensions = new Map<string, { critical: boolean; value: Uint8Array }>()
  private key?: KeyObject | null
  /** @internal set by tryParse. */
  sha?: string
  /** {@link verifiedBy}'s answers, by the issuer's SHA-256. */
  private checks: Map<string, SignatureCheck> | undefined

  constructor(der: Uint8Array) {
    const root = decodeBer(der)
    this.der = encoding(root)
    const [tbs, sigAlg, sigVal] = items(root, 'Certificate')
    this.tbsDer = encoding(expect(tbs, UNIVERSAL.sequence, 'tbsCertificate'))
    this.signatureAlgorithm = expect(sigAlg, UNIVERSAL.sequence, 'signatureAlgorithm')
    this.signatureValue = bitStringBytes(sigVal, 'signatureValue')
    const f = tbs.children
    let i = 0
    if (isContext(f[0], 0)) i++
    this.serialNumber = unsignedInteger(f[i++], 'serialNumber')
    i++ // signature
    this.issuerDer = encoding(expect(f[i++], UNIVERSAL.sequence, 'issuer'))
    const validity = items(f[i++], 'validity')
    this.notBefore = time(validity[0], 'notBefore')
    this.notAfter = time(validity[1], 'notAfter')
    this.subjectDer = encoding(expect(f[i++], UNIVERSAL.sequence, 'subject'))
    const spki = expect(f[i++], UNIVERSAL.sequence, 'subjectPublicKeyInfo')
    this.spkiDer = encoding(spki)
    this.subjectPublicKeyBits = bitStringBytes(spki.children[1], 'subjectPublicKey')
    for (; i < f.length; i++) {
      if (!isContext(f[i], 3)) continue
      for (const ext of items(f[i].children[0], 'extensions')) {
        const id = oid(ext.children[0], 'extnID')
        const critical = ext.children.length === 3 && content(ext.children[1])[0] !== 0
        this.extensions.set(id, { critical, value: octets(ext.children[ext.children.length - 1], 'extnValue') })
      }
    }
  }

  /**
   * Parses `der`, or returns undefined for anything that is not a certificate. Parsed certificates
   * (with their imported keys) are kept in a small LRU: the same CA and TSA certificates recur in
   * every signature and every verification.
   */
  static tryParse(der: Uint8Array): Certificate | undefined {
    const key = createHash('sha256').update(der).digest('hex')
    const hit = parsed.get(key)
    if (hit) {
      parsed.delete(key)
      parsed.set(key, hit)
      return hit
    }
    let c: Certificate
    try {
      c = new Certificate(der)
    } catch {
      return undefined
    }
    c.sha = key
    parsed.set(key, c)
    if (parsed.size > PARSED_CACHE_SIZE) parsed.delete(parsed.keys().next().value as string)
    return c
  }

  /** SHA-256 of the DER, hex: the identity used for caching and display. */
  get sha256(): string {
    return (this.sha ??= createHash('sha256').update(this.der).digest('hex'))
  }

  /** The public key, or undefined when Node cannot import it. */
  get publicKey(): KeyObject | undefined {
    if (this.key === undefined) {
      try {
        this.key = importPublicKey(this.spkiDer)
      } catch {
        this.key = null
      }
    }
    return this.key ?? undefined
  }

  get subject(): string {
    return formatName(this.subjectDer)
  }

  get issuer(): string {
    return formatName(this.issuerDer)
  }

  get commonName(): string | undefined {
    return nameAttribute(this.subjectDer, '2.5.4.3')
  }

  get selfIssued(): boolean {
    return Buffer.from(this.subjectDer).equals(Buffer.from(this.issuerDer))
  }

  /**
   * Whether this certificate's signature verifies with `issuer`'s key. The answer, a function of the
   * two certificates' bytes, is kept on this certificate by the issuer's SHA-256: parsed
   * certificates are shared (`tryParse`), so a CA's or the TSA's link to its issuer is checked once,
   * not in every path built.
   */
  verifiedBy(issuer: Certificate): SignatureCheck {
    const known = this.checks?.get(issuer.sha256)
    if (known) return { ...known }
    const key = issuer.publicKey
    const check = key ? verifySignature(this.signatureAlgorithm, this.tbsDer, this.signatureValue, key) : { ok: false, algorithm: 'unknown', weak: false, error: 'the issuer key cannot be read' }
    if (!this.checks || this.checks.size >= CHECKS_KEPT) this.checks = new Map()
    this.checks.set(issuer.sha256, check)
    return { ...check }
  }

  /** basicConstraints: cA and pathLenConstraint (undefined when the extension is absent). */
  basicConstraints(): { ca: boolean; pathLength?: number } | undefined {
    const e = this.extensions.get(EXT.basicConstraints)
    if (!e) return undefined
    try {
      const seq = items(decodeBer(e.value), 'basicConstraints')
      let ca = false
      let pathLength: number | undefined
      for (const c of seq) {
        if (c.tag === UNIVERSAL.boolean) ca = content(c)[0] !== 0
        else if (c.tag === UNIVERSAL.integer) pathLength = content(c).length <= 4 ? Number(BigInt('0x' + toHex(content(c)))) : Number.MAX_SAFE_INTEGER
      }
      return { ca, pathLength }
    } catch {
      return { ca: false }
    }
  }

  /** keyUsage bits (undefined when absent). */
  keyUsage(): Set<number> | undefined {
    const e = this.extensions.get(EXT.keyUsage)
    if (!e) return undefined
    try {
      return namedBits(decodeBer(e.value), 'keyUsage')
    } catch {
      return new Set()
    }
  }

  /** extKeyUsage purposes (undefined when absent). */
  extendedKeyUsage(): string[] | undefined {
    const e = this.extensions.get(EXT.extKeyUsage)
    if (!e) return undefined
    try {
      return items(decodeBer(e.value), 'extKeyUsage').map((c) => oid(c, 'KeyPurposeId'))
    } catch {
      return []
    }
  }

  subjectKeyIdentifier(): Uint8Array | undefined {
    const e = this.extensions.get(EXT.subjectKeyIdentifier)
    if (!e) return undefined
    try {
      return content(expect(decodeBer(e.value), UNIVERSAL.octetString, 'subjectKeyIdentifier'))
    } catch {
      return undefined
    }
  }

  authorityKeyIdentifier(): Uint8Array | undefined {
    const e = this.extensions.get(EXT.authorityKeyIdentifier)
    if (!e) return undefined
    try {
      const kid = items(decodeBer(e.value), 'authorityKeyIdentifier').find((c) => isContext(c, 0))
      return kid ? content(kid) : undefined
    } catch {
      return undefined
    }
  }

  /** OCSP responder URLs from authorityInfoAccess. */
  ocspUrls(): string[] {
    const e = this.extensions.get(EXT.authorityInfoAccess)
    if (!e) return []
    try {
      return items(decodeBer(e.value), 'authorityInfoAccess')
        .filter((ad) => oid(ad.children[0], 'accessMethod') === '1.3.6.1.5.5.7.48.1' && isContext(ad.children[1], 6))
        .map((ad) => Buffer.from(content(ad.children[1])).toString('latin1'))
    } catch {
      return []
    }
  }

  /** A short description for reports. */
  describe(): CertificateSummary {
    return {
      subject: this.subject,
      issuer: this.issuer,
      commonName: this.commonName ?? null,
      organization: nameAttribute(this.subjectDer, '2.5.4.10') ?? null,
      issuerCommonName: nameAttribute(this.issuerDer, '2.5.4.3') ?? null,
      serialNumber: toHex(this.serialNumber),
      notBefore: this.notBefore.toISOString(),
      notAfter: this.notAfter.toISOString(),
      sha256: this.sha256,
    }
  }
}

/** A certificate as a report shows it. */
export type CertificateSummary = CertificateView

/** `CN=张三, O=Qianyue, C=CN`: most specific attribute first, as RFC 4514 orders them. */
export function formatName(nameDer: Uint8Array): string {
  try {
    const parts: string[] = []
    for (const rdn of items(decodeBer(nameDer), 'Name')) {
      for (const atv of rdn.children) {
        const type = oid(atv.children[0], 'AttributeType')
        parts.push(`${NAME_LABELS[type] ?? type}=${text(atv.children[1])}`)
      }
    }
    return parts.reverse().join(', ')
  } catch {
    return '(unreadable name)'
  }
}

/** The first value of attribute `type` in a DER Name. */
export function nameAttribute(nameDer: Uint8Array, type: string): string | undefined {
  try {
    for (const rdn of items(decodeBer(nameDer), 'Name')) {
      for (const atv of rdn.children) if (oid(atv.children[0], 'AttributeType') === type) return text(atv.children[1])
    }
  } catch {
    /* unreadable */
  }
  return undefined
}

/** A certificate pool that parses each DER once (by content). */
export class CertificatePool {
  private readonly byHash = new Map<string, Certificate>()

  add(der: Uint8Array): Certificate | undefined {
    const c = Certificate.tryParse(der)
    if (c && !this.byHash.has(c.sha256)) this.byHash.set(c.sha256, c)
    return c
  }

  all(): Certificate[] {
    return [...this.byHash.values()]
  }

  /** Certificates whose subject is `nameDer`. */
  bySubject(nameDer: Uint8Array): Certificate[] {
    const n = Buffer.from(nameDer)
    return this.all().filter((c) => n.equals(Buffer.from(c.subjectDer)))
  }
}

