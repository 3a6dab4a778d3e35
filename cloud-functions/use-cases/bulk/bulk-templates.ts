import { err } from '../../core/shared/result'
import type { ContractDeps } from '../contracts/deps'
import type { BulkTemplates } from './deps'

/** Bulk send's view of the templates area (placeholder until the templates area lands). */
export function bulkTemplates(_deps: ContractDeps): BulkTemplates {
  return {
    shape: async () => err('NOT_FOUND', '模板不存在'),
    createContract: async () => err('NOT_FOUND', '模板不存在'),
  }
}
