/**
 * What happened to a contract, as recorded in its evidence chain (see `hash-chain.ts`): a closed,
 * typed union in the style of Documenso's audit-log enum. Every event names its `contractId` (the
 * chain it belongs to) and carries ids and hashes only, never personal data in clear: no names,
 * ID numbers, phones or document bytes (a phone would appear as its lookup hash).
 *
 * Only events that some use case appends are listed. Expected next, once their use cases exist:
 * `CONTRACT_SENT`, `SIGNER_VIEWED`, `DOCUMENT_SIGNED`, `CONTRACT_COMPLETED`, `CONTRACT_REVOKED`.
 * Adding one: a `…Data` type, a member of the union, an entry in {@link EVIDENCE_EVENT_TYPES}.
 *
 * @example
 * const event: EvidenceEvent = {
 *   type: 'INTENT_CONFIRMED',
 *   data: { contractId, signerId, proofId, documentHash, method: 'sms', proofHash },
 * }
 */
export type EvidenceEvent = { type: 'INTENT_CONFIRMED'; data: IntentConfirmedData } | { type: 'CONTRACT_TRANSITION'; data: ContractTransitionData }

/**
 * One state change of a contract (`core/contracts/apply-command.ts`), recorded in the same
 * transaction as the contract: the lifecycle events it produced, with party ids and document
 * hashes only (a reason is recorded as its SHA-256).
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
}

/** Every event type, for checking stored records (kept complete by the `satisfies` clause). */
export const EVIDENCE_EVENT_TYPES: ReadonlySet<string> = new Set(
  Object.keys({ INTENT_CONFIRMED: true, CONTRACT_TRANSITION: true } satisfies Record<EvidenceEventType, true>),
)
