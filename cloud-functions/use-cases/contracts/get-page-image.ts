import { err, ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'
import type { MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { documentObjectKey } from '../documents/records'
import { findContract, loadCaller } from './find-contract'
import { pageImageObjectKey, revisionObjectKey, type ContractItem } from './records'

/** The revision page images are made of: the newest (the completion revision once completed); before sending, the upload. */
export function currentRevision(item: ContractItem): { sha256: string; objectKey: string } {
  const c = item.contract
  const sha256 = item.finalSha256 ?? c.document.latestSha256 ?? c.document.originalSha256
  return { sha256, objectKey: sha256 === c.document.originalSha256 ? documentObjectKey(sha256) : revisionObjectKey(c.contractId, sha256) }
}

/**
 * Page images are made in widths of whole hundreds (the requested width rounded up, at most 2,000):
 * at most 20 images per page and revision, however many widths callers ask for.
 */
export const PAGE_IMAGE_WIDTH_STEP = 100

/**
 * One page (0-based) of the contract's current revision as a PNG about `width` pixels wide (see
 * {@link PAGE_IMAGE_WIDTH_STEP}), for its
 * sender or a party. Rendered once on the CPU pool (PDFium, off the event loop) and kept in the
 * object store under `pageImageObjectKey` (revision hash, page, width): a revision never changes,
 * so every later request for the same image is served from the store without rendering.
 */
export async function getPageImage(
  deps: { metadata: MetadataStore; objects: ObjectStore; cpu: Pick<CpuWork, 'renderPage'> },
  input: { userId: string; contractId: string; page: number; width: number },
): Promise<Result<{ png: Uint8Array; sha256: string; cached: boolean }>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  const pages = item.contract.document.pages
  if (pages && input.page >= pages.length) return err('PAGE_OUT_OF_RANGE', `第 ${input.page + 1} 页不存在（合同共 ${pages.length} 页）`, { page: input.page, pageCount: pages.length })
  const revision = currentRevision(item)
  const width = Math.min(2000, Math.ceil(input.width / PAGE_IMAGE_WIDTH_STEP) * PAGE_IMAGE_WIDTH_STEP)
  const key = pageImageObjectKey(item.contract.contractId, revision.sha256, input.page, width)
  const cached = await deps.objects.get(key)
  if (cached) return ok({ png: cached, sha256: revision.sha256, cached: true })
  const pdf = await deps.objects.get(revision.objectKey)
  if (!pdf) return err('DOCUMENT_NOT_FOUND', '合同文件不存在')
  const image = await deps.cpu.renderPage(pdf, input.page, width)
  if (!image.ok) return image
  await deps.objects.put(key, image.value.png, { contentType: 'image/png' })
  return ok({ png: image.value.png, sha256: revision.sha256, cached: false })
}
