import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfRef, type PdfValue } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import { documentLayout } from '../signing/document-layout'
import { rewriteDocument } from '../signing/repair-document'
import { err, ok, type Result } from '../shared/result'

/** Most pages a contract document may have (the page renderer's bound, adapters/pdfium). */
export const MAX_DOCUMENT_PAGES = 1000

type StructureError = { code: 'NOT_A_PDF' | 'DOCUMENT_TOO_MANY_PAGES'; message: string; details?: Record<string, unknown> }

/**
 * Reads an uploaded file's structure with the signing engine's reader before it is stored: the
 * trailer, the cross-reference chain, the catalog, the whole page tree (at most
 * {@link MAX_DOCUMENT_PAGES} pages, no loops) and what placing fields and sending read of every
 * page (sizes, rotation, existing signature widgets: `documentLayout`) must open. A file whose
 * cross-reference offsets are wrong but that carries no signature is accepted when the repair the
 * signing step would do (one full rewrite) passes the same checks; anything else — a `%PDF-` header
 * and a `%%EOF` around nothing, an encrypted file, a signed and broken file, an object that does not
 * parse, arrays nested hundreds deep — is `NOT_A_PDF`, so a stored document never fails later when
 * the sender places fields or sends.
 */
export async function checkPdfStructure(bytes: Uint8Array): Promise<Result<{ pages: number; repairable: boolean }, StructureError>> {
  let reader: PdfReader
  try {
    reader = PdfReader.open(bytes)
  } catch (e) {
    const code = e instanceof PdfFormatError ? e.code : 'BROKEN_XREF'
    if (code === 'ENCRYPTED') return err('NOT_A_PDF', '不支持加密的 PDF，请先移除密码后再上传', { reason: code })
    if (code !== 'BROKEN_XREF' || PdfReader.looksSigned(bytes)) return err('NOT_A_PDF', `文件不是有效的 PDF：无法读取文件结构`, { reason: code })
    return checkRepaired(bytes)
  }
  return checkPages(reader, false)
}

/** The pages of a file that opened: every later step reads them through the same reader. */
function checkPages(reader: PdfReader, repairable: boolean): Result<{ pages: number; repairable: boolean }, StructureError> {
  try {
    const count = reader.pageCount()
    if (count > MAX_DOCUMENT_PAGES) return tooManyPages(count)
    if (count < 1) return err('NOT_A_PDF', '文件不是有效的 PDF：没有页面', { reason: 'NO_PAGES' })
    const pages = reader.pageRefs(MAX_DOCUMENT_PAGES).length
    if (pages > MAX_DOCUMENT_PAGES) return tooManyPages(pages)
    documentLayout(reader)
    readWhatSendingReads(reader, reader.pageRefs(MAX_DOCUMENT_PAGES))
    return ok({ pages: count, repairable })
  } catch (e) {
    // A PdfFormatError, a parse error of one object, or a structure nested too deep: all the same to the sender.
    return err('NOT_A_PDF', '文件不是有效的 PDF：文件结构已损坏', { reason: e instanceof PdfFormatError ? e.code : 'BROKEN_OBJECT' })
  }
}

/**
 * What preparation at send reads besides the layout (core/signing/verify-stamp.ts and
 * prepare-document.ts): each page's `/Contents`, inherited resources and their fonts, `/Annots`, and
 * the form's field tree. An object among them that does not parse is found now, not at send.
 */
function readWhatSendingReads(reader: PdfReader, pages: PdfRef[]): void {
  for (const ref of pages) {
    const page = reader.dictAt(ref)
    if (!page) continue
    reader.resolve(page.get('Contents'))
    reader.dictAt(reader.dictAt(reader.inherited(page, 'Resources'))?.get('Font'))
    reader.resolve(page.get('Annots'))
  }
  const form = reader.dictAt(reader.catalog().get('AcroForm'))
  const fields = form ? reader.resolve(form.get('Fields')) : undefined
  const seen = new Set<number>()
  const walk = (v: PdfValue, depth: number): void => {
    if (depth > 32 || (v instanceof PdfRef && seen.has(v.num))) return
    if (v instanceof PdfRef) seen.add(v.num)
    const kids = reader.resolve(reader.dictAt(v)?.get('Kids'))
    if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1)
  }
  if (Array.isArray(fields)) for (const f of fields) walk(f, 0)
}

/** An unsigned file with broken cross-reference data: what the one full rewrite at send makes of it. */
async function checkRepaired(bytes: Uint8Array): Promise<Result<{ pages: number; repairable: boolean }, StructureError>> {
  let reader: PdfReader
  try {
    reader = PdfReader.open(await rewriteDocument(bytes))
  } catch {
    return err('NOT_A_PDF', '文件不是有效的 PDF：文件结构已损坏，无法修复', { reason: 'BROKEN_XREF' })
  }
  return checkPages(reader, true)
}

const tooManyPages = (pages: number) =>
  err('DOCUMENT_TOO_MANY_PAGES' as const, `文档不能超过 ${MAX_DOCUMENT_PAGES} 页`, { pages, limit: MAX_DOCUMENT_PAGES })
