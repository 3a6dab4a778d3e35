import type { ContractView, CreateContractRequest } from '../../api/contracts.types'
import { createDraft } from '../../core/contracts/create-draft'
import { err, ok, type Result } from '../../core/shared/result'
import { findAccessibleDocument } from '../documents/document-access'
import { toContractView } from './contract-view'
import { checkSender, draftInput, layoutOf } from './create-contract'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { sealPhones, syncIndexEntries, updateOperations, type ContractItem } from './records'

/**
 * Replace a draft's content (the create-and-send wizard saves the fields placed on the page images
 * this way): only the sender, only while it is a draft (`CONTRACT_ALREADY_SENT` after), on the
 * version read (a concurrent edit is `CONFLICT`). The same checks as creating it.
 */
export async function updateDraft(deps: ContractDeps, input: { userId: string; contractId: string } & CreateContractRequest): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  const c = item.contract
  if (c.senderUserId !== input.userId) return err('NOT_THE_SENDER', '只有发起方可以修改合同')
  if (c.status === 'pending_approval') return err('APPROVAL_PENDING', '合同正在审批中，不能修改')
  if (c.status !== 'draft') return err('CONTRACT_ALREADY_SENT', '合同已发出，不能再修改')
  const sender = await checkSender(deps, input)
  if (!sender.ok) return sender
  const doc = await findAccessibleDocument(deps, { id: input.documentId, userId: input.userId })
  if (!doc.ok) return doc
  const draftLayout = await layoutOf(deps, String(doc.value.sha256))
  if (!draftLayout.ok) return draftLayout
  const now = deps.clock.now()
  const draft = createDraft(await draftInput(deps, input, { contractId: c.contractId, senderUserId: c.senderUserId, originalSha256: String(doc.value.sha256), ...(c.template ? { template: c.template } : {}) }), new Date(c.createdAt))
  if (!draft.ok) return draft
  // The last approval round (审批: a rejection and its comment) stays with the edited draft; the next send starts round n+1.
  const { contract, phones } = sealPhones(deps.personalData, c.approval ? { ...draft.value, approval: c.approval } : draft.value)
  const { senderCompanyName: _previous, ...rest } = item
  const renamed: ContractItem = { ...rest, senderName: sender.value.name, fileName: String(doc.value.fileName ?? ''), draftPages: draftLayout.value.pages, draftLayout: draftLayout.value, ...(sender.value.companyName ? { senderCompanyName: sender.value.companyName } : {}) }
  const written = await deps.metadata.transact(updateOperations(renamed, { contract, phones }))
  if (!written.ok) return err('CONFLICT', '合同已被修改，请刷新后重试')
  const next: ContractItem = { ...renamed, contract, phones, version: item.version + 1 }
  await syncIndexEntries(deps.metadata, item, next)
  return ok(toContractView(next, caller, now))
}
