import type { ContractView, RenewContractRequest } from '../../api/contracts.types'
import { createDraft } from '../../core/contracts/create-draft'
import { err, ok, type Result } from '../../core/shared/result'
import { documentObjectKey } from '../documents/records'
import { toContractView } from './contract-view'
import { checkSender } from './create-contract'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { createRenewalItem, loadContractItem, openPhones, sealPhones } from './records'
import { loadRenewalChain } from './renewal-chain'

/**
 * 续签 (the sender only): a new draft from a completed contract — the same parties, document,
 * fields, order and notice choice, with the dates of the request (and optionally a new title) —
 * linked both ways (`renewedFrom` on the draft, `renewedBy` on the original) in one transaction.
 * The sender reviews and sends the draft as any other. A contract is renewed once:
 * `CONTRACT_ALREADY_RENEWED` names the renewal; a contract not completed is
 * `CONTRACT_NOT_RENEWABLE`. Refusals store nothing.
 */
export async function renewContract(deps: ContractDeps, input: { userId: string; contractId: string } & RenewContractRequest): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  const c = item.contract
  if (c.senderUserId !== input.userId) return err('NOT_THE_SENDER', '只有发起方可以续签合同')
  if (item.renewedBy) return err('CONTRACT_ALREADY_RENEWED', '该合同已续签', { renewedBy: item.renewedBy })
  if (c.status !== 'completed') return err('CONTRACT_NOT_RENEWABLE', '只有已完成的合同可以续签')
  const sender = await checkSender(deps, { userId: input.userId, ...(c.senderCompanyId ? { senderCompanyId: c.senderCompanyId } : {}) })
  if (!sender.ok) return sender
  if (!(await deps.objects.head(documentObjectKey(c.document.originalSha256)))) return err('DOCUMENT_NOT_FOUND', '原合同文件不存在')

  const now = deps.clock.now()
  const contractId = deps.ids.newId().replace(/[^A-Za-z0-9_-]/g, '')
  const original = openPhones(deps.personalData, item)
  const draft = createDraft(
    {
      contractId,
      title: input.title ?? c.title,
      note: c.note,
      senderUserId: c.senderUserId,
      senderCompanyId: c.senderCompanyId,
      parties: original.parties,
      order: c.order,
      fields: c.fields,
      deadline: new Date(input.deadline).toISOString(),
      validUntil: input.validUntil,
      ...(c.validityNoticeToParties ? { validityNoticeToParties: true } : {}),
      ...(c.reminders ? { reminders: c.reminders } : {}),
      originalSha256: c.document.originalSha256,
    },
    now,
  )
  if (!draft.ok) return draft
  const { contract, phones } = sealPhones(deps.personalData, draft.value)
  const created = await createRenewalItem(deps.metadata, item, {
    type: 'contract',
    contract,
    phones,
    senderName: sender.value.name,
    ...(sender.value.companyName ? { senderCompanyName: sender.value.companyName } : {}),
    ...(item.fileName !== undefined ? { fileName: item.fileName } : {}),
    draftPages: c.document.pages ?? item.draftPages ?? [],
    eventCount: 0,
  })
  if (!created.ok) {
    const now2 = await loadContractItem(deps.metadata, input.contractId)
    if (now2?.renewedBy) return err('CONTRACT_ALREADY_RENEWED', '该合同已续签', { renewedBy: now2.renewedBy })
    return created
  }
  deps.logger.info({ userId: input.userId, contractId, renewedFrom: c.contractId }, 'contract renewed as a draft')
  return ok(toContractView(created.value, caller, now, { renewalChain: await loadRenewalChain(deps.metadata, created.value, caller) }))
}
