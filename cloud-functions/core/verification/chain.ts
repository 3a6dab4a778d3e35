import type { CertificateView, RevocationView, VerificationProblem } from './report'
import type { RevocationSource } from '../../ports/revocation-source'
import { Certificate, CertificatePool, EKU, KEY_USAGE } from './certificate'
import { RevocationStore } from './revocation'

/** What the certificate is used for: decides the key usage checks on the end-entity certificate. */
export type CertificatePurpose = 'signing' | 'timestamping'

/**
 * Everything one verification run shares: the trust anchors, every certificate seen in the
 * document (CMS, DSS, time-stamp tokens), the revocation evidence, an optional online source, and
 * caches of signature checks (a 10-signature document repeats the same CA certificates).
 */
export class ValidationContext {
  readonly pool = new CertificatePool()
  readonly anchors: Certificate[] = []
  readonly revocation = new RevocationStore()
  private readonly signatureCache = new Map<string, boolean>()
  private readonly onlineAsked = new Map<string, Promise<void>>()

  constructor(
    trustRoots: Uint8Array[],
    readonly now: Date,
    readonly online?: RevocationSource,
  ) {
    for (const der of trustRoots) {
      const c = Certificate.tryParse(der)
      if (c && !this.anchors.some((a) => a.sha256 === c.sha256)) this.anchors.push(c)
    }
  }

  /** Whether `child`'s signature verifies with `issuer`'s key (cached). */
  issuedBy(child: Certificate, issuer: Certificate): boolean {
    if (!Buffer.from(child.issuerDer).equals(Buffer.from(issuer.subjectDer))) return false
    const key = child.sha256 + issuer.sha256
    let ok = this.signatureCache.get(key)
    if (ok === undefined) {
      ok = child.verifiedBy(issuer).ok
      this.signatureCache.set(key, ok)
    }
    return ok
  }

  isAnchor(c: Certificate): boolean {
    return this.anchors.some(
      (a) => a.sha256 === c.sha256 || (Buffer.from(a.subjectDer).equals(Buffer.from(c.subjectDer)) && Buffer.from(a.spkiDer).equals(Buffer.from(c.spkiDer))),
    )
  }

  /** Asks the online source once per certificate and adds what it answers to the store. */
  async askOnline(cert: Certificate, issuer: Certificate): Promise<void> {
    if (!this.online) return
    let p = this.onlineAsked.get(cert.sha256)
    if (!p) {
      const online = this.online
      p = (async () => {
        try {
          const der = await online.ocsp(cert.der, issuer.der)
          if (der) this.revocation.addOcsp(der, 'online')
        } catch {
          /* an unreachable responder leaves the status unknown */
        }
      })()
      this.onlineAsked.set(cert.sha256, p)
    }
    await p
  }
}

export type ChainResult = {
  /** Chains to an anchor, every certificate valid at `at`, constraints hold, nothing revoked at `at`. */
  trusted: boolean
  /** Leaf first; ends with the anchor when one was reached. */
  path: Certificate[]
  revocation: RevocationView
  problems: VerificationProblem[]
  warnings: VerificationProblem[]
}

const MAX_PATH = 8

/**
 * Builds a path from `leaf` to a trust anchor (issuer name match and a verified signature at every
 * step, RFC 5280 §6) and validates it at time `at`: validity periods, basicConstraints cA and
 * pathLenConstraint, keyUsage keyCertSign on CAs, digitalSignature/nonRepudiation (signing) or EKU
 * timeStamping (time-stamping) on the leaf, and revocation of every non-anchor certificate.
 * Revocation that cannot be established is a warning (soft fail), a revocation before `at` is fatal.
 */
export async function validateChain(leaf: Certificate, purpose: CertificatePurpose, at: Date, ctx: ValidationContext): Promise<ChainResult> {
  const problems: VerificationProblem[] = []
  const warnings: VerificationProblem[] = []
  const path = buildPath(leaf, ctx)
  const anchored = path.length > 0 && ctx.isAnchor(path[path.length - 1])
  if (!anchored) {
    problems.push({ code: 'UNTRUSTED_ROOT', message: `no path from "${leaf.subject}" to a trusted root (last certificate: "${path[path.length - 1].subject}")` })
  }
  // Validity at `at`.
  for (const c of path) {
    if (at.getTime() < c.notBefore.getTime()) problems.push({ code: 'CERTIFICATE_NOT_YET_VALID', message: `"${c.subject}" is valid only from ${c.notBefore.toISOString()} (checked at ${at.toISOString()})` })
    else if (at.getTime() > c.notAfter.getTime()) problems.push({ code: 'CERTIFICATE_EXPIRED', message: `"${c.subject}" expired at ${c.notAfter.toISOString()} (checked at ${at.toISOString()})` })
  }
  // CA constraints on every issuer in the path.
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]
    const anchor = i === path.length - 1 && anchored
    const bc = ca.basicConstraints()
    if (!bc?.ca && !(anchor && bc === undefined)) problems.push({ code: 'CHAIN_INVALID', message: `"${ca.subject}" is not a CA certificate (basicConstraints)` })
    const ku = ca.keyUsage()
    if (ku && !ku.has(KEY_USAGE.keyCertSign)) problems.push({ code: 'KEY_USAGE', message: `"${ca.subject}" may not sign certificates (keyUsage)` })
    // pathLenConstraint counts the non-self-issued intermediates below this CA.
    const below = path.slice(1, i).filter((c) => !c.selfIssued).length
    if (bc?.pathLength !== undefined && below > bc.pathLength) problems.push({ code: 'CHAIN_INVALID', message: `"${ca.subject}" allows ${bc.pathLength} intermediate certificate(s) below it, the path has ${below}` })
  }
  const ku = leaf.keyUsage()
  if (purpose === 'signing' && ku && !ku.has(KEY_USAGE.digitalSignature) && !ku.has(KEY_USAGE.nonRepudiation)) {
    problems.push({ code: 'KEY_USAGE', message: `"${leaf.subject}" may not make signatures (keyUsage)` })
  }
  if (purpose === 'timestamping' && !(leaf.extendedKeyUsage() ?? []).includes(EKU.timeStamping)) {
    problems.push({ code: 'KEY_USAGE', message: `"${leaf.subject}" is not a time-stamping certificate (extKeyUsage)` })
  }
  const revocation = await checkPathRevocation(path, anchored, at, ctx, problems, warnings)
  return { trusted: anchored && problems.length === 0, path, revocation, problems, warnings }
}

function buildPath(leaf: Certificate, ctx: ValidationContext): Certificate[] {
  let best: Certificate[] = [leaf]
  const visit = (path: Certificate[]): Certificate[] | undefined => {
    const cur = path[path.length - 1]
    if (ctx.isAnchor(cur)) return path
    if (path.length > best.length) best = path
    if (path.length >= MAX_PATH) return undefined
    const candidates = [...ctx.anchors, ...ctx.pool.bySubject(cur.issuerDer)].filter((c) => !path.some((p) => p.sha256 === c.sha256))
    for (const issuer of candidates) {
      if (!ctx.issuedBy(cur, issuer)) continue
      const found = visit([...path, issuer])
      if (found) return found
    }
    return undefined
  }
  return visit([leaf]) ?? best
}

async function checkPathRevocation(
  path: Certificate[],
  anchored: boolean,
  at: Date,
  ctx: ValidationContext,
  problems: VerificationProblem[],
  warnings: VerificationProblem[],
): Promise<RevocationView> {
  let overall: RevocationView = { status: 'good', source: null }
  const last = anchored ? path.length - 1 : path.length
  const sources = new Set<string>()
  for (let i = 0; i < last && i + 1 < path.length; i++) {
    const cert = path[i]
    const issuer = path[i + 1]
    if (cert.extensions.has('1.3.6.1.5.5.7.48.1.5')) continue // id-pkix-ocsp-nocheck
    const extra = ctx.pool.all()
    let s = ctx.revocation.statusOf(cert, issuer, at, extra)
    if ((!s || s.status === 'unknown') && anchored && ctx.online) {
      await ctx.askOnline(cert, issuer)
      s = ctx.revocation.statusOf(cert, issuer, at, extra)
    }
    if (s?.status === 'revoked') {
      problems.push({ code: 'REVOKED', message: `"${cert.subject}" was revoked at ${s.revokedAt?.toISOString()} (${s.via.toUpperCase()}, ${s.source})` })
      return { status: 'revoked', source: s.source, revokedAt: s.revokedAt?.toISOString() }
    }
    if (!s || s.status === 'unknown') {
      warnings.push({ code: 'REVOCATION_UNKNOWN', message: `no usable revocation information for "${cert.subject}"` })
      overall = { status: 'unknown', source: null }
      continue
    }
    sources.add(s.source)
  }
  if (overall.status === 'good') {
    const src = [...sources]
    overall = { status: path.length <= 1 && !anchored ? 'unknown' : 'good', source: (src.includes('online') ? 'online' : src.includes('dss') ? 'dss' : src[0] ?? null) as RevocationView['source'] }
  }
  return overall
}

export function viewOf(c: Certificate): CertificateView {
  return c.describe()
}
