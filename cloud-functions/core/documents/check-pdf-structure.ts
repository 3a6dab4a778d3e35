import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfReader } from '../pdf/pdf-reader'
import { rewriteDocument } from '../signing/repair-document'
import { err, ok, type Result } from '../shared/result'

/**
 * Reads an uploaded file's structure with the signing engine's reader before it is stored: the
 * trailer, the cross-reference chain, the catalog and the page tree must open and hold at least
 * one page. A file whose cross-reference offsets are wrong but that carries no signature is
 * accepted when the repair the signing step would do (one full rewrite) finds pages; anything
 * else — a `%PDF-` header and a `%%EOF` around nothing, an encrypted file, a signed and broken
 * file — is `NOT_A_PDF`.
 */
export async function checkPdfStructure(bytes: Uint8Array): Promise<Result<{ pages: number; repairable: boolean }, { code: 'NOT_A_PDF'; message: string; details?: Record<string, unknown> }>> {
  try {
    const reader = PdfReader.open(bytes)
    const pages = reader.pageCount()
    if (pages < 1) return err('NOT_A_PDF', '文件不是有效的 PDF：没有页面', { reason: 'NO_PAGES' })
    reader.pageRef(0)
    return ok({ pages, repairable: false })
  } catch (e) {
    const code = e instanceof PdfFormatError ? e.code : 'BROKEN_XREF'
    if (code === 'ENCRYPTED') return err('NOT_A_PDF', '不支持加密的 PDF，请先移除密码后再上传', { reason: code })
    if (code !== 'BROKEN_XREF' || PdfReader.looksSigned(bytes)) return err('NOT_A_PDF', `文件不是有效的 PDF：无法读取文件结构`, { reason: code })
  }
  try {
    const repaired = PdfReader.open(await rewriteDocument(bytes))
    return ok({ pages: repaired.pageCount(), repairable: true })
  } catch {
    return err('NOT_A_PDF', '文件不是有效的 PDF：文件结构已损坏，无法修复', { reason: 'BROKEN_XREF' })
  }
}
