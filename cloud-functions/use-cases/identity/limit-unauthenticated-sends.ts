import { UNAUTHENTICATED_SEND_POLICY } from '../../core/identity/one-time-code'
import { lookupHash, type PersonalDataKeys } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { MetadataStore } from '../../ports/metadata-store'
import { epochSeconds, sourceSendKey, withoutVersion } from './records'

export type SendLimitDeps = { metadata: MetadataStore; clock: Clock; personalData: PersonalDataKeys }


/** What {@link reserveSourceSend} took, for {@link releaseSourceSend}. */
export type SourceReservation = { key: ReturnType<typeof sourceSendKey>; version: number }

/**
 * Count one unauthenticated send from `sourceIp` against {@link UNAUTHENTICATED_SEND_POLICY}:
 * `TOO_MANY_REQUESTS` (429, `retryAfterSeconds` to the end of the window) once the source used its
 * budget. The increment is a conditional write (retried on a concurrent one), so parallel requests
 * cannot all slip under the limit.
 */
export async function reserveSourceSend(deps: SendLimitDeps, input: { sourceIp: string }): Promise<Result<SourceReservation>> {
  const { perSource, windowSeconds } = UNAUTHENTICATED_SEND_POLICY
  const now = epochSeconds(deps.clock.now())
  const windowStart = now - (now % windowSeconds)
  const key = sourceSendKey(lookupHash(deps.personalData, 'ip-address', input.sourceIp || 'unknown'), windowStart)
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await deps.metadata.get(key.pk, key.sk)
    const count = Number(current?.count ?? 0)
    if (count >= perSource) {
      return err('TOO_MANY_REQUESTS', '该网络发送验证码过于频繁，请稍后再试', { retryAfterSeconds: windowStart + windowSeconds - now })
    }
    const item = { ...key, count: count + 1, expiresAt: windowStart + windowSeconds + 3600 }
    const written = await deps.metadata.put(item, current ? { expectedVersion: current.version } : { mustNotExist: true })
    if (written.ok) return ok({ key, version: (current?.version ?? 0) + 1 })
  }
  return err('TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试', { retryAfterSeconds: 1 })
}

/** Give a reservation back when nothing was sent (invalid phone, resend too soon, gateway down); best effort. */
export async function releaseSourceSend(deps: SendLimitDeps, reservation: SourceReservation): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await deps.metadata.get(reservation.key.pk, reservation.key.sk)
    if (!current) return
    const written = await deps.metadata.put({ ...withoutVersion(current), count: Math.max(0, Number(current.count) - 1) }, { expectedVersion: current.version })
    if (written.ok) return
  }
}
