import { NO_APPROVAL, type ApprovalPolicy } from '../../core/approvals/approval-policy'
import type { ApprovalRound } from '../../core/contracts/approval-round'
import type { Item, MetadataStore, TransactOperation } from '../../ports/metadata-store'

/**
 * The approvals area's records (审批).
 *
 * | record | pk | sk |
 * |---|---|---|
 * | a company's approval policy | `COMPANY#<companyId>` | `APPROVALPOLICY` |
 * | an approver's entry for one round of one contract | `APPROVER#<userId>` | `<requestedAt>#<contractId>#<round, 4 digits>` |
 *
 * The round itself (each approver's state) is part of the contract (`Contract.approval`, written by
 * the contracts area's transitions); an approver's entry is written in the same transaction as the
 * round's start, and again (with the decision) in the transaction of their decision, so their list
 * still shows a decision after later rounds replaced the contract's round.
 */
export const policyKey = (companyId: string) => ({ pk: `COMPANY#${companyId}`, sk: 'APPROVALPOLICY' })
const approverPartition = (userId: string) => `APPROVER#${userId}`
const entrySort = (requestedAt: string, contractId: string, round: number) => `${requestedAt}#${contractId}#${String(round).padStart(4, '0')}`

export type PolicyRecord = ApprovalPolicy & { updatedAt?: string; updatedBy?: string }

/** A company's policy; {@link NO_APPROVAL} when it never set one. */
export async function loadPolicy(metadata: MetadataStore, companyId: string): Promise<PolicyRecord> {
  const { pk, sk } = policyKey(companyId)
  const item = await metadata.get(pk, sk)
  if (!item || item.type !== 'approval-policy') return { ...NO_APPROVAL }
  return {
    scope: item.scope as ApprovalPolicy['scope'],
    templateIds: (item.templateIds as string[]) ?? [],
    approvers: (item.approvers as string[]) ?? [],
    order: item.order === 'parallel' ? 'parallel' : 'sequential',
    ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
    ...(typeof item.updatedBy === 'string' ? { updatedBy: item.updatedBy } : {}),
  }
}

export async function savePolicy(metadata: MetadataStore, companyId: string, policy: PolicyRecord): Promise<void> {
  await metadata.put({ ...policyKey(companyId), type: 'approval-policy', ...policy })
}

/** What an approver's list shows of one round without reading the contract again. */
export type ApproverEntry = {
  contractId: string
  round: number
  requestedAt: string
  title: string
  senderName: string
  decision?: 'approved' | 'rejected'
  comment?: string
  decidedAt?: string
}

/** An approver's entry of a round: its key and what the list shows. */
function entryItem(userId: string, round: ApprovalRound, contract: { contractId: string; title: string }, senderName: string) {
  return {
    pk: approverPartition(userId),
    sk: entrySort(round.requestedAt, contract.contractId, round.round),
    type: 'approver-entry',
    contractId: contract.contractId,
    round: round.round,
    requestedAt: round.requestedAt,
    title: contract.title,
    senderName,
  }
}

/** The entries of every approver of a round just started (to run in the round's transaction). */
export function roundEntryOperations(round: ApprovalRound, contract: { contractId: string; title: string }, senderName: string): TransactOperation[] {
  return round.approvers.map((a) => ({ put: entryItem(a.userId, round, contract, senderName) }))
}

/** The approver's entry with their decision (to run in the decision's transaction). */
export function decisionEntryOperation(userId: string, round: ApprovalRound, contract: { contractId: string; title: string }, senderName: string, decision: Required<Pick<ApproverEntry, 'decision' | 'decidedAt'>> & { comment?: string }): TransactOperation {
  return {
    put: {
      ...entryItem(userId, round, contract, senderName),
      decision: decision.decision,
      decidedAt: decision.decidedAt,
      ...(decision.comment ? { comment: decision.comment } : {}),
    },
  }
}

/** An approver's entries, newest first (at most `limit`). */
export async function listApproverEntries(metadata: MetadataStore, userId: string, limit: number): Promise<ApproverEntry[]> {
  const page = await metadata.query(approverPartition(userId), { reverse: true, limit })
  return page.items.map(toEntry)
}

function toEntry(i: Item): ApproverEntry {
  return {
    contractId: String(i.contractId),
    round: Number(i.round),
    requestedAt: String(i.requestedAt),
    title: String(i.title ?? ''),
    senderName: String(i.senderName ?? ''),
    ...(i.decision === 'approved' || i.decision === 'rejected' ? { decision: i.decision } : {}),
    ...(typeof i.comment === 'string' ? { comment: i.comment } : {}),
    ...(typeof i.decidedAt === 'string' ? { decidedAt: i.decidedAt } : {}),
  }
}
