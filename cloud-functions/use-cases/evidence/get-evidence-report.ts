import { err, ok, type Result } from '../../core/shared/result'
import { findContract, loadCaller } from '../contracts/find-contract'
import type { ContractItem } from '../contracts/records'
import { completeContract } from '../contracts/sign-contract'
import { ensureEvidenceReport, type EvidenceReportDeps, type StoredEvidenceReport } from './generate-evidence-report'

/**
 * A completed contract the caller (its sender or a party) may see, with its final revision (added
 * now if the completion step was interrupted). `CONTRACT_NOT_FOUND` for anyone else,
 * `CONTRACT_NOT_COMPLETED` before every signer has signed.
 */
export async function completedContractFor(deps: EvidenceReportDeps, input: { userId: string; contractId: string }): Promise<Result<ContractItem>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  let item = found.value
  if (item.contract.status !== 'completed') return err('CONTRACT_NOT_COMPLETED', '合同尚未签署完成，全部签署方签署后才有证据报告和证据包', { status: item.contract.status })
  if (!item.finalSha256) item = await completeContract(deps, item)
  if (!item.finalSha256) return err('UNAVAILABLE', '合同的最终版本暂时无法生成，请稍后重试')
  return ok(item)
}

/** `GET /api/contracts/{id}/evidence/report`: the signed 证据报告 PDF (generated on first request if completion did not). */
export async function getEvidenceReport(deps: EvidenceReportDeps, input: { userId: string; contractId: string }): Promise<Result<StoredEvidenceReport & { fileName: string }>> {
  const item = await completedContractFor(deps, input)
  if (!item.ok) return item
  const report = await ensureEvidenceReport(deps, item.value)
  return ok({ ...report, fileName: `${item.value.contract.title}-证据报告.pdf` })
}
