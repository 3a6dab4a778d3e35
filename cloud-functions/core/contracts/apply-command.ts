import { err, ok, type DomainError, type Result } from '../shared/result'
import { isTerminal, type Contract, type PageSize, type Party, type SignedArea, type SigningMarks } from './contract'
import { replayEvents } from './apply-event'
import { CONTRACT_LIMITS } from './check-contract-structure'
import { checkFieldValues } from './check-field-values'
import type { ContractEvent } from './contract-events'
import { approversInTurn, type ApprovalOrder } from './approval-round'
import { currentGroupIndex, allSignersSigned, whoseTurn } from './signing-turn'
import { validateForSend } from './validate-for-send'

/**
 * What can be asked of a contract. Party commands name the party (`partyId`): mapping the
 * session to a party (or answering `CONTRACT_NOT_FOUND`) is the use case's job, as is checking
 * intent, certificates and seal rights before `sign`.
 */
export type ContractCommand =
  /** The sender sends the draft; `preparedSha256` is the PDF prepared with every field, already stored. */
  | { type: 'send'; by: string; preparedSha256: string; pages: PageSize[]; signedAreas?: SignedArea[] }
  | { type: 'view'; partyId: string }
  /** `documentSha256` is the stored revision that carries this signer's signature. */
  | { type: 'sign'; partyId: string; values: Record<string, unknown>; marks: SigningMarks; documentSha256: string }
  | { type: 'decline'; partyId: string; reason: string }
  | { type: 'revoke'; by: string; reason: string }
  /** The scheduled tick: the deadline has passed. */
  | { type: 'expire' }
  /** The sender extends the deadline (to a later time, at most a year ahead) before it passes. */
  | { type: 'extend-deadline'; by: string; deadline: string }
  /** The sender's send met the company's approval policy: a new approval round instead of sending. */
  | { type: 'request-approval'; by: string; order: ApprovalOrder; approvers: { userId: string; name: string }[] }
  /** A named approver of the current round approves (with an optional comment) or rejects (with a required one). */
  | { type: 'approve'; userId: string; comment?: string }
  | { type: 'reject'; userId: string; comment: string }

export type ContractTransition = { contract: Contract; events: ContractEvent[] }

const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * The contract state machine: `state + command + time → new state and the events it produced`, or
 * a typed error and no change. The new state is the old one with the events folded in
 * (`replayEvents`), so persisting the events and the state together can never disagree.
 *
 * | from | command | to / events |
 * |---|---|---|
 * | draft | send (by the sender, fields valid) | sent; ContractSent, SignerNotified × first group |
 * | sent | view (a notified signer) | signer viewed; SignerViewed (otherwise no change) |
 * | sent | sign (a signer whose turn it is) | signer signed; then the next group notified, or ContractCompleted after the last |
 * | sent | decline (a signer whose turn it is, with a reason) | declined; SignerDeclined, ContractDeclined |
 * | sent | revoke (the sender, with a reason) | revoked; ContractRevoked |
 * | sent | expire (deadline passed) | expired; ContractExpired |
 * | draft | request-approval (by the sender, 1–10 approvers) | pending_approval; ApprovalRequested (round n+1) |
 * | pending_approval | approve (an approver in turn) | ApprovalApproved; when it was the last, the round is approved and `send` may follow |
 * | pending_approval | reject (an approver in turn, with a comment) | draft; ApprovalRejected |
 * | pending_approval (round approved) | send | as from draft |
 * | pending_approval | revoke | revoked; ContractRevoked (the round is cancelled) |
 *
 * Errors: unknown party `CONTRACT_NOT_FOUND` (404: never reveal a contract to a stranger);
 * terminal state `CONTRACT_CLOSED` and after the deadline too (409); `CONTRACT_NOT_SENT`,
 * `CONTRACT_ALREADY_SENT` (409); `NOT_YOUR_TURN`, `ALREADY_SIGNED` (409); `NOT_THE_SENDER` (403);
 * cc parties acting as signers `FORBIDDEN`; send and value validation errors (400); approval:
 * `NOT_AN_APPROVER` (403), `APPROVAL_ALREADY_DECIDED`, `APPROVAL_NOT_YOUR_TURN`, `APPROVAL_NOT_PENDING` (409).
 */
export function applyCommand(c: Contract, cmd: ContractCommand, now: Date): Result<ContractTransition> {
  const decided = decide(c, cmd, now)
  if (!decided.ok) return decided
  return ok({ contract: replayEvents(c, decided.value), events: decided.value })
}

type Decision = Result<ContractEvent[], DomainError>

function decide(c: Contract, cmd: ContractCommand, now: Date): Decision {
  const at = now.toISOString()
  switch (cmd.type) {
    case 'send': {
      const approved = c.status === 'pending_approval' && c.approval?.status === 'approved'
      if (c.status !== 'draft' && !approved) return c.status === 'pending_approval' ? err('APPROVAL_PENDING', '合同正在审批中，审批通过后自动发出') : notDraft(c)
      if (cmd.by !== c.senderUserId) return notTheSender()
      if (!SHA256_HEX.test(cmd.preparedSha256)) return err('CONTRACT_INVALID', '准备好的文档摘要不正确', { reason: 'PREPARED_HASH_INVALID' })
      const valid = validateForSend(c, { pages: cmd.pages, signedAreas: cmd.signedAreas, now })
      if (!valid.ok) return valid
      const sent: ContractEvent = { type: 'ContractSent', at, preparedSha256: cmd.preparedSha256, pages: cmd.pages.map((p) => ({ width: p.width, height: p.height })) }
      return ok([sent, ...c.order[0].map((partyId): ContractEvent => ({ type: 'SignerNotified', at, partyId }))])
    }
    case 'view': {
      const live = livePartyAct(c, cmd.partyId, now)
      if (!live.ok) return live
      const s = c.signers[cmd.partyId]
      return ok(live.value.role === 'signer' && s?.status === 'notified' ? [{ type: 'SignerViewed', at, partyId: cmd.partyId }] : [])
    }
    case 'sign': {
      const turn = signerInTurn(c, cmd.partyId, now)
      if (!turn.ok) return turn
      if (!SHA256_HEX.test(cmd.documentSha256)) return err('VALIDATION_FAILED', '签署后的文档摘要不正确', { reason: 'DOCUMENT_HASH_INVALID' })
      const mine = c.fields.filter((f) => f.partyId === cmd.partyId)
      const values = checkFieldValues(mine, cmd.values, cmd.marks, now)
      if (!values.ok) return values
      const marks: SigningMarks = {}
      if (cmd.marks.signatureId) marks.signatureId = cmd.marks.signatureId
      if (cmd.marks.sealId) marks.sealId = cmd.marks.sealId
      const events: ContractEvent[] = [{ type: 'SignerSigned', at, partyId: cmd.partyId, values: values.value, marks, documentSha256: cmd.documentSha256 }]
      const after = replayEvents(c, events)
      if (allSignersSigned(after)) return ok([...events, { type: 'ContractCompleted', at }])
      const before = currentGroupIndex(c)
      const next = currentGroupIndex(after)
      if (next !== before) for (const partyId of after.order[next]) events.push({ type: 'SignerNotified', at, partyId })
      return ok(events)
    }
    case 'decline': {
      const turn = signerInTurn(c, cmd.partyId, now)
      if (!turn.ok) return turn
      const reason = checkReason(cmd.reason)
      if (!reason.ok) return reason
      return ok([
        { type: 'SignerDeclined', at, partyId: cmd.partyId, reason: reason.value },
        { type: 'ContractDeclined', at, partyId: cmd.partyId, reason: reason.value },
      ])
    }
    case 'revoke': {
      if (cmd.by !== c.senderUserId) return notTheSender()
      if (c.status !== 'sent' && c.status !== 'pending_approval') return notSent(c)
      const reason = checkReason(cmd.reason)
      if (!reason.ok) return reason
      return ok([{ type: 'ContractRevoked', at, by: cmd.by, reason: reason.value }])
    }
    case 'expire': {
      if (c.status !== 'sent') return notSent(c)
      if (now.getTime() < Date.parse(c.deadline)) return err('DEADLINE_NOT_REACHED', '合同尚未到签署截止时间', { deadline: c.deadline })
      return ok([{ type: 'ContractExpired', at }])
    }
    case 'extend-deadline': {
      if (cmd.by !== c.senderUserId) return notTheSender()
      if (c.status !== 'sent') return notSent(c)
      if (now.getTime() >= Date.parse(c.deadline)) return err('CONTRACT_CLOSED', '合同已超过签署截止时间，不能再延期', { status: 'expired', deadline: c.deadline })
      const next = Date.parse(cmd.deadline)
      if (!(next > Date.parse(c.deadline))) return err('DEADLINE_INVALID', '新的截止时间须晚于原截止时间', { deadline: c.deadline })
      if (next > now.getTime() + 366 * 86_400_000) return err('DEADLINE_INVALID', '截止时间最多设置在一年之内', { deadline: c.deadline })
      return ok([{ type: 'DeadlineExtended', at, by: cmd.by, deadline: new Date(next).toISOString() }])
    }
    case 'request-approval': {
      if (c.status !== 'draft') return notDraft(c)
      if (cmd.by !== c.senderUserId) return notTheSender()
      const ids = cmd.approvers.map((a) => a.userId)
      if (ids.length < 1 || ids.length > 10 || new Set(ids).size !== ids.length) return err('VALIDATION_FAILED', '审批人须为 1 到 10 位不同的企业成员', { reason: 'APPROVERS_INVALID' })
      const round = (c.approval?.round ?? 0) + 1
      return ok([{ type: 'ApprovalRequested', at, by: cmd.by, round, order: cmd.order, approvers: cmd.approvers.map((a) => ({ userId: a.userId, name: a.name })) }])
    }
    case 'approve':
    case 'reject': {
      const round = c.approval
      const me = round?.approvers.find((a) => a.userId === cmd.userId)
      if (!round || !me) return err('NOT_AN_APPROVER', '您不是此合同的审批人')
      if (me.status !== 'pending') return err('APPROVAL_ALREADY_DECIDED', '您已审批过此合同', { status: me.status, decidedAt: me.decidedAt })
      if (c.status !== 'pending_approval' || round.status !== 'pending') return err('APPROVAL_NOT_PENDING', '此合同的审批已结束', { status: c.status })
      if (!approversInTurn(round).includes(cmd.userId)) return err('APPROVAL_NOT_YOUR_TURN', '还没有轮到您审批，请等待前面的审批人', { waitingFor: approversInTurn(round) })
      const comment = (cmd.comment ?? '').trim()
      if ([...comment].length > CONTRACT_LIMITS.reasonLength) return err('VALIDATION_FAILED', `审批意见不能超过 ${CONTRACT_LIMITS.reasonLength} 个字`, { reason: 'COMMENT_TOO_LONG' })
      if (cmd.type === 'approve') return ok([{ type: 'ApprovalApproved', at, round: round.round, userId: cmd.userId, ...(comment ? { comment } : {}) }])
      if (!comment) return err('VALIDATION_FAILED', '驳回时请填写审批意见', { reason: 'COMMENT_REQUIRED' })
      return ok([{ type: 'ApprovalRejected', at, round: round.round, userId: cmd.userId, comment }])
    }
  }
}

/** A party acting on a sent contract before its deadline. */
function livePartyAct(c: Contract, partyId: string, now: Date): Result<Party> {
  const party = c.parties.find((p) => p.partyId === partyId)
  if (!party) return err('CONTRACT_NOT_FOUND', '合同不存在')
  if (c.status !== 'sent') return notSent(c)
  if (now.getTime() >= Date.parse(c.deadline)) return err('CONTRACT_CLOSED', '合同已超过签署截止时间', { status: 'expired', deadline: c.deadline })
  return ok(party)
}

/** A signer whose turn it is: in the current group and not signed yet. */
function signerInTurn(c: Contract, partyId: string, now: Date): Result<Party> {
  const live = livePartyAct(c, partyId, now)
  if (!live.ok) return live
  if (live.value.role !== 'signer') return err('FORBIDDEN', '抄送方无需签署')
  const s = c.signers[partyId]
  if (s?.status === 'signed') return err('ALREADY_SIGNED', '您已签署过此合同', { signedAt: s.signedAt })
  if (!whoseTurn(c).includes(partyId)) return err('NOT_YOUR_TURN', '还没有轮到您签署，请等待前面的签署方完成', { waitingFor: whoseTurn(c) })
  return live
}

function checkReason(reason: string): Result<string> {
  const r = (reason ?? '').trim()
  if (!r) return err('VALIDATION_FAILED', '请填写原因', { reason: 'REASON_REQUIRED' })
  if ([...r].length > CONTRACT_LIMITS.reasonLength) return err('VALIDATION_FAILED', `原因不能超过 ${CONTRACT_LIMITS.reasonLength} 个字`, { reason: 'REASON_TOO_LONG' })
  return ok(r)
}

function closed(c: Contract) {
  return err('CONTRACT_CLOSED', `合同已${CLOSED_LABEL[c.status]}，不能再操作`, { status: c.status })
}

const CLOSED_LABEL: Record<Contract['status'], string> = { draft: '保存为草稿', pending_approval: '提交审批', sent: '发出', completed: '完成', declined: '被拒签', revoked: '撤销', expired: '过期' }

function notDraft(c: Contract) {
  if (c.status === 'pending_approval') return err('APPROVAL_PENDING', '合同正在审批中，不能修改或再次发送')
  return isTerminal(c.status) ? closed(c) : err('CONTRACT_ALREADY_SENT', '合同已发出，不能再修改或发送')
}

function notSent(c: Contract) {
  if (c.status === 'pending_approval') return err('APPROVAL_PENDING', '合同正在审批中，尚未发出')
  return isTerminal(c.status) ? closed(c) : err('CONTRACT_NOT_SENT', '合同尚未发出')
}

function notTheSender() {
  return err('NOT_THE_SENDER', '只有发起方可以执行此操作')
}
