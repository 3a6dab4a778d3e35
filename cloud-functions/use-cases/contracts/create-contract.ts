import { createHash } from 'node:crypto'
import type { ContractView, CreateContractRequest } from '../../api/contracts.types'
import type { ContractTemplateRef, Party } from '../../core/contracts/contract'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import { createDraft, type DraftInput } from '../../core/contracts/create-draft'
import { lookupHash } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import { appendEvidence } from '../evidence/append-evidence'
import { findAccessibleDocument } from '../documents/document-access'
import { documentObjectKey } from '../documents/records'
import { findMembership, isCompanyVerified, loadCompany, phoneLookupKey } from '../identity/records'
import { toContractView } from './contract-view'
import type { ContractDeps } from './deps'
import { loadCaller } from './find-contract'
import { createContractItem, phoneOf, sealPhones, type ContractItem } from './records'

/**
 * A new contract draft: the sender (a verified person; for `senderCompanyId`, a member of that
 * verified company) names it, picks one of their uploaded documents, adds parties, order and
 * fields. The structure is checked now (`core/contracts/create-draft.ts`); placement on the pages at
 * send. Parties whose phone belongs to an account are bound to it at once; the others when they
 * first open the contract with that phone. Phones are stored encrypted and shown masked.
 */
export async function createContract(deps: ContractDeps, input: { userId: string; request?: EvidenceContext; template?: ContractTemplateRef } & CreateContractRequest): Promise<Result<ContractView>> {
  const sender = await checkSender(deps, input)
  if (!sender.ok) return sender
  const doc = await findAccessibleDocument(deps, { id: input.documentId, userId: input.userId })
  if (!doc.ok) return doc
  const draftLayout = await layoutOf(deps, String(doc.value.sha256))
  if (!draftLayout.ok) return draftLayout
  const now = deps.clock.now()
  const contractId = deps.ids.newId().replace(/[^A-Za-z0-9_-]/g, '')
  const draft = createDraft(await draftInput(deps, input, { contractId, senderUserId: input.userId, originalSha256: String(doc.value.sha256), ...(input.template ? { template: input.template } : {}) }), now)
  if (!draft.ok) return draft
  const { contract, phones } = sealPhones(deps.personalData, draft.value)
  const created = await createContractItem(deps.metadata, {
    type: 'contract',
    contract,
    phones,
    senderName: sender.value.name,
    ...(sender.value.companyName ? { senderCompanyName: sender.value.companyName } : {}),
    fileName: String(doc.value.fileName ?? ''),
    draftPages: draftLayout.value.pages,
    draftLayout: draftLayout.value,
    eventCount: 0,
  }, (operations) =>
    // The draft and its first evidence records (the contract made, from which upload) in one transaction.
    appendEvidence(deps, {
      events: [
        { type: 'contract.created', data: { contractId, senderId: input.userId, partyIds: contract.parties.map((p) => p.partyId), titleHash: createHash('sha256').update(contract.title).digest('hex'), ...(input.template ? { template: input.template } : {}) } },
        { type: 'document.uploaded', data: { contractId, documentId: input.documentId, documentHash: String(doc.value.sha256) } },
      ],
      at: now,
      context: input.request ?? { actor: `user:${input.userId}` },
      with: operations,
    }),
  )
  if (!created.ok) return created
  deps.logger.info({ userId: input.userId, contractId, parties: contract.parties.length, fields: contract.fields.length }, 'contract draft created')
  const { caller } = await loadCaller(deps.metadata, input.userId)
  return ok(toContractView(created.value, caller, now))
}

/** The displayed page sizes of an uploaded document (the wizard places fields on them). */
export async function pagesOf(deps: ContractDeps, sha256: string): Promise<Result<{ width: number; height: number }[]>> {
  const layout = await layoutOf(deps, sha256)
  return layout.ok ? ok(layout.value.pages) : layout
}

/** An uploaded document's page sizes and already-signed areas, kept on a new draft for its send (`ContractItem.draftLayout`). */
export async function layoutOf(deps: ContractDeps, sha256: string): Promise<Result<NonNullable<ContractItem['draftLayout']>>> {
  const bytes = await deps.objects.get(documentObjectKey(sha256))
  if (!bytes) return err('DOCUMENT_NOT_FOUND', '合同文件不存在')
  const layout = await deps.cpu.documentLayout(bytes)
  if (!layout.ok) return layout
  return ok({ sha256, pages: layout.value.pages, signedAreas: layout.value.signedAreas.map(({ page, rect }) => ({ page, rect })) })
}

/** The sender's display names; `PERSON_NOT_VERIFIED` / `FORBIDDEN` / `COMPANY_NOT_VERIFIED` otherwise. */
export async function checkSender(deps: ContractDeps, input: { userId: string; senderCompanyId?: string }): Promise<Result<{ name: string; companyName?: string }>> {
  const { user } = await loadCaller(deps.metadata, input.userId)
  if (user?.person?.status !== 'verified') return err('PERSON_NOT_VERIFIED', '请先完成个人实名认证，再发起签署')
  if (!input.senderCompanyId) return ok({ name: user.person.name })
  const member = await findMembership(deps, { userId: input.userId, companyId: input.senderCompanyId })
  const company = await loadCompany(deps.metadata, input.senderCompanyId)
  if (!member || !company) return err('FORBIDDEN', '您不是该企业的成员')
  if (!isCompanyVerified(company)) return err('COMPANY_NOT_VERIFIED', '企业尚未完成认证，不能以企业名义发起签署')
  return ok({ name: user.person.name, companyName: company.name })
}

/** The core's draft input from a create (or edit) request: parties bound to known accounts, the deadline normalised. */
export async function draftInput(deps: ContractDeps, input: CreateContractRequest, fixed: { contractId: string; senderUserId: string; originalSha256: string; template?: ContractTemplateRef }): Promise<DraftInput> {
  return {
    ...fixed,
    title: input.title,
    note: input.note,
    senderCompanyId: input.senderCompanyId,
    parties: await bindKnownAccounts(deps, await withSenderCompanyId(deps, input.parties as Party[], input.senderCompanyId)),
    order: input.order,
    fields: input.fields,
    deadline: new Date(input.deadline).toISOString(),
    validUntil: input.validUntil,
    ...(input.validityNoticeToParties ? { validityNoticeToParties: true } : {}),
    ...(input.reminders
      ? { reminders: { afterDays: [...input.reminders.afterDays].sort((a, b) => a - b), ...(input.reminders.beforeDeadlineHours !== null ? { beforeDeadlineHours: input.reminders.beforeDeadlineHours } : {}) } }
      : {}),
  }
}

/** A company party named as the sending company gets that company's id (the view shows it as `companyId`). */
export async function withSenderCompanyId(deps: ContractDeps, parties: Party[], senderCompanyId: string | undefined): Promise<Party[]> {
  if (!senderCompanyId) return parties
  const company = await loadCompany(deps.metadata, senderCompanyId)
  if (!company) return parties
  return parties.map((p) => (p.kind === 'company' && !p.companyId && p.companyName === company.name ? { ...p, companyId: senderCompanyId } : p))
}

/** Parties whose phone is an account's login phone are bound to that account. */
export async function bindKnownAccounts(deps: ContractDeps, parties: Party[]): Promise<Party[]> {
  return Promise.all(
    parties.map(async (p) => {
      const key = phoneLookupKey(lookupHash(deps.personalData, 'phone', phoneOf(p)))
      const owner = await deps.metadata.get(key.pk, key.sk)
      const userId = typeof owner?.userId === 'string' ? owner.userId : undefined
      if (!userId) return p
      return p.kind === 'person' ? { ...p, userId } : { ...p, member: { ...p.member, userId } }
    }),
  )
}

