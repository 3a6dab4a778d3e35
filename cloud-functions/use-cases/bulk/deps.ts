import type { ContractView } from '../../api/contracts.types'
import type { BulkTemplateShape } from '../../core/bulk/check-rows'
import type { Result } from '../../core/shared/result'
import type { JobQueue } from '../../ports/job-queue'
import type { ContractDeps } from '../contracts/deps'
import type { CreateContractFromTemplateInput } from '../templates/create-contract-from-template'

/** What bulk send asks of the templates area (wired by `runtime/services.ts`). */
export type BulkTemplates = {
  /** The template's placeholders and roles, if this user may send it. */
  shape(input: { userId: string; templateId: string }): Promise<Result<BulkTemplateShape>>
  /** A contract made from a template for one row (the templates area's `createContractFromTemplate`). */
  createContract(input: CreateContractFromTemplateInput): Promise<Result<ContractView>>
}

/** The contracts services (the send use case) plus the templates and the job queue. */
export type BulkDeps = ContractDeps & { templates: BulkTemplates; bulkQueue: JobQueue }
