import { createHash } from 'node:crypto'
import type { DocumentView } from '../../api/documents.types'
import { checkPdfStructure } from '../../core/documents/check-pdf-structure'
import { inspectPdfUpload } from '../../core/documents/inspect-pdf-upload'
import { stripBidiControls } from '../../core/documents/strip-bidi-controls'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { CpuWork } from '../../ports/cpu-work'
import type { Item, MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { documentHashKey, documentKey, documentObjectKey } from './records'

/** `cpu`: where the structure check runs (the worker pool on the local server); inline without it. */
export type UploadDocumentDeps = { objects: ObjectStore; metadata: MetadataStore; clock: Clock; ids: Ids; cpu?: Pick<CpuWork, 'checkPdfStructure'> }

/**
 * Store a PDF uploaded by `ownerId`. The record gets a random id (128 bits) and the owner; the
 * bytes are stored content-addressed by SHA-256. De-duplication stays inside one owner: the same
 * owner uploading the same bytes again gets their existing record (`created: false`); another user
 * gets a record of their own and learns nothing about anyone else's. The bytes are stored before
 * the record, so a record never points at missing bytes; the record and the owner's hash index are
 * written in one transaction.
 */
export async function uploadDocument(
  deps: UploadDocumentDeps,
  input: { bytes: Uint8Array; fileName: string; ownerId: string },
): Promise<Result<{ document: DocumentView; created: boolean }>> {
  const facts = inspectPdfUpload(input.bytes)
  if (!facts.ok) return facts
  const structure = await (deps.cpu ? deps.cpu.checkPdfStructure(input.bytes) : checkPdfStructure(input.bytes))
  if (!structure.ok) return structure
  const fileName = cleanFileName(input.fileName)
  if (!fileName.ok) return fileName
  const sha256 = createHash('sha256').update(input.bytes).digest('hex')
  const hashKey = documentHashKey(input.ownerId, sha256)
  const mine = await existingUpload(deps.metadata, hashKey)
  if (mine) return ok({ document: toView(mine), created: false })

  await deps.objects.put(documentObjectKey(sha256), input.bytes, { contentType: 'application/pdf' })
  const id = Buffer.from(deps.ids.randomBytes(16)).toString('hex')
  const item = {
    ...documentKey(id),
    type: 'document',
    id,
    ownerId: input.ownerId,
    sha256,
    fileName: fileName.value,
    size: facts.value.size,
    pdfVersion: facts.value.pdfVersion,
    uploadedAt: deps.clock.now().toISOString(),
  }
  const written = await deps.metadata.transact([
    { put: item, condition: { mustNotExist: true } },
    { put: { ...hashKey, documentId: id }, condition: { mustNotExist: true } },
  ])
  if (!written.ok) {
    // The same owner stored the same file a moment ago: theirs is the record.
    const winner = await existingUpload(deps.metadata, hashKey)
    if (winner) return ok({ document: toView(winner), created: false })
    return err('CONFLICT', written.message)
  }
  return ok({ document: toView({ ...item, version: 1 }), created: true })
}

/** The owner's earlier record of the same bytes, if any. */
async function existingUpload(metadata: MetadataStore, hashKey: ReturnType<typeof documentHashKey>): Promise<Item | undefined> {
  const entry = await metadata.get(hashKey.pk, hashKey.sk)
  if (!entry) return undefined
  const key = documentKey(String(entry.documentId))
  return metadata.get(key.pk, key.sk)
}

/** Whether `id` has the shape of a document id (128 random bits, lowercase hex). */
export const isDocumentId = (id: string): boolean => /^[0-9a-f]{32}$/.test(id)

export function toView(item: Item): DocumentView {
  return {
    id: String(item.id),
    sha256: String(item.sha256),
    fileName: String(item.fileName),
    size: Number(item.size),
    pdfVersion: String(item.pdfVersion),
    uploadedAt: String(item.uploadedAt),
    version: item.version,
  }
}

/** A file name as stored: bidi controls removed, trimmed, at most 200 characters, no control characters or slashes. */
export function cleanFileName(name: string): Result<string> {
  const trimmed = stripBidiControls(name).trim() || 'document.pdf'
  if (trimmed.length > 200) return err('VALIDATION_FAILED', '文件名过长（最多 200 个字符）', { field: 'fileName' })
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\]/.test(trimmed)) return err('VALIDATION_FAILED', '文件名包含不允许的字符', { field: 'fileName' })
  return ok(trimmed)
}
