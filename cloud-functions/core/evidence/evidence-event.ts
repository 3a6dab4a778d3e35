/**
 * What happened to a contract, as recorded in its evidence chain (see `hash-chain.ts`): a closed,
 * typed union. Every event names its `contractId` (the chain it belongs to) and carries ids and
 * hashes only, never personal data in clear: no names, ID numbers, phones or document bytes (a
 * reason is recorded as its SHA-256, a provider reference masked).
 *
 * Who did it, from where (`actor`, IP, user agent) is the record's {@link EvidenceContext}, covered by
 * the record's hash like the event; its time is the record's `at` (the server clock, bound to a
 * trusted time by the TSA-stamped checkpoint that includes the record).
 *
 * Each lifecycle step appends its events in the same transaction as the state change it records
 * (`use-cases/contracts/commit-transition.ts`, `use-cases/evidence/append-evidence.ts`).
 *
 * Adding one: a `…Data` type, a member of the union, an entry in {@link EVIDENCE_EVENT_TYPES}.
 *
 * @example
 * const event: EvidenceEvent = { type: 'party.viewed', data: { contractId, partyId, documentHash } }
 */
export type EvidenceEvent =
  | { type: 'contract.created'; data: ContractCreatedData }
  | { type: 'document.uploaded'; data: DocumentUploadedData }
  | { type: 'contract.sent'; data: { contractId: string; documentHash: string } }
  | { type: 'party.notified'; data: { contractId: string; partyIds: string[] } }
  | { type: 'link.opened'; data: PartyData }
  | { type: 'party.viewed'; data: PartyData & { documentHash: string } }
  | { type: 'identity.verified'; data: IdentityVerifiedData }
  | { type: 'intent.confirmed'; data: IntentConfirmedData }
  | { type: 'party.signed'; data: PartySignedData }
  | { type: 'seal.used'; data: PartyData & { companyId: string; sealId: string; documentHash: string } }
  | { type: 'reminder.sent'; data: PartyData & { channel: 'sms' } }
  | { type: 'contract.declined'; data: PartyData & { reasonHash: string } }
  | { type: 'contract.revoked'; data: { contractId: string; reasonHash: string } }
  | { type: 'contract.expired'; data: { contractId: string } }
  | { type: 'contract.deadline-extended'; data: { contractId: string; deadline: string } }
  | { type: 'contract.completed'; data: { contractId: string; documentHash: string } }
  | { type: 'document.finalised'; data: { contractId: string; documentHash: string; previousHash: string } }
  | { type: 'approval.requested'; data: { contractId: string; round: number; order: 'sequential' | 'parallel'; approverIds: string[] } }
  | { type: 'approval.approved'; data: ApprovalDecisionData }
  | { type: 'approval.rejected'; data: ApprovalDecisionData & { commentHash: string } }
  | { type: 'document.downloaded'; data: { contractId: string; documentHash: string; version: 'current' | 'original' } }
  /** Written before the typed events existed (kept so stored chains still verify); no longer appended. */
  | { type: 'INTENT_CONFIRMED'; data: IntentConfirmedData }
  /** Written before the typed events existed (kept so stored chains still verify); no longer appended. */
  | { type: 'CONTRACT_TRANSITION'; data: ContractTransitionData }

/**
 * Who caused an event and from where: `actor` is `user:<userId>` (a signed-in account, also one
 * that came through a signing link) or `system` (the scheduled tick); `ip` and `userAgent` of the
 * HTTP request when there was one.
 */
export type EvidenceContext = { actor: string; ip?: string; userAgent?: string }

type PartyData = { contractId: string; partyId: string }

export type ContractCreatedData = { contractId: string; senderId: string; partyIds: string[]; titleHash: string; /** Made from this template version (its placeholders filled into the uploaded document). */ template?: { templateId: string; version: number } }
/** One approver's decision in an approval round (审批); a rejection's comment is recorded as its SHA-256. */
export type ApprovalDecisionData = { contractId: string; round: number; approverId: string }


/** The file the contract was made from: the upload's document id and its SHA-256. */
export type DocumentUploadedData = { contractId: string; documentId: string; documentHash: string }

/** The signer's real-name verification (实名认证) the signature relied on. */
export type IdentityVerifiedData = PartyData & {
  method: 'face' | 'legal-rep-authorization' | 'micro-deposit'
  /** The identity provider's reference for the verification, masked (first and last 4 characters). */
  providerReference?: string
  /** SHA-256 lookup hash of the verified ID number (not the number). */
  subjectHash: string
  verifiedAt: string
}

/** One signature: the revision it made and the certificate that signed it. */
export type PartySignedData = PartyData & {
  /** SHA-256 (lowercase hex) of the revision this signature made. */
  documentHash: string
  /** Serial number (lowercase hex) of the signing certificate. */
  certificateSerial: string
}

/**
 * One state change of a contract, as recorded before the typed events: the lifecycle events it
 * produced, with party ids and document hashes only (a reason is recorded as its SHA-256).
 */
export type ContractTransitionData = {
  contractId: string
  events: { type: string; at: string; partyId?: string; documentHash?: string; reasonHash?: string }[]
}

/** The type tag of an {@link EvidenceEvent}. */
export type EvidenceEventType = EvidenceEvent['type']

/** A signer confirmed their intent (意愿认证) for one signing act; see `core/identity/intent-proof.ts`. */
export type IntentConfirmedData = {
  contractId: string
  signerId: string
  proofId: string
  /** SHA-256 (lowercase hex) of the document the signer saw. */
  documentHash: string
  method: 'sms' | 'face'
  /** `intentProofHash(proof)`: SHA-256 (lowercase hex) of the proof's canonical JSON. */
  proofHash: string
  /** Confirmed once for a batch (批量签署): the batch and the hash of its proof, which names every contract and document hash of the batch. */
  batchId?: string
  batchHash?: string
}

/** Every event type, for checking stored records (kept complete by the `satisfies` clause). */
export const EVIDENCE_EVENT_TYPES: ReadonlySet<string> = new Set(
  Object.keys({
    'contract.created': true,
    'document.uploaded': true,
    'contract.sent': true,
    'party.notified': true,
    'link.opened': true,
    'party.viewed': true,
    'identity.verified': true,
    'intent.confirmed': true,
    'party.signed': true,
    'seal.used': true,
    'reminder.sent': true,
    'contract.declined': true,
    'contract.revoked': true,
    'contract.expired': true,
    'contract.deadline-extended': true,
    'contract.completed': true,
    'document.finalised': true,
    'document.downloaded': true,
    'approval.requested': true,
    'approval.approved': true,
    'approval.rejected': true,
    INTENT_CONFIRMED: true,
    CONTRACT_TRANSITION: true,
  } satisfies Record<EvidenceEventType, true>),
)

/** Mask a provider reference: its first and last 4 characters, `****` between (short ones: all masked). */
export function maskReference(reference: string): string {
  return reference.length <= 8 ? '****' : `${reference.slice(0, 4)}****${reference.slice(-4)}`
}
