import type { PersonVerificationView } from '../../api/identity.types'
import { ok, type Result } from '../../core/shared/result'
import type { IdentityDeps } from './deps'
import { loadFaceCounter, personView, requireUser } from './records'

/** `GET /api/identity/person`: where the caller stands in person verification (masked data only). */
export async function getPersonVerification(deps: IdentityDeps, input: { userId: string }): Promise<Result<PersonVerificationView>> {
  const user = await requireUser(deps.metadata, input.userId)
  if (!user.ok) return user
  const idHash = user.value.person?.idHash
  const counter = idHash ? await loadFaceCounter(deps.metadata, idHash) : undefined
  return ok(personView(user.value, counter, deps.clock.now(), deps.identity.describe().kind === 'sandbox'))
}
