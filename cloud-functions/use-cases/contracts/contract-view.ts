import type { ApprovalProgressView, ContractSummary, ContractView, FieldInput, PartySealRequest, PartyView, RenewalLink } from '../../api/contracts.types'
import { partyName, type Contract, type FieldValue, type Party } from '../../core/contracts/contract'
import { validityState } from '../../core/contracts/contract-validity'
import { reminderRulesOf } from '../../core/contracts/reminder-schedule'
import { isLive } from '../../core/contracts/party-of-user'
import { whoseTurn } from '../../core/contracts/signing-turn'
import { approversInTurn } from '../../core/contracts/approval-round'
import type { ContractItem } from './records'

/** The caller as the contracts area sees them: their account and the lookup hashes of their phones. */
export type Caller = { userId: string; phoneHashes: readonly string[] }

/** The account bound to a party (the person, or the company's acting member). */
export function boundUser(p: Party): string | undefined {
  return p.kind === 'person' ? p.userId : p.member.userId
}

/**
 * The caller's party on a contract: the party bound to their account, else a party not bound yet
 * whose phone is one of theirs (bound when they act: `bindParty`). `undefined`: not a party.
 */
export function callerParty(item: ContractItem, caller: Caller): Party | undefined {
  const parties = item.contract.parties
  return (
    parties.find((p) => boundUser(p) === caller.userId) ??
    parties.find((p) => boundUser(p) === undefined && caller.phoneHashes.includes(item.phones[p.partyId]?.hash ?? ''))
  )
}

/** The contract with `partyId` bound to `userId` (no change when it already is). */
export function bindParty(c: Contract, partyId: string, userId: string): Contract {
  return {
    ...c,
    parties: c.parties.map((p) => (p.partyId !== partyId || boundUser(p) ? p : p.kind === 'person' ? { ...p, userId } : { ...p, member: { ...p.member, userId } })),
  }
}

/** The contract with the company party `partyId` tied to `companyId` (no change when it is not a company party or already has one). */
export function withPartyCompany(c: Contract, partyId: string, companyId: string | undefined): Contract {
  if (!companyId || !c.parties.some((p) => p.partyId === partyId && p.kind === 'company' && !p.companyId)) return c
  return { ...c, parties: c.parties.map((p) => (p.partyId === partyId && p.kind === 'company' ? { ...p, companyId } : p)) }
}

/** Whether the caller may see the contract: its sender, an approver of its current or last approval round, or (once it is sent) one of its parties. */
export function canSee(item: ContractItem, caller: Caller): boolean {
  const c = item.contract
  return (
    c.senderUserId === caller.userId ||
    isApprover(item, caller.userId) ||
    (c.status !== 'draft' && c.status !== 'pending_approval' && callerParty(item, caller) !== undefined)
  )
}

/** Whether `userId` is named in the contract's current or last approval round. */
export function isApprover(item: ContractItem, userId: string): boolean {
  return !!item.contract.approval?.approvers.some((a) => a.userId === userId)
}

/** The approval round as the sender, the approvers and the detail page see it. */
export function approvalView(c: Contract): ApprovalProgressView | undefined {
  const r = c.approval
  if (!r) return undefined
  const turn = approversInTurn(r)
  return {
    round: r.round,
    order: r.order,
    status: r.status,
    requestedAt: r.requestedAt,
    ...(r.endedAt ? { endedAt: r.endedAt } : {}),
    approvers: r.approvers.map((a) => ({
      userId: a.userId,
      name: a.name,
      status: a.status,
      ...(a.comment ? { comment: a.comment } : {}),
      ...(a.decidedAt ? { decidedAt: a.decidedAt } : {}),
      inTurn: c.status === 'pending_approval' && turn.includes(a.userId),
    })),
  }
}

function partyView(c: Contract, p: Party, sealRequest: PartySealRequest | undefined): PartyView {
  const s = c.signers[p.partyId]
  const group = c.order.findIndex((g) => g.includes(p.partyId))
  return {
    partyId: p.partyId,
    role: p.role,
    kind: p.kind,
    name: partyName(p),
    ...(p.kind === 'company' ? { memberName: p.member.name, ...(p.companyId ? { companyId: p.companyId } : {}) } : {}),
    // Stored phones are already masked (records.ts `sealPhones`).
    maskedPhone: p.kind === 'person' ? p.phone : p.member.phone,
    ...(s
      ? {
          status: s.status,
          notifiedAt: s.notifiedAt,
          viewedAt: s.viewedAt,
          signedAt: s.signedAt,
          declinedAt: s.declinedAt,
          declineReason: s.declineReason,
        }
      : {}),
    ...(group >= 0 ? { group } : {}),
    ...(sealRequest && p.kind === 'company' ? { sealRequest } : {}),
  }
}

/** The values the signers filled so far, by field id. */
export function filledValues(c: Contract): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {}
  for (const s of Object.values(c.signers)) Object.assign(values, s.values ?? {})
  return values
}

/** The detail view for `caller` (phones masked; what the caller may do now; the company parties' 用印申请 and the renewal chain when given). */
export function toContractView(
  item: ContractItem,
  caller: Caller,
  now: Date,
  options: { archived?: boolean; pages?: { width: number; height: number }[]; sealRequests?: Record<string, PartySealRequest>; renewalChain?: RenewalLink[] } = {},
): ContractView {
  const c = item.contract
  const validity = validityState(c, now)
  const me = callerParty(item, caller)
  const isSender = c.senderUserId === caller.userId
  const live = isLive(c, now)
  const myTurn = !!me && me.role === 'signer' && live && whoseTurn(c).includes(me.partyId)
  return {
    contractId: c.contractId,
    title: c.title,
    ...(c.note ? { note: c.note } : {}),
    status: c.status,
    senderName: item.senderName,
    ...(item.senderCompanyName ? { senderCompanyName: item.senderCompanyName } : {}),
    deadline: c.deadline,
    ...(c.validUntil ? { validUntil: c.validUntil } : {}),
    ...(validity ? { validity } : {}),
    ...(c.validityNoticeToParties ? { validityNoticeToParties: true } : {}),
    reminders: reminderView(c),
    ...(item.renewedFrom ? { renewedFrom: item.renewedFrom } : {}),
    ...(c.template ? { template: { templateId: c.template.templateId, version: c.template.version } } : {}),
    ...(item.renewedBy ? { renewedBy: item.renewedBy } : {}),
    ...(options.renewalChain && options.renewalChain.length > 1 ? { renewalChain: options.renewalChain } : {}),
    createdAt: c.createdAt,
    ...(c.sentAt ? { sentAt: c.sentAt } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.closedReason ? { closedReason: c.closedReason } : {}),
    parties: c.parties.map((p) => partyView(c, p, options.sealRequests?.[p.partyId])),
    order: c.order,
    fields: c.fields as FieldInput[],
    pages: c.document.pages ?? options.pages ?? item.draftPages ?? [],
    document: {
      originalSha256: c.document.originalSha256,
      ...(c.document.preparedSha256 ? { preparedSha256: c.document.preparedSha256 } : {}),
      ...(item.finalSha256 || c.document.latestSha256 ? { latestSha256: item.finalSha256 ?? c.document.latestSha256 } : {}),
      ...(item.fileName ? { fileName: item.fileName } : {}),
    },
    values: filledValues(c),
    archived: options.archived ?? false,
    me: {
      ...(me ? { partyId: me.partyId } : {}),
      isSender,
      canSend: isSender && c.status === 'draft',
      canSign: myTurn,
      canDecline: myTurn,
      canRevoke: isSender && (live || c.status === 'pending_approval'),
      canRenew: isSender && c.status === 'completed' && !item.renewedBy,
      ...(c.status === 'pending_approval' && c.approval && approversInTurn(c.approval).includes(caller.userId) ? { canApprove: true } : {}),
    },
    ...(c.approval ? { approval: approvalView(c) } : {}),
  }
}

/** A list row for `caller`. */
export function toContractSummary(item: ContractItem, caller: Caller, now: Date): ContractSummary {
  const c = item.contract
  const me = callerParty(item, caller)
  const signers = c.parties.filter((p) => p.role === 'signer')
  return {
    contractId: c.contractId,
    title: c.title,
    status: c.status,
    senderName: item.senderName,
    createdAt: c.createdAt,
    deadline: c.deadline,
    ...(c.validUntil ? { validUntil: c.validUntil } : {}),
    ...(validityState(c, now) ? { validity: validityState(c, now) } : {}),
    ...(item.renewedBy ? { renewedBy: item.renewedBy } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    parties: c.parties.map((p) => ({ name: partyName(p), role: p.role, ...(c.signers[p.partyId] ? { status: c.signers[p.partyId]!.status } : {}) })),
    myTurn: !!me && me.role === 'signer' && isLive(c, now) && whoseTurn(c).includes(me.partyId),
    isSender: c.senderUserId === caller.userId,
    signedCount: signers.filter((p) => c.signers[p.partyId]?.status === 'signed').length,
    signerCount: signers.length,
  }
}

/** The 自动催办 in force, as the view shows it. */
function reminderView(c: Contract): ContractView['reminders'] {
  const r = reminderRulesOf(c)
  return { afterDays: r.afterDays, beforeDeadlineHours: r.beforeDeadlineHours ?? null }
}
