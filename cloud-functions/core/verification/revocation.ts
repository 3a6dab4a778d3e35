import { createHash } from 'node:crypto'
import { BerError, bitStringBytes, bytesEqual, content, decodeBer, encoding, expect, isContext, items, octets, oid, smallInt, time, toHex, UNIVERSAL, type BerNode } from './ber'
import { algorithmOid, digestWith, unsignedInteger, verifySignature } from './algorithms'
import { Certificate, EKU } from './certificate'

/** Where a piece of revocation data was found. */
export type RevocationSourceKind = 'dss' | 'cms' | 'online' | 'registry'

export type SingleStatus = {
  status: 'good' | 'revoked' | 'unknown'
  revokedAt?: Date
  /** thisUpdate of the OCSP response or CRL that gave the answer. */
  thisUpdate?: Date
  nextUpdate?: Date
  source: RevocationSourceKind
  via: 'ocsp' | 'crl' | 'registry'
}

type OcspSingle = {
  hashAlgorithm: string
  issuerNameHash: Uint8Array
  issuerKeyHash: Uint8Array
  serialNumber: Uint8Array
  status: 'good' | 'revoked' | 'unknown'
  revokedAt?: Date
  thisUpdate: Date
  nextUpdate?: Date
}

type ParsedOcsp = {
  tbsDer: Uint8Array
  signatureAlgorithm: BerNode
  signature: Uint8Array
  responderName?: Uint8Array
  responderKeyHash?: Uint8Array
  producedAt: Date
  responses: OcspSingle[]
  certificates: Uint8Array[]
  source: RevocationSourceKind
}

type ParsedCrl = {
  tbsDer: Uint8Array
  signatureAlgorithm: BerNode
  signature: Uint8Array
  issuerDer: Uint8Array
  thisUpdate: Date
  nextUpdate?: Date
  revoked: Map<string, Date>
  source: RevocationSourceKind
}

/** Evidence older than this before the validation time is not accepted as proof of "good". */
export const REVOCATION_FRESHNESS_MS = 7 * 24 * 3600 * 1000

/**
 * Revocation data gathered from a document (DSS, CMS `crls`, Adobe `revocationInfoArchival`, CAdES
 * `revocation-values`) and from online answers, parsed once. `statusOf` answers for one certificate
 * and its issuer: the OCSP response or CRL must be signed by the issuer (or an OCSP responder it
 * delegated with EKU OCSPSigning), match the certificate, and be fresh enough for the validation
 * time (thisUpdate at most {@link REVOCATION_FRESHNESS_MS} before it, or still current then).
 */
export class RevocationStore {
  private readonly ocsps: ParsedOcsp[] = []
  private readonly crls: ParsedCrl[] = []
  private readonly seen = new Set<string>()
  private readonly verified = new Map<string, boolean>()

  /** Adds a DER `OCSPResponse` or `BasicOCSPResponse`; malformed data is ignored. */
  addOcsp(der: Uint8Array, source: RevocationSourceKind): void {
    if (!this.once(der, source)) return
    try {
      this.ocsps.push(parseOcsp(der, source))
    } catch {
      /* unreadable evidence proves nothing */
    }
  }

  /** Adds a DER `CertificateList`; malformed data is ignored. */
  addCrl(der: Uint8Array, source: RevocationSourceKind): void {
    if (!this.once(der, source)) return
    try {
      this.crls.push(parseCrl(der, source))
    } catch {
      /* ignored */
    }
  }

  private once(der: Uint8Array, source: string): boolean {
    const key = source + createHash('sha256').update(der).digest('hex')
    if (this.seen.has(key)) return false
    this.seen.add(key)
    return true
  }

  /** The status of `cert` (issued by `issuer`) at `at`, from the best evidence held; undefined when none applies. */
  statusOf(cert: Certificate, issuer: Certificate, at: Date, extraCertificates: Certificate[]): SingleStatus | undefined {
    const candidates: SingleStatus[] = []
    for (const r of this.ocsps) {
      for (const s of r.responses) {
        if (!bytesEqual(s.serialNumber, cert.serialNumber)) continue
        const nameHash = digestWith(s.hashAlgorithm, issuer.subjectDer)
        const keyHash = digestWith(s.hashAlgorithm, issuer.subjectPublicKeyBits)
        if (!nameHash || !keyHash || !bytesEqual(nameHash, s.issuerNameHash) || !bytesEqual(keyHash, s.issuerKeyHash)) continue
        if (!this.ocspSignedFor(r, issuer, extraCertificates)) continue
        candidates.push({ status: s.status, revokedAt: s.revokedAt, thisUpdate: s.thisUpdate, nextUpdate: s.nextUpdate, source: r.source, via: 'ocsp' })
      }
    }
    for (const c of this.crls) {
      if (!bytesEqual(c.issuerDer, cert.issuerDer)) continue
      if (!this.crlSignedBy(c, issuer)) continue
      const revokedAt = c.revoked.get(toHex(cert.serialNumber))
      candidates.push({ status: revokedAt ? 'revoked' : 'good', revokedAt, thisUpdate: c.thisUpdate, nextUpdate: c.nextUpdate, source: c.source, via: 'crl' })
    }
    // A revocation before `at` wins over anything; then any fresh "good".
    const revoked = candidates.find((c) => c.status === 'revoked' && c.revokedAt && c.revokedAt.getTime() <= at.getTime())
    if (revoked) return revoked
    const fresh = (c: SingleStatus): boolean =>
      c.thisUpdate !== undefined &&
      (c.thisUpdate.getTime() >= at.getTime() - REVOCATION_FRESHNESS_MS || (c.thisUpdate.getTime() <= at.getTime() && (c.nextUpdate?.getTime() ?? 0) >= at.getTime()))
    const good = candidates.find((c) => (c.status === 'good' || c.status === 'revoked') && fresh(c))
    if (good) return good.status === 'revoked' ? { ...good, status: 'good' } : good
    const unknown = candidates.find((c) => c.status === 'unknown')
    return unknown
  }

  private ocspSignedFor(r: ParsedOcsp, issuer: Certificate, extra: Certificate[]): boolean {
    const key = `ocsp:${toHex(createHash('sha256').update(r.tbsDer).update(r.signature).digest())}:${issuer.sha256}`
    const cached = this.verified.get(key)
    if (cached !== undefined) return cached
    let ok = false
    const byIssuer =
      (r.responderName && bytesEqual(r.responderName, issuer.subjectDer)) ||
      (r.responderKeyHash && bytesEqual(r.responderKeyHash, sha1(issuer.subjectPublicKeyBits)))
    if (byIssuer && issuer.publicKey) {
      ok = verifySignature(r.signatureAlgorithm, r.tbsDer, r.signature, issuer.publicKey).ok
    }
    if (!ok) {
      const pool = [...r.certificates.map((d) => Certificate.tryParse(d)).filter((c): c is Certificate => c !== undefined), ...extra]
      for (const responder of pool) {
        const matches =
          (r.responderName && bytesEqual(r.responderName, responder.subjectDer)) ||
          (r.responderKeyHash && bytesEqual(r.responderKeyHash, sha1(responder.subjectPublicKeyBits)))
        if (!matches || !responder.publicKey) continue
        if (!bytesEqual(responder.issuerDer, issuer.subjectDer) || !responder.verifiedBy(issuer).ok) continue
        if (!(responder.extendedKeyUsage() ?? []).includes(EKU.ocspSigning)) continue
        if (r.producedAt < responder.notBefore || r.producedAt > responder.notAfter) continue
        if (verifySignature(r.signatureAlgorithm, r.tbsDer, r.signature, responder.publicKey).ok) {
          ok = true
          break
        }
      }
    }
    this.verified.set(key, ok)
    return ok
  }

  private crlSignedBy(c: ParsedCrl, issuer: Certificate): boolean {
    const key = `crl:${toHex(createHash('sha256').update(c.tbsDer).update(c.signature).digest())}:${issuer.sha256}`
    let ok = this.verified.get(key)
    if (ok === undefined) {
      ok = issuer.publicKey !== undefined && verifySignature(c.signatureAlgorithm, c.tbsDer, c.signature, issuer.publicKey).ok
      this.verified.set(key, ok)
    }
    return ok
  }
}

function sha1(b: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(b).digest())
}

/** `OCSPResponse` (RFC 6960 §4.2.1) or a bare `BasicOCSPResponse` (CAdES revocation-values). */
function parseOcsp(der: Uint8Array, source: RevocationSourceKind): ParsedOcsp {
  const root = decodeBer(der)
  let basic: BerNode = root
  if (root.children[0]?.tag === UNIVERSAL.enumerated) {
    if (smallInt(root.children[0], 'responseStatus', UNIVERSAL.enumerated) !== 0) throw new BerError('OCSP response status is not successful')
    const rb = root.children[1]
    if (!isContext(rb, 0)) throw new BerError('OCSP responseBytes missing')
    const [type, response] = items(rb.children[0], 'ResponseBytes')
    if (oid(type, 'responseType') !== '1.3.6.1.5.5.7.48.1.1') throw new BerError('not a basic OCSP response')
    basic = decodeBer(octets(response, 'response'))
  }
  const [tbs, sigAlg, sig, certs] = items(basic, 'BasicOCSPResponse')
  const f = items(tbs, 'ResponseData')
  let i = 0
  if (isContext(f[0], 0)) i++
  const rid = f[i++]
  let responderName: Uint8Array | undefined
  let responderKeyHash: Uint8Array | undefined
  if (isContext(rid, 1)) responderName = encoding(rid.children[0])
  else if (isContext(rid, 2)) responderKeyHash = content(expect(rid.children[0], UNIVERSAL.octetString, 'byKey'))
  else throw new BerError('bad ResponderID')
  const producedAt = time(f[i++], 'producedAt')
  const responses = items(f[i++], 'responses').map((r): OcspSingle => {
    const s = items(r, 'SingleResponse')
    const id = items(s[0], 'CertID')
    const statusNode = s[1]
    let status: OcspSingle['status'] = 'unknown'
    let revokedAt: Date | undefined
    if (isContext(statusNode, 0)) status = 'good'
    else if (isContext(statusNode, 1)) {
      status = 'revoked'
      revokedAt = time(statusNode.children[0], 'revocationTime')
    }
    const nextUpdate = isContext(s[3], 0) ? time(s[3].children[0], 'nextUpdate') : undefined
    return {
      hashAlgorithm: algorithmOid(id[0], 'hashAlgorithm'),
      issuerNameHash: content(expect(id[1], UNIVERSAL.octetString, 'issuerNameHash')),
      issuerKeyHash: content(expect(id[2], UNIVERSAL.octetString, 'issuerKeyHash')),
      serialNumber: unsignedInteger(id[3], 'serialNumber'),
      status,
      revokedAt,
      thisUpdate: time(s[2], 'thisUpdate'),
      nextUpdate,
    }
  })
  const certificates = isContext(certs, 0) && certs.children[0] ? certs.children[0].children.map(encoding) : []
  return {
    tbsDer: encoding(tbs),
    signatureAlgorithm: expect(sigAlg, UNIVERSAL.sequence, 'signatureAlgorithm'),
    signature: bitStringBytes(sig, 'signature'),
    responderName,
    responderKeyHash,
    producedAt,
    responses,
    certificates,
    source,
  }
}

/** `CertificateList` (RFC 5280 §5.1). */
function parseCrl(der: Uint8Array, source: RevocationSourceKind): ParsedCrl {
  const [tbs, sigAlg, sig] = items(decodeBer(der), 'CertificateList')
  const f = items(tbs, 'TBSCertList')
  let i = 0
  if (f[0]?.tag === UNIVERSAL.integer) i++
  i++ // signature
  const issuerDer = encoding(expect(f[i++], UNIVERSAL.sequence, 'issuer'))
  const thisUpdate = time(f[i++], 'thisUpdate')
  let nextUpdate: Date | undefined
  if (f[i] && (f[i].tag === UNIVERSAL.utcTime || f[i].tag === UNIVERSAL.generalizedTime)) nextUpdate = time(f[i++], 'nextUpdate')
  const revoked = new Map<string, Date>()
  if (f[i]?.tag === UNIVERSAL.sequence) {
    for (const entry of f[i].children) {
      const e = items(entry, 'revokedCertificate')
      revoked.set(toHex(unsignedInteger(e[0], 'userCertificate')), time(e[1], 'revocationDate'))
    }
  }
  return {
    tbsDer: encoding(tbs),
    signatureAlgorithm: expect(sigAlg, UNIVERSAL.sequence, 'signatureAlgorithm'),
    signature: bitStringBytes(sig, 'signatureValue'),
    issuerDer,
    thisUpdate,
    nextUpdate,
    revoked,
    source,
  }
}
