import { createHash } from 'node:crypto'
import type { EvidenceContext } from '../../core/evidence/evidence-event'
import type { ContractView } from '../../api/contracts.types'
import { applyCommand, type ContractTransition } from '../../core/contracts/apply-command'
import { partyName, signerParties, type Contract, type Field } from '../../core/contracts/contract'
import { validateForSend } from '../../core/contracts/validate-for-send'
import { err, ok, type Result } from '../../core/shared/result'
import type { PrepareDocumentOptions } from '../../core/signing/prepare-document'
import { documentObjectKey } from '../documents/records'
import { commitTransition } from './commit-transition'
import { toContractView } from './contract-view'
import type { ContractDeps } from './deps'
import { findContract, loadCaller } from './find-contract'
import { notifyParties } from './notify-parties'
import { openPhones, revisionObjectKey, type ContractItem } from './records'
import type { TransactOperation } from '../../ports/metadata-store'
import { approvalGate, requestApproval } from '../approvals/request-approval'

/** The PDF field names of a contract's fields: the signer's signature field, and each fillable field. */
export const signatureFieldName = (partyId: string) => `qy_sig_${partyId}`
export const formFieldName = (fieldId: string) => `qy_${fieldId}`

/** Each signer's one place to sign: a person's signature field, a company's seal field. */
export function signingField(c: Pick<Contract, 'fields' | 'parties'>, partyId: string): Field | undefined {
  const party = c.parties.find((p) => p.partyId === partyId)
  const kind = party?.kind === 'company' ? 'seal' : 'signature'
  return c.fields.find((f) => f.partyId === partyId && f.kind === kind)
}

/** What the engine prepares at send: one signature field per signer (with its 骑缝章 strips), and the text/date/checkbox fields. */
export function preparationOf(c: Contract, publicBaseUrl?: string): Result<PrepareDocumentOptions> {
  const signers: PrepareDocumentOptions['signers'] = []
  for (const p of signerParties(c)) {
    const marks = c.fields.filter((f) => f.partyId === p.partyId && (f.kind === 'signature' || f.kind === 'seal'))
    if (marks.length > 1) return err('CONTRACT_INVALID', `${partyName(p)}只能有一个签名或印章位置`, { reason: 'ONE_MARK_PER_SIGNER', partyId: p.partyId })
    const main = signingField(c, p.partyId)
    if (!main || main.kind === 'cross-page-seal') return err('SIGNER_FIELDS_MISSING', `请为${partyName(p)}放置签署位置`, { partyId: p.partyId })
    const strip = c.fields.find((f) => f.partyId === p.partyId && f.kind === 'cross-page-seal')
    signers.push({
      fieldName: signatureFieldName(p.partyId),
      page: main.page,
      rect: main.rect,
      ...(strip && strip.kind === 'cross-page-seal' ? { crossPageSeal: { width: strip.size, height: strip.size } } : {}),
    })
  }
  const fields: NonNullable<PrepareDocumentOptions['fields']> = []
  for (const f of c.fields) {
    if (f.kind === 'text' || f.kind === 'date' || f.kind === 'checkbox') fields.push({ name: formFieldName(f.fieldId), type: f.kind, page: f.page, rect: f.rect })
  }
  return ok({ signers, fields, ...(publicBaseUrl ? { stamp: { url: contractVerifyUrl(publicBaseUrl, c.contractId), label: `合同编号 ${c.contractId}` } } : {}) })
}

/** The public verify page of one contract (the QR code on every page points here). */
export const contractVerifyUrl = (publicBaseUrl: string, contractId: string) =>
  `${publicBaseUrl.replace(/\/+$/, '')}/#/packages/verification/pages/index?contract=${encodeURIComponent(contractId)}`

/**
 * Send a draft (the sender only). When the sending company's approval policy applies to it (审批),
 * the fields are checked and an approval round starts instead (`pending_approval`); the contract
 * goes out when the last approver approves ({@link dispatchContract}). Otherwise it goes out now.
 */
export async function sendContract(deps: ContractDeps, input: { userId: string; contractId: string; request?: EvidenceContext }): Promise<Result<ContractView>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  if (item.contract.senderUserId !== input.userId) return err('NOT_THE_SENDER', '只有发起方可以发送合同')
  if (item.contract.status === 'pending_approval') return err('APPROVAL_PENDING', '合同正在审批中，审批通过后自动发出')
  if (item.contract.status !== 'draft') return err('CONTRACT_ALREADY_SENT', '合同已发出')
  const gate = await approvalGate(deps, item.contract)
  if (!gate.ok) return gate
  const now = deps.clock.now()
  const context = input.request ?? { actor: `user:${input.userId}` }
  if (gate.value) {
    const sendable = await checkSendable(deps, item, item.contract, now)
    if (!sendable.ok) return sendable
    const requested = await requestApproval(deps, item, gate.value, { userId: input.userId, now, context })
    if (!requested.ok) return requested
    return ok(toContractView(requested.value, caller, now))
  }
  const sent = await dispatchContract(deps, item, { now, context })
  if (!sent.ok) return sent
  return ok(toContractView(sent.value, caller, now))
}

/**
 * The original PDF, its layout and the contract (phones in clear) checked for sending: fields on the
 * pages, not overlapping. The layout is the one read at creation when the draft still has that
 * document (`draftLayout`), otherwise read now.
 */
async function checkSendable(deps: ContractDeps, item: ContractItem, start: Contract, now: Date) {
  const sha256 = item.contract.document.originalSha256
  const original = await deps.objects.get(documentObjectKey(sha256))
  if (!original) return err('DOCUMENT_NOT_FOUND', '合同文件不存在')
  let layout = item.draftLayout?.sha256 === sha256 ? item.draftLayout : undefined
  if (!layout) {
    const read = await deps.cpu.documentLayout(original)
    if (!read.ok) return read
    layout = { sha256, pages: read.value.pages, signedAreas: read.value.signedAreas.map(({ page, rect }) => ({ page, rect })) }
  }
  const withPhones: Contract = { ...start, parties: openPhones(deps.personalData, item).parties }
  const { pages, signedAreas } = layout
  const valid = validateForSend(withPhones, { pages, signedAreas, now })
  if (!valid.ok) return valid
  return ok({ original, pages, signedAreas, withPhones })
}

/**
 * The contract goes out (a plain send, or the last approval): the fields are checked against the
 * document's pages (on the page, not overlapping each other or an existing signature), the PDF is
 * prepared once with every field (`core/signing/prepare-document.ts`, on the CPU pool), stored
 * content-addressed, its hash recorded (intent proofs bind to it), and the first group is sent
 * signing links. `before`: a transition already decided (the last approval) committed in the same
 * transaction, with its `extra` writes; the send is made in the sender's name.
 */
export async function dispatchContract(
  deps: ContractDeps,
  item: ContractItem,
  input: { now: Date; context: EvidenceContext; before?: ContractTransition; extra?: TransactOperation[] },
): Promise<Result<ContractItem>> {
  const { now } = input
  const start = input.before?.contract ?? item.contract
  const sendable = await checkSendable(deps, item, start, now)
  if (!sendable.ok) return sendable
  const { original, pages, signedAreas, withPhones } = sendable.value
  const preparation = preparationOf(withPhones, deps.config.publicBaseUrl)
  if (!preparation.ok) return preparation
  const preparedResult = await deps.cpu.prepareDocument(original, preparation.value)
  if (!preparedResult.ok) return preparedResult
  const prepared = preparedResult.value
  const preparedSha256 = createHash('sha256').update(prepared).digest('hex')
  await deps.objects.put(revisionObjectKey(item.contract.contractId, preparedSha256), prepared, { contentType: 'application/pdf' })
  const transition = applyCommand(withPhones, { type: 'send', by: item.contract.senderUserId, preparedSha256, pages, signedAreas }, now)
  if (!transition.ok) return transition
  // The state is stored with the phones masked, as before.
  const contract = { ...transition.value.contract, parties: item.contract.parties }
  const events = [...(input.before?.events ?? []), ...transition.value.events]
  const committed = await commitTransition(deps, item, { contract }, events, now, input.extra ?? [], { context: input.context })
  if (!committed.ok) return committed
  deps.logger.info({ contractId: item.contract.contractId, preparedSha256, pages: pages.length }, 'contract sent')
  await notifyParties(deps, committed.value, transition.value.events)
  return ok(committed.value)
}
