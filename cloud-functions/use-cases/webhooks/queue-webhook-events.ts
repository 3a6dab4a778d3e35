import type { Contract } from '../../core/contracts/contract'
import type { ContractEvent } from '../../core/contracts/contract-events'
import { webhookEventsOf } from '../../core/webhooks/webhook-event'
import type { MetadataStore, TransactOperation } from '../../ports/metadata-store'
import { eventsOperation, hasEndpoints } from './records'

/**
 * The write that records a transition's webhook events, for the transition's own transaction
 * (`contracts/commit-transition.ts`): none when the contract was not sent for a company, when the
 * events are none an integrator subscribes to, or when the company has no endpoint. The tick
 * delivers them; the user's request never waits for a receiver.
 */
export async function queueWebhookEvents(deps: { metadata: MetadataStore }, o: { contract: Contract; events: readonly ContractEvent[]; seq: number; at: Date }): Promise<TransactOperation[]> {
  const companyId = o.contract.senderCompanyId
  if (!companyId) return []
  const events = webhookEventsOf(o.contract, o.events, o.seq)
  if (events.length === 0 || !(await hasEndpoints(deps.metadata, companyId))) return []
  return [eventsOperation({ companyId, contractId: o.contract.contractId, seq: o.seq, at: o.at.toISOString(), events })]
}
