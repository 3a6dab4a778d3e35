import type { PersonalSignatureListResponse } from '../../api/seals.types'
import { toSignatureView, SIGNATURE_PREFIX } from './records'
import { ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { userPartition } from '../identity/records'

/** The caller's personal seals and handwritten signatures, newest first. */
export async function listPersonalSignatures(deps: { metadata: MetadataStore }, input: { userId: string }): Promise<Result<PersonalSignatureListResponse>> {
  const page = await deps.metadata.query(userPartition(input.userId), { skPrefix: SIGNATURE_PREFIX, reverse: true })
  return ok({ signatures: page.items.map(toSignatureView) })
}
