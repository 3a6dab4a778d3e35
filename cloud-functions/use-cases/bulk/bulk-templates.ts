import { err, ok } from '../../core/shared/result'
import type { ContractDeps } from '../contracts/deps'
import { createContractFromTemplate } from '../templates/create-contract-from-template'
import { getTemplate } from '../templates/get-template'
import type { BulkTemplates } from './deps'

/**
 * Bulk send's view of the templates area: a template's latest version (placeholders and roles) for a
 * member of its company — a disabled one is refused at preview already (`TEMPLATE_DISABLED`) —
 * and `createContractFromTemplate` for each row.
 */
export function bulkTemplates(deps: ContractDeps): BulkTemplates {
  return {
    shape: async ({ userId, templateId }) => {
      const t = await getTemplate(deps, { userId, templateId })
      if (!t.ok) return t
      if (!t.value.enabled) return err('TEMPLATE_DISABLED', '模板已停用，不能再用来发起合同')
      return ok({ placeholders: t.value.placeholders, roles: t.value.roles })
    },
    createContract: (input) => createContractFromTemplate(deps, input),
  }
}

