import { createHash } from 'node:crypto'
import type { Contract } from '../../core/contracts/contract'
import type { ContractEvent } from '../../core/contracts/contract-events'
import { err, ok, type Result } from '../../core/shared/result'
import type { MetadataStore, TransactOperation } from '../../ports/metadata-store'
import { appendEvidence } from '../evidence/append-evidence'
import { queueWebhookEvents } from '../webhooks/queue-webhook-events'
import { updateOperations, type ContractItem, type PartyPhone } from './records'

/** The evidence form of lifecycle events: ids and hashes only (a reason as its SHA-256). */
function evidenceEvents(events: readonly ContractEvent[]) {
  return events.map((e) => ({
    type: e.type,
    at: e.at,
    ...('partyId' in e ? { partyId: e.partyId } : {}),
    ...(e.type === 'SignerSigned' ? { documentHash: e.documentSha256 } : e.type === 'ContractSent' ? { documentHash: e.preparedSha256 } : {}),
    ...('reason' in e ? { reasonHash: createHash('sha256').update(e.reason).digest('hex') } : {}),
  }))
}

/**
 * Persist one transition: the new contract state on the version that was read, its timeline item,
 * `extra` writes that belong to it (e.g. the intent proof marked used), and a `CONTRACT_TRANSITION`
 * record in the contract's evidence chain — all in one transaction, so no state exists without its
 * evidence — and, for a company's contract, the transition's webhook events for the tick to deliver. `CONFLICT` when the contract changed since it was read (the caller reloads and retries).
 */
export async function commitTransition(
  deps: { metadata: MetadataStore },
  item: ContractItem,
  next: { contract: Contract; phones?: Record<string, PartyPhone>; finalSha256?: string },
  events: readonly ContractEvent[],
  at: Date,
  extra: TransactOperation[] = [],
): Promise<Result<ContractItem>> {
  const webhooks = await queueWebhookEvents(deps, { contract: next.contract, events, seq: item.eventCount + 1, at })
  const operations = [...updateOperations(item, next, events), ...extra, ...webhooks]
  const appended = events.length
    ? await appendEvidence(deps, { event: { type: 'CONTRACT_TRANSITION', data: { contractId: item.contract.contractId, events: evidenceEvents(events) } }, at, with: operations })
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
