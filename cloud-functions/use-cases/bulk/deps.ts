import type { ContractView } from '../../api/contracts.types'
import type { BulkTemplateShape } from '../../core/bulk/check-rows'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import type { Result } from '../../core/shared/result'
import type { JobQueue } from '../../ports/job-queue'
import type { ContractDeps } from '../contracts/deps'

/** A contract made from a template for one row (the templates area's `createContractFromTemplate`). */
export type CreateFromTemplateInput = {
  userId: string
  request?: EvidenceContext
  templateId: string
  senderCompanyId?: string
  title?: string
  deadline: string
  values: Record<string, string>
  parties: Record<string, { name: string; phone: string; companyName?: string }>
}

/** What bulk send asks of the templates area (wired by `runtime/services.ts`). */
export type BulkTemplates = {
  /** The template's placeholders and roles, if this user may send it. */
  shape(input: { userId: string; templateId: string }): Promise<Result<BulkTemplateShape>>
  createContract(input: CreateFromTemplateInput): Promise<Result<ContractView>>
}

/** The contracts services (the send use case) plus the templates and the job queue. */
export type BulkDeps = ContractDeps & { templates: BulkTemplates; bulkQueue: JobQueue }
