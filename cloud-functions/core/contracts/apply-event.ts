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
    case 'ContractRevoked': {
      // A revocation while approval is pending ends the round too.
      const approval = c.approval?.status === 'pending' ? { ...c.approval, status: 'cancelled' as const, endedAt: e.at } : c.approval
      return { ...c, status: 'revoked', closedAt: e.at, closedReason: e.reason, closedBy: e.by, ...(approval ? { approval } : {}) }
    }
    case 'ContractExpired':
      return { ...c, status: 'expired', closedAt: e.at }
    case 'DeadlineExtended':
      return { ...c, deadline: e.deadline }
    case 'ApprovalRequested':
      return {
        ...c,
        status: 'pending_approval',
        approval: { round: e.round, order: e.order, requestedAt: e.at, requestedBy: e.by, status: 'pending', approvers: e.approvers.map((a) => ({ userId: a.userId, name: a.name, status: 'pending' })) },
      }
    case 'ApprovalApproved': {
      if (!c.approval) return c
      const approvers = c.approval.approvers.map((a) => (a.userId === e.userId ? { ...a, status: 'approved' as const, decidedAt: e.at, ...(e.comment ? { comment: e.comment } : {}) } : a))
      const done = approvers.every((a) => a.status === 'approved')
      return { ...c, approval: { ...c.approval, approvers, ...(done ? { status: 'approved', endedAt: e.at } : {}) } }
    }
    case 'ApprovalRejected': {
      if (!c.approval) return c
      const approvers = c.approval.approvers.map((a) => (a.userId === e.userId ? { ...a, status: 'rejected' as const, decidedAt: e.at, comment: e.comment } : a))
      return { ...c, status: 'draft', approval: { ...c.approval, approvers, status: 'rejected', endedAt: e.at } }
    }
  }
}

/** The state after `events`, starting from `initial` (usually the draft as it was sent). */
export function replayEvents(initial: Contract, events: readonly ContractEvent[]): Contract {
  return events.reduce(applyEvent, initial)
}
