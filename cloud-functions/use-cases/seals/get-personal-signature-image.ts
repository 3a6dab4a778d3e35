import { signatureKey, signatureObjectKey } from './records'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'

/** The PNG of one of the caller's own signatures (no one else's: `NOT_FOUND`). */
export async function getPersonalSignatureImage(
  deps: { metadata: MetadataStore; objects: ObjectStore },
  input: { userId: string; signatureId: string },
): Promise<Result<Uint8Array>> {
  const { pk, sk } = signatureKey(input.userId, input.signatureId)
  if (!(await deps.metadata.get(pk, sk))) return err('NOT_FOUND', '签名不存在')
  const bytes = await deps.objects.get(signatureObjectKey(input.userId, input.signatureId))
  if (!bytes) return err('NOT_FOUND', '签名图片不存在')
  return ok(bytes)
}
