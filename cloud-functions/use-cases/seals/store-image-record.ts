import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore, NewItem } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'

/**
 * Store a PNG under `objectKey` and create the record that points at it. The image is written
 * first, so a record never points at nothing; when the record cannot be created (its key is taken),
 * the image is removed again and the caller gets `CONFLICT` — nothing is left half-stored.
 */
export async function storeImageRecord<T extends NewItem>(
  deps: { objects: ObjectStore; metadata: MetadataStore },
  objectKey: string,
  png: Uint8Array,
  item: T,
): Promise<Result<T & { version: number }>> {
  await deps.objects.put(objectKey, png, { contentType: 'image/png' })
  const written = await deps.metadata.put(item, { mustNotExist: true })
  if (!written.ok) {
    await deps.objects.delete(objectKey)
    return err('CONFLICT', written.message)
  }
  return ok({ ...item, version: 1 })
}
