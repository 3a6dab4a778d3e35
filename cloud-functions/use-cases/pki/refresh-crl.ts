import { buildCrl } from '../../core/pki/build-crl'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import type { PlatformCa } from '../../ports/platform-ca'
import { crlKey, crlPartItems, listRevoked, readCrlParts } from './records'

/** The CAs that publish a CRL: the issuing CA (signer certificates) and the root (the issuing CA, the TSA). */
export type CrlIssuer = 'issuing' | 'root'

const DAY = 24 * 60 * 60 * 1000
/** How long a CRL's part items outlive its nextUpdate (a newer CRL replaces it 2–10 days before). */
const PART_GRACE_SECONDS = 7 * 24 * 60 * 60

/**
 * How long each CRL is valid (nextUpdate − thisUpdate) and how long before its nextUpdate it is
 * regenerated. Checked on every read and by the scheduled tick, so a CRL never reaches its
 * nextUpdate unrenewed while the service runs.
 */
export const CRL_POLICY: Record<CrlIssuer, { validityMs: number; refreshBeforeMs: number }> = {
  issuing: { validityMs: 7 * DAY, refreshBeforeMs: 2 * DAY },
  root: { validityMs: 30 * DAY, refreshBeforeMs: 10 * DAY },
}

export type PublishedCrl = {
  der: Uint8Array
  crlNumber: bigint
  thisUpdate: Date
  nextUpdate: Date
  /** Whether this call signed a new CRL. */
  regenerated: boolean
  /** The stored CRL had already passed its nextUpdate when this call looked (an outage of the schedule). */
  wasOverdue: boolean
}

export type RefreshCrlDeps = { metadata: MetadataStore; clock: Clock; ca: PlatformCa }

/**
 * The current CRL of `issuer`, regenerated when there is none, when it is within
 * `CRL_POLICY[issuer].refreshBeforeMs` of its nextUpdate, or when `force` (after a revocation).
 * A new CRL lists every revoked certificate of the registry, carries the next CRL number, and is
 * stored with a conditional write: concurrent refreshes never publish two CRLs under one number,
 * and a forced refresh retries until its CRL (which includes the revocation it follows) is stored.
 *
 * @example
 * const { der } = await refreshCrl(deps, 'issuing')           // GET /api/pki/crl/issuing.crl
 * await refreshCrl(deps, 'issuing', { force: true })          // after revokeCertificate
 */
export async function refreshCrl(deps: RefreshCrlDeps, issuer: CrlIssuer, options: { force?: boolean } = {}): Promise<PublishedCrl> {
  const policy = CRL_POLICY[issuer]
  const key = crlKey(issuer)
  for (let attempt = 0; attempt < 8; attempt++) {
    const now = deps.clock.now()
    const stored = await deps.metadata.get(key.pk, key.sk)
    // The DER: inline in CRLs stored before the parts (small), else in its part items.
    const der = !stored
      ? undefined
      : stored.der !== undefined
        ? new Uint8Array(Buffer.from(String(stored.der), 'base64'))
        : await readCrlParts(deps.metadata, issuer, String(stored.derSha256), Number(stored.parts))
    const current = stored &&
      der && {
        der,
        crlNumber: BigInt(String(stored.crlNumber)),
        thisUpdate: new Date(String(stored.thisUpdate)),
        nextUpdate: new Date(String(stored.nextUpdate)),
      }
    const wasOverdue = stored !== undefined && now >= new Date(String(stored.nextUpdate))
    if (current && !options.force && now.getTime() < current.nextUpdate.getTime() - policy.refreshBeforeMs) {
      return { ...current, regenerated: false, wasOverdue: false }
    }
    const revoked = await listRevoked(deps.metadata, issuer)
    // A CRL whose parts expired (the schedule stopped for a week past its nextUpdate) is replaced under the next number.
    const crlNumber = (stored ? BigInt(String(stored.crlNumber)) : 0n) + 1n
    // Whole seconds: CRL times are encoded without fractions.
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000)
    const nextUpdate = new Date(thisUpdate.getTime() + policy.validityMs)
    const signed = await buildCrl({
      issuer: issuer === 'issuing' ? deps.ca.issuing : await deps.ca.root(),
      thisUpdate,
      nextUpdate,
      crlNumber,
      revoked: revoked.map((r) => ({ serialNumber: new Uint8Array(Buffer.from(r.serialNumber, 'hex')), revocationDate: r.revokedAt, reason: r.reason })),
    })
    // The parts first (they expire a week after this CRL's nextUpdate), then the item that points at them.
    const { derSha256, parts } = crlPartItems(issuer, signed, Math.floor(nextUpdate.getTime() / 1000) + PART_GRACE_SECONDS)
    for (const part of parts) {
      const put = await deps.metadata.put(part)
      if (!put.ok) throw new Error(`could not store a part of the ${issuer} CRL`)
    }
    const written = await deps.metadata.put(
      {
        ...key,
        type: 'crl',
        crlNumber: crlNumber.toString(),
        thisUpdate: thisUpdate.toISOString(),
        nextUpdate: nextUpdate.toISOString(),
        revokedCount: revoked.length,
        derSha256,
        parts: parts.length,
        derBytes: signed.length,
      },
      stored ? { expectedVersion: stored.version } : { mustNotExist: true },
    )
    if (written.ok) return { der: signed, crlNumber, thisUpdate, nextUpdate, regenerated: true, wasOverdue }
    // Another process stored a CRL meanwhile: look again (a forced refresh signs a newer one).
  }
  throw new Error(`could not store a new ${issuer} CRL: too much contention`)
}
