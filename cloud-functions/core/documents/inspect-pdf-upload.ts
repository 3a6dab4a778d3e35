import { err, ok, type Result } from '../shared/result'

export type PdfUploadFacts = { pdfVersion: string; size: number }

/** Largest upload accepted as a contract document. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

/**
 * Cheap checks on an uploaded file before it is stored: a `%PDF-x.y` header in the first 1024
 * bytes and a `%%EOF` marker in the last 1024 (ISO 32000-1 §7.5.2 / §7.5.5, with the slack real
 * producers need). It does not parse the file; the signing engine's reader does that later.
 */
export function inspectPdfUpload(bytes: Uint8Array): Result<PdfUploadFacts, { code: 'NOT_A_PDF' | 'PAYLOAD_TOO_LARGE'; message: string }> {
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    return err('PAYLOAD_TOO_LARGE', `文件超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB 上限`)
  }
  if (bytes.byteLength === 0) return err('NOT_A_PDF', '文件为空')
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(1024, bytes.byteLength)).toString('latin1')
  const header = /%PDF-(\d\.\d)/.exec(head)
  if (!header) return err('NOT_A_PDF', '文件不是 PDF：缺少 %PDF- 文件头')
  const tailStart = Math.max(0, bytes.byteLength - 1024)
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + tailStart, bytes.byteLength - tailStart).toString('latin1')
  if (!tail.includes('%%EOF')) return err('NOT_A_PDF', '文件不完整：缺少 %%EOF 结束标记（可能被截断）')
  return ok({ pdfVersion: header[1]!, size: bytes.byteLength })
}
