import type { BatchSignItem, BatchSignResponse } from '../../api/contracts.types'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { err, ok, type Result } from '../../core/shared/result'
import { getBatchIntent } from '../signing/get-batch-intent'
import { needsFilling, NEEDS_FILLING_MESSAGE } from './batch-fields'
import { callerParty } from './contract-view'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { signContract } from './sign-contract'

export type BatchSignInput = {
  userId: string
  batchId: string
  contractIds: readonly string[]
  signatureId?: string
  sealId?: string
  request?: EvidenceContext
}

/**
 * 批量签署: sign each of `contractIds` with the one batch intent `batchId` of the caller's account
 * (`confirmBatchIntent`). The batch proof must be the caller's, unaltered and within its 10 minutes
 * (else the whole request is `INTENT_PROOF_INVALID` and nothing is signed). Then, one contract after
 * another (each signature already runs on the CPU pool; one at a time keeps the pool free for
 * other callers), each contract is signed by `signContract` with its own proof derived from the
 * batch — so each gets its own certificate, signature, revision and evidence records, and each
 * proof signs once. An item fails on its own and the others go on:
 * - a contract the caller may not see: `CONTRACT_NOT_FOUND`;
 * - a contract not named by the batch proof: `INTENT_PROOF_INVALID` (reason `not-in-batch`);
 * - a contract with fields the caller must fill: `FIELD_VALUE_INVALID` (signed one by one instead);
 * - whatever `signContract` answers (revoked meanwhile: `CONTRACT_CLOSED`, not your turn, …).
 * A company party's seal needing a 用印申请 answers `awaiting-seal-approval` for that item.
 */
export async function batchSignContracts(deps: ContractDeps, input: BatchSignInput): Promise<Result<BatchSignResponse>> {
  const batch = await getBatchIntent(deps, { userId: input.userId, batchId: input.batchId, usable: true })
  if (!batch.ok) return batch
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const items: BatchSignItem[] = []
  for (const contractId of input.contractIds) {
    const failed = (code: string, message: string): BatchSignItem => ({ contractId, status: 'failed', error: { code, message } })
    try {
      const found = await findContract(deps.metadata, contractId, caller)
      if (!found.ok) {
        items.push(failed(found.error.code, found.error.message))
        continue
      }
      const named = batch.value.proof.items.find((i) => i.contractId === contractId)
      if (!named) {
        items.push(failed('INTENT_PROOF_INVALID', '该合同不在本次批量意愿认证中，请重新认证'))
        continue
      }
      const party = callerParty(found.value, caller)
      if (party && needsFilling(found.value.contract, party.partyId)) {
        items.push(failed('FIELD_VALUE_INVALID', NEEDS_FILLING_MESSAGE))
        continue
      }
      const signed = await signContract(deps, {
        userId: input.userId,
        contractId,
        intentProofId: named.proofId,
        ...(input.signatureId ? { signatureId: input.signatureId } : {}),
        ...(input.sealId ? { sealId: input.sealId } : {}),
        ...(input.request ? { request: input.request } : {}),
      })
      if (!signed.ok) items.push(failed(signed.error.code, signed.error.message))
      else if (signed.value.status === 'signed') items.push({ contractId, status: 'signed', documentSha256: signed.value.documentSha256 })
      else items.push({ contractId, status: 'awaiting-seal-approval', requestId: signed.value.requestId })
    } catch (e) {
      // One contract's unexpected failure (a storage outage) is that item's; the others still go on.
      deps.logger.error({ contractId, batchId: input.batchId, err: (e as Error).message }, 'batch sign: contract failed')
      items.push(failed('INTERNAL', '服务器内部错误，请稍后单独签署该合同'))
    }
  }
  const signedCount = items.filter((i) => i.status === 'signed').length
  deps.logger.info({ userId: input.userId, batchId: input.batchId, contracts: items.length, signed: signedCount }, 'batch signed')
  return items.length ? ok({ batchId: input.batchId, items, signed: signedCount, failed: items.filter((i) => i.status === 'failed').length }) : err('VALIDATION_FAILED', '请至少选择一份合同')
}
