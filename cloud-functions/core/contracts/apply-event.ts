import type { Contract, SignerProgress } from './contract'
import type { ContractEvent } from './contract-events'

/**
 * Folds one event into the state. Events are facts already decided by `applyCommand`, so this
 * never fails and never validates; it only records. Returns a new object (the input is not changed).
 */
export function applyEvent(c: Contract, e: ContractEvent): Contract {
  const signer = (partyId: string, patch: Partial<SignerProgress>): Contract => ({
    ...c,
    signers: { ...c.signers, [partyId]: { ...(c.signers[partyId] ?? { status: 'pending' }), ...patch } },
  })
  switch (e.type) {
    case 'ContractSent':
      return { ...c, status: 'sent', sentAt: e.at, document: { ...c.document, preparedSha256: e.preparedSha256, latestSha256: e.preparedSha256, pages: e.pages } }
    case 'SignerNotified':
      return signer(e.partyId, { status: 'notified', notifiedAt: e.at })
    case 'SignerViewed':
      return signer(e.partyId, { status: 'viewed', viewedAt: e.at })
    case 'SignerSigned': {
      const next = signer(e.partyId, { status: 'signed', signedAt: e.at, values: e.values, marks: e.marks, documentSha256: e.documentSha256 })
      return { ...next, document: { ...next.document, latestSha256: e.documentSha256 } }
    }
    case 'SignerDeclined':
      return signer(e.partyId, { status: 'declined', declinedAt: e.at, declineReason: e.reason })
    case 'ContractCompleted':
      return { ...c, status: 'completed', closedAt: e.at }
    case 'ContractDeclined':
      return { ...c, status: 'declined', closedAt: e.at, closedReason: e.reason, closedBy: e.partyId }
    case 'ContractRevoked':
      return { ...c, status: 'revoked', closedAt: e.at, closedReason: e.reason, closedBy: e.by }
    case 'ContractExpired':
      return { ...c, status: 'expired', closedAt: e.at }
    case 'DeadlineExtended':
      return { ...c, deadline: e.deadline }
  }
}

/** The state after `events`, starting from `initial` (usually the draft as it was sent). */
export function replayEvents(initial: Contract, events: readonly ContractEvent[]): Contract {
  return events.reduce(applyEvent, initial)
}
