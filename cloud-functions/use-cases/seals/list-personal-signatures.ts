import type { PersonalSignatureListResponse } from '../../api/seals.types'
import { toSignatureView } from './records'
import { ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'

/** The caller's personal seals and handwritten signatures, newest first. */
export async function listPersonalSignatures(deps: { metadata: MetadataStore }, input: { userId: string }): Promise<Result<PersonalSignatureListResponse>> {
  const page = await deps.metadata.query(`USER#${input.userId}`, { skPrefix: 'SIGNATURE#', reverse: true })
  return ok({ signatures: page.items.map(toSignatureView) })
}
