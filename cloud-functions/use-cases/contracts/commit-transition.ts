import { createHash } from 'node:crypto'
import type { Contract } from '../../core/contracts/contract'
import type { ContractEvent } from '../../core/contracts/contract-events'
import type { EvidenceContext, EvidenceEvent } from '../../core/evidence/evidence-event'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore, TransactOperation } from '../../ports/metadata-store'
import { appendEvidence } from '../evidence/append-evidence'
import { queueWebhookEvents } from '../webhooks/queue-webhook-events'
import { updateOperations, type ContractItem, type PartyPhone } from './records'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** What a transition's evidence needs beyond the lifecycle events: who and from where, and what only the caller knows. */
export type TransitionEvidence = {
  context: EvidenceContext
  /** The signature's certificate serial (lowercase hex), for `party.signed`. */
  certificateSerial?: string
  /** Events recorded just before (`before`, e.g. `identity.verified`) or after (`after`, e.g. `seal.used`) the lifecycle events. */
  before?: EvidenceEvent[]
  after?: EvidenceEvent[]
}

/**
 * The typed evidence events of a transition (ids and hashes only; a reason as its SHA-256): one
 * per lifecycle event, the parties notified together in one `party.notified`, the signer's
 * `SignerDeclined` folded into `contract.declined`.
 */
export function evidenceEvents(contract: Contract, events: readonly ContractEvent[], evidence: Pick<TransitionEvidence, 'certificateSerial'> = {}): EvidenceEvent[] {
  const contractId = contract.contractId
  const out: EvidenceEvent[] = []
  const notified = events.filter((e) => e.type === 'SignerNotified').map((e) => e.partyId)
  for (const e of events) {
    switch (e.type) {
      case 'ContractSent':
        out.push({ type: 'contract.sent', data: { contractId, documentHash: e.preparedSha256 } })
        break
      case 'SignerViewed':
        out.push({ type: 'party.viewed', data: { contractId, partyId: e.partyId, documentHash: contract.document.latestSha256 ?? contract.document.preparedSha256 ?? contract.document.originalSha256 } })
        break
      case 'SignerSigned':
        out.push({ type: 'party.signed', data: { contractId, partyId: e.partyId, documentHash: e.documentSha256, certificateSerial: evidence.certificateSerial ?? '' } })
        break
      case 'ContractCompleted':
        out.push({ type: 'contract.completed', data: { contractId, documentHash: contract.document.latestSha256 ?? '' } })
        break
      case 'ContractDeclined':
        out.push({ type: 'contract.declined', data: { contractId, partyId: e.partyId, reasonHash: sha256(e.reason) } })
        break
      case 'ContractRevoked':
        out.push({ type: 'contract.revoked', data: { contractId, reasonHash: sha256(e.reason) } })
        break
      case 'ContractExpired':
        out.push({ type: 'contract.expired', data: { contractId } })
        break
      case 'DeadlineExtended':
        out.push({ type: 'contract.deadline-extended', data: { contractId, deadline: e.deadline } })
        break
      case 'ApprovalRequested':
        out.push({ type: 'approval.requested', data: { contractId, round: e.round, order: e.order, approverIds: e.approvers.map((a) => a.userId) } })
        break
      case 'ApprovalApproved':
        out.push({ type: 'approval.approved', data: { contractId, round: e.round, approverId: e.userId } })
        break
      case 'ApprovalRejected':
        out.push({ type: 'approval.rejected', data: { contractId, round: e.round, approverId: e.userId, commentHash: sha256(e.comment) } })
        break
      case 'SignerNotified':
      case 'SignerDeclined':
        break
    }
  }
  if (notified.length) out.push({ type: 'party.notified', data: { contractId, partyIds: notified } })
  return out
}

/**
 * Persist one transition: the new contract state on the version that was read, its timeline item,
 * `extra` writes that belong to it (e.g. the intent proof marked used), and its typed evidence
 * records (with who and from where) in the contract's evidence chain — all in one transaction, so no
 * state exists without its evidence and no evidence without its state — and, for a company's
 * contract, the transition's webhook events for the tick to deliver. `CONFLICT` when the contract
 * changed since it was read (the caller reloads and retries).
 */
export async function commitTransition(
  deps: { metadata: MetadataStore },
  item: ContractItem,
  next: { contract: Contract; phones?: Record<string, PartyPhone>; finalSha256?: string },
  events: readonly ContractEvent[],
  at: Date,
  extra: TransactOperation[] = [],
  evidence: TransitionEvidence = { context: { actor: 'system' } },
): Promise<Result<ContractItem>> {
  const webhooks = await queueWebhookEvents(deps, { contract: next.contract, events, seq: item.eventCount + 1, at })
  const operations = [...updateOperations(item, next, events), ...extra, ...webhooks]
  const typed = [...(evidence.before ?? []), ...evidenceEvents(next.contract, events, evidence), ...(evidence.after ?? [])]
  const appended = typed.length
    ? await appendEvidence(deps, { events: typed, at, context: evidence.context, with: operations })
    : await deps.metadata.transact(operations).then((w) => (w.ok ? ok(undefined) : err('CONFLICT', w.message)))
  if (!appended.ok) return err('CONFLICT', '合同已被其他操作修改，请重试', { reason: 'version' })
  return ok({
    ...item,
    contract: next.contract,
    phones: next.phones ?? item.phones,
    ...(next.finalSha256 ? { finalSha256: next.finalSha256 } : {}),
    eventCount: item.eventCount + (events.length ? 1 : 0),
    version: item.version + 1,
  })
}
