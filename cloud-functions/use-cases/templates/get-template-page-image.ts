import { err, type Result } from '../../core/shared/result'
import { renderDocumentPage, type DocumentPageImage, type DocumentPageImageDeps } from '../documents/get-document-page-image'
import { loadTemplateVersion } from './records'
import { findTemplate } from './template-access'

/**
 * One page (0-based) of a template version's document (default: the latest) as a PNG, for the
 * members of the template's company (the editor places role fields and placeholders on it), cached
 * in the object store like every page image.
 */
export async function getTemplatePageImage(deps: DocumentPageImageDeps, input: { userId: string; templateId: string; version?: number; page: number; width: number }): Promise<Result<DocumentPageImage>> {
  const found = await findTemplate(deps, input)
  if (!found.ok) return found
  const v = await loadTemplateVersion(deps.metadata, input.templateId, input.version ?? found.value.head.latestVersion)
  if (!v) return err('TEMPLATE_NOT_FOUND', '模板的该版本不存在')
  if (input.page >= v.pages.length) return err('PAGE_OUT_OF_RANGE', `第 ${input.page + 1} 页不存在（模板共 ${v.pages.length} 页）`, { page: input.page, pageCount: v.pages.length })
  return renderDocumentPage(deps, { sha256: v.sha256, page: input.page, width: input.width })
}
