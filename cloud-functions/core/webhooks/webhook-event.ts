import type { Contract } from '../contracts/contract'
import type { ContractEvent } from '../contracts/contract-events'

/** The events an integrator can subscribe to (one per contract transition that matters outside). */
export const WEBHOOK_EVENT_TYPES = ['contract.sent', 'signer.signed', 'contract.completed', 'contract.declined', 'contract.revoked', 'contract.expired'] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/**
 * What a receiver gets as the JSON body of a delivery. `id` is the event's id: the same on every
 * attempt and on a manual redelivery, so a receiver can drop duplicates. No phone or ID number is
 * ever in it; a party is named as the sender wrote it.
 */
export type WebhookEvent = {
  id: string
  type: WebhookEventType
  createdAt: string
  data: {
    contractId: string
    title: string
    status: Contract['status']
    /** `signer.signed`, `contract.declined`: the party. */
    partyId?: string
    partyName?: string
    /** `contract.declined`, `contract.revoked`: the reason given. */
    reason?: string
  }
}

const TYPE_OF: Partial<Record<ContractEvent['type'], WebhookEventType>> = {
  ContractSent: 'contract.sent',
  SignerSigned: 'signer.signed',
  ContractCompleted: 'contract.completed',
  ContractDeclined: 'contract.declined',
  ContractRevoked: 'contract.revoked',
  ContractExpired: 'contract.expired',
}

/**
 * The webhook events of one transition: `contract` is the state after it, `seq` the transition's
 * number in the contract's timeline (so event ids are unique and stable: `evt_<contract>_<seq>_<i>`).
 */
export function webhookEventsOf(contract: Contract, events: readonly ContractEvent[], seq: number): WebhookEvent[] {
  const out: WebhookEvent[] = []
  events.forEach((e, i) => {
    const type = TYPE_OF[e.type]
    if (!type) return
    const partyId = 'partyId' in e ? e.partyId : undefined
    const party = partyId ? contract.parties.find((p) => p.partyId === partyId) : undefined
    out.push({
      id: `evt_${contract.contractId}_${seq}_${i}`,
      type,
      createdAt: e.at,
      data: {
        contractId: contract.contractId,
        title: contract.title,
        status: contract.status,
        ...(partyId ? { partyId } : {}),
        ...(party ? { partyName: party.kind === 'person' ? party.name : party.companyName } : {}),
        ...('reason' in e ? { reason: e.reason } : {}),
      },
    })
  })
  return out
}
