/**
 * 审批 in the pure core: which contracts a policy gates (all / listed templates / off), and the
 * approval transitions of the contract state machine, table-driven — request, approve in order and
 * in any order, reject (comment required) back to draft, a new round after it, send only once the
 * round is approved, revoke while pending, and every refusal with its code.
 */
import { approvalApplies, NO_APPROVAL, type ApprovalPolicy } from '../../../cloud-functions/core/approvals/approval-policy'
import { applyCommand, type ContractCommand } from '../../../cloud-functions/core/contracts/apply-command'
import type { Contract } from '../../../cloud-functions/core/contracts/contract'
import { SENDER, T0, draft, drive, person, sendCmd } from '../contracts/contract-fixtures'

const policy = (p: Partial<ApprovalPolicy>): ApprovalPolicy => ({ ...NO_APPROVAL, approvers: ['u1'], ...p })

describe('approvalApplies: which contracts need approval', () => {
  const plain = {}
  const labour = { template: { templateId: 'tpl-labour', version: 2 } }
  const purchase = { template: { templateId: 'tpl-purchase', version: 1 } }
  it.each([
    ['off', policy({ scope: 'off' }), plain, false],
    ['off, from a template', policy({ scope: 'off' }), labour, false],
    ['all', policy({ scope: 'all' }), plain, true],
    ['all, from a template', policy({ scope: 'all' }), purchase, true],
    ['listed templates, no template', policy({ scope: 'templates', templateIds: ['tpl-labour'] }), plain, false],
    ['listed templates, a listed one', policy({ scope: 'templates', templateIds: ['tpl-labour'] }), labour, true],
    ['listed templates, another one', policy({ scope: 'templates', templateIds: ['tpl-labour'] }), purchase, false],
    ['all but no approvers', policy({ scope: 'all', approvers: [] }), plain, false],
  ])('%s', (_name, p, contract, expected) => {
    expect(approvalApplies(p, contract)).toBe(expected)
  })
})

const APPROVERS = [
  { userId: 'u1', name: '周一' },
  { userId: 'u2', name: '吴二' },
  { userId: 'u3', name: '郑三' },
]
const request = (order: 'sequential' | 'parallel'): ContractCommand => ({ type: 'request-approval', by: SENDER, order, approvers: APPROVERS })
const pending = (order: 'sequential' | 'parallel') => drive(draft({ parties: [person('A')] }), [request(order)])
const approve = (userId: string, comment?: string): ContractCommand => ({ type: 'approve', userId, ...(comment ? { comment } : {}) })
const reject = (userId: string, comment: string): ContractCommand => ({ type: 'reject', userId, comment })

type Expect = { code: string } | { status: Contract['status']; round: string; approvers: string[]; events: string[] }
const rows: Array<[string, () => Contract, ContractCommand, Expect]> = [
  ['draft · request by the sender → pending_approval, round 1', () => draft({ parties: [person('A')] }), request('sequential'), { status: 'pending_approval', round: 'pending', approvers: ['pending', 'pending', 'pending'], events: ['ApprovalRequested'] }],
  ['draft · request by someone else', () => draft({ parties: [person('A')] }), { ...(request('sequential') as object), by: 'u-other' } as ContractCommand, { code: 'NOT_THE_SENDER' }],
  ['draft · request with no approvers', () => draft({ parties: [person('A')] }), { type: 'request-approval', by: SENDER, order: 'parallel', approvers: [] }, { code: 'VALIDATION_FAILED' }],
  ['draft · approve', () => draft({ parties: [person('A')] }), approve('u1'), { code: 'NOT_AN_APPROVER' }],
  ['pending · send before approval', () => pending('parallel'), sendCmd, { code: 'APPROVAL_PENDING' }],
  ['pending · request again', () => pending('parallel'), request('parallel'), { code: 'APPROVAL_PENDING' }],
  ['sequential · the first approves', () => pending('sequential'), approve('u1', '同意'), { status: 'pending_approval', round: 'pending', approvers: ['approved', 'pending', 'pending'], events: ['ApprovalApproved'] }],
  ['sequential · the second before the first', () => pending('sequential'), approve('u2'), { code: 'APPROVAL_NOT_YOUR_TURN' }],
  ['sequential · the second may reject only in turn', () => pending('sequential'), reject('u2', '不行'), { code: 'APPROVAL_NOT_YOUR_TURN' }],
  ['sequential · the last approves → round approved', () => drive(pending('sequential'), [approve('u1'), approve('u2')]), approve('u3'), { status: 'pending_approval', round: 'approved', approvers: ['approved', 'approved', 'approved'], events: ['ApprovalApproved'] }],
  ['parallel · the third first', () => pending('parallel'), approve('u3'), { status: 'pending_approval', round: 'pending', approvers: ['pending', 'pending', 'approved'], events: ['ApprovalApproved'] }],
  ['parallel · twice by one', () => drive(pending('parallel'), [approve('u2')]), approve('u2'), { code: 'APPROVAL_ALREADY_DECIDED' }],
  ['parallel · a stranger', () => pending('parallel'), approve('u9'), { code: 'NOT_AN_APPROVER' }],
  ['reject without a comment', () => pending('parallel'), reject('u1', '  '), { code: 'VALIDATION_FAILED' }],
  ['reject → draft, round rejected', () => drive(pending('parallel'), [approve('u1')]), reject('u2', '金额不对'), { status: 'draft', round: 'rejected', approvers: ['approved', 'rejected', 'pending'], events: ['ApprovalRejected'] }],
  ['after a rejection · another approver decides', () => drive(pending('parallel'), [reject('u1', '不行')]), approve('u2'), { code: 'APPROVAL_NOT_PENDING' }],
  ['approved round · send → sent', () => drive(pending('parallel'), [approve('u1'), approve('u2'), approve('u3')]), sendCmd, { status: 'sent', round: 'approved', approvers: ['approved', 'approved', 'approved'], events: ['ContractSent', 'SignerNotified'] }],
  ['pending · revoke → revoked, round cancelled', () => pending('sequential'), { type: 'revoke', by: SENDER, reason: '不需要了' }, { status: 'revoked', round: 'cancelled', approvers: ['pending', 'pending', 'pending'], events: ['ContractRevoked'] }],
  ['pending · view by a party', () => pending('sequential'), { type: 'view', partyId: 'A' }, { code: 'APPROVAL_PENDING' }],
]

describe('approval transitions', () => {
  it.each(rows)('%s', (_name, from, cmd, expected) => {
    const r = applyCommand(from(), cmd, T0)
    if ('code' in expected) {
      expect(r.ok ? 'ok' : r.error.code).toBe(expected.code)
      return
    }
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
    const c = r.value.contract
    expect([c.status, c.approval?.status, c.approval?.approvers.map((a) => a.status), r.value.events.map((e) => e.type)]).toEqual([expected.status, expected.round, expected.approvers, expected.events])
  })

  it('a rejection keeps its comment and time; the next request starts round 2 with everyone pending again', () => {
    const rejected = drive(pending('sequential'), [approve('u1', '可以'), reject('u2', '附件缺失')])
    expect(rejected.approval!.approvers[1]).toEqual({ userId: 'u2', name: '吴二', status: 'rejected', comment: '附件缺失', decidedAt: T0.toISOString() })
    expect(rejected.approval!.approvers[0].comment).toBe('可以')
    const again = drive(rejected, [request('sequential')])
    expect([again.status, again.approval!.round, again.approval!.approvers.every((a) => a.status === 'pending')]).toEqual(['pending_approval', 2, true])
  })
})
