import { createHash } from 'node:crypto'
import type { DocumentView } from '../../api/documents.types'
import { checkPdfStructure } from '../../core/documents/check-pdf-structure'
import { inspectPdfUpload } from '../../core/documents/inspect-pdf-upload'
import { stripBidiControls } from '../../core/documents/strip-bidi-controls'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { CpuWork } from '../../ports/cpu-work'
import type { Item, MetadataStore } from '../../ports/metadata-store'
import type { ObjectStore } from '../../ports/object-store'
import { documentKey, documentObjectKey } from './records'

/** `cpu`: where the structure check runs (the worker pool on the local server); inline without it. */
export type UploadDocumentDeps = { objects: ObjectStore; metadata: MetadataStore; clock: Clock; cpu?: Pick<CpuWork, 'checkPdfStructure'> }

/**
 * Store an uploaded PDF, content-addressed by SHA-256. Idempotent: the same bytes give the same
 * document (`created: false`) and nothing is written twice. The bytes are stored before the
 * record, so a record never points at missing bytes; a crash between the two leaves only an
 * unreferenced object under its own hash, which the next upload of that file reuses.
 */
export async function uploadDocument(
  deps: UploadDocumentDeps,
  input: { bytes: Uint8Array; fileName: string },
): Promise<Result<{ document: DocumentView; created: boolean }>> {
  const facts = inspectPdfUpload(input.bytes)
  if (!facts.ok) return facts
  const structure = await (deps.cpu ? deps.cpu.checkPdfStructure(input.bytes) : checkPdfStructure(input.bytes))
  if (!structure.ok) return structure
  const fileName = cleanFileName(input.fileName)
  if (!fileName.ok) return fileName
  const id = createHash('sha256').update(input.bytes).digest('hex')
  const existing = await deps.metadata.get(documentKey(id).pk, documentKey(id).sk)
  if (existing) return ok({ document: toView(existing), created: false })

  await deps.objects.put(documentObjectKey(id), input.bytes, { contentType: 'application/pdf' })
  const item = {
    ...documentKey(id),
    type: 'document',
    id,
    fileName: fileName.value,
    size: facts.value.size,
    pdfVersion: facts.value.pdfVersion,
    uploadedAt: deps.clock.now().toISOString(),
  }
  const written = await deps.metadata.put(item, { mustNotExist: true })
  if (!written.ok) {
    // Another request stored the same file a moment ago: theirs is the record.
    const winner = await deps.metadata.get(item.pk, item.sk)
    if (winner) return ok({ document: toView(winner), created: false })
    return err('CONFLICT', written.message)
  }
  return ok({ document: toView({ ...item, version: 1 }), created: true })
}

/** Whether `id` has the shape of a document id (SHA-256, lowercase hex). */
export const isDocumentId = (id: string): boolean => /^[0-9a-f]{64}$/.test(id)

export function toView(item: Item): DocumentView {
  return {
    id: String(item.id),
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
