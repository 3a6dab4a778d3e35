/**
 * Every transition of the contract state machine, table-driven: from each state, each command,
 * by the right and the wrong actor, in and out of turn, before and after the deadline.
 */
import { applyCommand, type ContractCommand } from '../../../cloud-functions/core/contracts/apply-command'
import { replayEvents } from '../../../cloud-functions/core/contracts/apply-event'
import type { Contract, Party } from '../../../cloud-functions/core/contracts/contract'
import { isLive, partyOfUser } from '../../../cloud-functions/core/contracts/party-of-user'
import { whoseTurn } from '../../../cloud-functions/core/contracts/signing-turn'
import { A4, DEADLINE, PAGES, SENDER, SHA, T0, company, draft, drive, person, sendCmd, signCmd } from './contract-fixtures'

const AFTER_DEADLINE = new Date(Date.parse(DEADLINE))
const SEQ = () => draft({ parties: [person('A'), person('B'), person('C', 'cc')] }) // A then B; C is cc
const PAR = () => draft({ parties: [person('A'), company('B'), person('C')], order: [['A', 'B'], ['C']] })
const sent = (c: Contract) => drive(c, [sendCmd])

type Expect = { code: string } | { status: Contract['status']; signers?: Record<string, string>; events: string[] }
type Row = [string, () => Contract, ContractCommand | ((c: Contract) => ContractCommand), Expect, Date?]

const rows: Row[] = [
  // draft
  ['draft · send by the sender (sequential) → sent, first signer notified', SEQ, sendCmd, { status: 'sent', signers: { A: 'notified', B: 'pending' }, events: ['ContractSent', 'SignerNotified'] }],
  ['draft · send (parallel first group) → both notified', PAR, sendCmd, { status: 'sent', signers: { A: 'notified', B: 'notified', C: 'pending' }, events: ['ContractSent', 'SignerNotified', 'SignerNotified'] }],
  ['draft · send by someone else', SEQ, { ...sendCmd, by: 'u-other' }, { code: 'NOT_THE_SENDER' }],
  ['draft · send with a field off the page', () => draft({ fields: [{ fieldId: 'f', partyId: 'A', kind: 'signature', page: 0, rect: [500, 10, 200, 50] }, { fieldId: 'g', partyId: 'B', kind: 'signature', page: 0, rect: [0, 0, 10, 10] }] }), sendCmd, { code: 'FIELD_OFF_PAGE' }],
  ['draft · send after the deadline', SEQ, sendCmd, { code: 'CONTRACT_INVALID' }, AFTER_DEADLINE],
  ['draft · send with a malformed prepared hash', SEQ, { ...sendCmd, preparedSha256: 'abc' }, { code: 'CONTRACT_INVALID' }],
  ['draft · send over an area signed before', SEQ, { ...sendCmd, signedAreas: [{ page: 2, rect: [50, 70, 40, 40] }] }, { code: 'FIELD_OVERLAPS_SIGNED_AREA' }],
  ['draft · view', SEQ, { type: 'view', partyId: 'A' }, { code: 'CONTRACT_NOT_SENT' }],
  ['draft · sign', SEQ, (c) => signCmd(c, 'A'), { code: 'CONTRACT_NOT_SENT' }],
  ['draft · decline', SEQ, { type: 'decline', partyId: 'A', reason: '价格不对' }, { code: 'CONTRACT_NOT_SENT' }],
  ['draft · revoke', SEQ, { type: 'revoke', by: SENDER, reason: '重新起草' }, { code: 'CONTRACT_NOT_SENT' }],
  ['draft · expire', SEQ, { type: 'expire' }, { code: 'CONTRACT_NOT_SENT' }],
  // sent: send, view
  ['sent · send again', () => sent(SEQ()), sendCmd, { code: 'CONTRACT_ALREADY_SENT' }],
  ['sent · view by the notified signer → viewed', () => sent(SEQ()), { type: 'view', partyId: 'A' }, { status: 'sent', signers: { A: 'viewed', B: 'pending' }, events: ['SignerViewed'] }],
  ['sent · view again → no change', () => drive(sent(SEQ()), [{ type: 'view', partyId: 'A' }]), { type: 'view', partyId: 'A' }, { status: 'sent', signers: { A: 'viewed' }, events: [] }],
  ['sent · view by a later signer → may read, stays pending', () => sent(SEQ()), { type: 'view', partyId: 'B' }, { status: 'sent', signers: { B: 'pending' }, events: [] }],
  ['sent · view by the cc party → no change', () => sent(SEQ()), { type: 'view', partyId: 'C' }, { status: 'sent', events: [] }],
  ['sent · view by a stranger', () => sent(SEQ()), { type: 'view', partyId: 'X' }, { code: 'CONTRACT_NOT_FOUND' }],
  ['sent · view after the deadline', () => sent(SEQ()), { type: 'view', partyId: 'A' }, { code: 'CONTRACT_CLOSED' }, AFTER_DEADLINE],
  // sent: sign
  ['sent · first signer signs from notified → next notified', () => sent(SEQ()), (c) => signCmd(c, 'A'), { status: 'sent', signers: { A: 'signed', B: 'notified' }, events: ['SignerSigned', 'SignerNotified'] }],
  ['sent · first signer signs from viewed', () => drive(sent(SEQ()), [{ type: 'view', partyId: 'A' }]), (c) => signCmd(c, 'A'), { status: 'sent', signers: { A: 'signed', B: 'notified' }, events: ['SignerSigned', 'SignerNotified'] }],
  ['sent · second signer out of turn', () => sent(SEQ()), (c) => signCmd(c, 'B'), { code: 'NOT_YOUR_TURN' }],
  ['sent · signer signs twice', () => drive(sent(SEQ()), [signCmd(SEQ(), 'A')]), (c) => signCmd(c, 'A'), { code: 'ALREADY_SIGNED' }],
  ['sent · last signer signs → completed', () => drive(sent(SEQ()), [signCmd(SEQ(), 'A')]), (c) => signCmd(c, 'B'), { status: 'completed', signers: { A: 'signed', B: 'signed' }, events: ['SignerSigned', 'ContractCompleted'] }],
  ['sent · cc party tries to sign', () => sent(SEQ()), { type: 'sign', partyId: 'C', values: {}, marks: { signatureId: 's' }, documentSha256: SHA(9) }, { code: 'FORBIDDEN' }],
  ['sent · stranger tries to sign', () => sent(SEQ()), { type: 'sign', partyId: 'X', values: {}, marks: { signatureId: 's' }, documentSha256: SHA(9) }, { code: 'CONTRACT_NOT_FOUND' }],
  ['sent · sign after the deadline, before the tick', () => sent(SEQ()), (c) => signCmd(c, 'A'), { code: 'CONTRACT_CLOSED' }, AFTER_DEADLINE],
  ['sent · sign without choosing a signature', () => sent(SEQ()), { type: 'sign', partyId: 'A', values: {}, marks: {}, documentSha256: SHA(9) }, { code: 'FIELD_VALUE_INVALID' }],
  ['sent · sign with a malformed revision hash', () => sent(SEQ()), { type: 'sign', partyId: 'A', values: {}, marks: { signatureId: 's' }, documentSha256: 'zz' }, { code: 'VALIDATION_FAILED' }],
  ['sent · parallel group: one signs → the group waits', () => sent(PAR()), (c) => signCmd(c, 'A'), { status: 'sent', signers: { A: 'signed', B: 'notified', C: 'pending' }, events: ['SignerSigned'] }],
  ['sent · parallel group: the other signs first', () => sent(PAR()), (c) => signCmd(c, 'B'), { status: 'sent', signers: { A: 'notified', B: 'signed', C: 'pending' }, events: ['SignerSigned'] }],
  ['sent · parallel group: the last of it signs → next group notified', () => drive(sent(PAR()), [signCmd(PAR(), 'B')]), (c) => signCmd(c, 'A'), { status: 'sent', signers: { A: 'signed', B: 'signed', C: 'notified' }, events: ['SignerSigned', 'SignerNotified'] }],
  ['sent · later group signs before the parallel group is done', () => drive(sent(PAR()), [signCmd(PAR(), 'A')]), (c) => signCmd(c, 'C'), { code: 'NOT_YOUR_TURN' }],
  // sent: decline
  ['sent · signer in turn declines → declined', () => sent(SEQ()), { type: 'decline', partyId: 'A', reason: ' 价格不对 ' }, { status: 'declined', signers: { A: 'declined', B: 'pending' }, events: ['SignerDeclined', 'ContractDeclined'] }],
  ['sent · a later signer declines out of turn', () => sent(SEQ()), { type: 'decline', partyId: 'B', reason: '不同意' }, { code: 'NOT_YOUR_TURN' }],
  ['sent · a signer who signed declines', () => drive(sent(PAR()), [signCmd(PAR(), 'A')]), { type: 'decline', partyId: 'A', reason: '反悔' }, { code: 'ALREADY_SIGNED' }],
  ['sent · decline without a reason', () => sent(SEQ()), { type: 'decline', partyId: 'A', reason: '   ' }, { code: 'VALIDATION_FAILED' }],
  ['sent · decline with a reason too long', () => sent(SEQ()), { type: 'decline', partyId: 'A', reason: '长'.repeat(501) }, { code: 'VALIDATION_FAILED' }],
  ['sent · cc party declines', () => sent(SEQ()), { type: 'decline', partyId: 'C', reason: '不同意' }, { code: 'FORBIDDEN' }],
  // sent: revoke, expire
  ['sent · sender revokes → revoked', () => sent(SEQ()), { type: 'revoke', by: SENDER, reason: '条款有误' }, { status: 'revoked', events: ['ContractRevoked'] }],
  ['sent · sender revokes after one signature', () => drive(sent(SEQ()), [signCmd(SEQ(), 'A')]), { type: 'revoke', by: SENDER, reason: '条款有误' }, { status: 'revoked', signers: { A: 'signed' }, events: ['ContractRevoked'] }],
  ['sent · a party who is not the sender revokes', () => sent(SEQ()), { type: 'revoke', by: 'u-A', reason: '我不想签' }, { code: 'NOT_THE_SENDER' }],
  ['sent · revoke without a reason', () => sent(SEQ()), { type: 'revoke', by: SENDER, reason: '' }, { code: 'VALIDATION_FAILED' }],
  ['sent · expire at the deadline → expired', () => sent(SEQ()), { type: 'expire' }, { status: 'expired', events: ['ContractExpired'] }, AFTER_DEADLINE],
  ['sent · expire one ms before the deadline', () => sent(SEQ()), { type: 'expire' }, { code: 'DEADLINE_NOT_REACHED' }, new Date(Date.parse(DEADLINE) - 1)],
  // sent: extend the deadline (延期)
  ['sent · sender extends the deadline', () => sent(SEQ()), { type: 'extend-deadline', by: SENDER, deadline: '2026-12-15T16:00:00.000Z' }, { status: 'sent', events: ['DeadlineExtended'] }],
  ['sent · a party extends the deadline', () => sent(SEQ()), { type: 'extend-deadline', by: 'u-A', deadline: '2026-12-15T16:00:00.000Z' }, { code: 'NOT_THE_SENDER' }],
  ['sent · extend to an earlier deadline', () => sent(SEQ()), { type: 'extend-deadline', by: SENDER, deadline: '2026-12-05T16:00:00.000Z' }, { code: 'DEADLINE_INVALID' }],
  ['sent · extend after the deadline passed', () => sent(SEQ()), { type: 'extend-deadline', by: SENDER, deadline: '2026-12-15T16:00:00.000Z' }, { code: 'CONTRACT_CLOSED' }, AFTER_DEADLINE],
]

// Terminal states: every command fails and nothing changes.
const TERMINALS: Array<[string, () => Contract]> = [
  ['completed', () => drive(sent(SEQ()), [signCmd(SEQ(), 'A'), signCmd(SEQ(), 'B')])],
  ['declined', () => drive(sent(SEQ()), [{ type: 'decline', partyId: 'A', reason: '不同意' }])],
  ['revoked', () => drive(sent(SEQ()), [{ type: 'revoke', by: SENDER, reason: '作废' }])],
  ['expired', () => drive(sent(SEQ()), [{ type: 'expire' }], AFTER_DEADLINE)],
]
const TERMINAL_COMMANDS: Array<[string, ContractCommand | ((c: Contract) => ContractCommand), string]> = [
  ['send', sendCmd, 'CONTRACT_CLOSED'],
  ['view', { type: 'view', partyId: 'B' }, 'CONTRACT_CLOSED'],
  ['sign', (c) => signCmd(c, 'B'), 'CONTRACT_CLOSED'],
  ['decline', { type: 'decline', partyId: 'B', reason: '不同意' }, 'CONTRACT_CLOSED'],
  ['revoke', { type: 'revoke', by: SENDER, reason: '作废' }, 'CONTRACT_CLOSED'],
  ['expire', { type: 'expire' }, 'CONTRACT_CLOSED'],
  ['view by a stranger', { type: 'view', partyId: 'X' }, 'CONTRACT_NOT_FOUND'],
]
for (const [state, make] of TERMINALS) {
  for (const [name, cmd, code] of TERMINAL_COMMANDS) rows.push([`${state} · ${name}`, make, cmd, { code }, AFTER_DEADLINE])
}

describe('applyCommand — every transition', () => {
  it.each(rows)('%s', (_name, make, command, expected, now = T0) => {
    // Prepare
    const before = make()
    const snapshot = JSON.stringify(before)
    const cmd = typeof command === 'function' ? command(before) : command

    // Act
    const r = applyCommand(before, cmd, now)

    // Assess
    expect(JSON.stringify(before)).toBe(snapshot) // the input is never changed
    if ('code' in expected) {
      expect(r.ok ? 'ok' : r.error.code).toBe(expected.code)
      return
    }
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
    expect(r.value.contract.status).toBe(expected.status)
    expect(r.value.events.map((e) => e.type)).toEqual(expected.events)
    for (const [id, status] of Object.entries(expected.signers ?? {})) expect([id, r.value.contract.signers[id].status]).toEqual([id, status])
    expect(replayEvents(before, r.value.events)).toEqual(r.value.contract)
    for (const e of r.value.events) expect(e.at).toBe(now.toISOString())
  })
})

describe('applyCommand — what the events carry', () => {
  it('records the prepared hash and page sizes at send, and each signature revision as the latest', () => {
    // Prepare
    const c = sent(SEQ())

    // Act
    const signed = applyCommand(c, signCmd(c, 'A', 42), T0)

    // Assess
    expect(c.document).toEqual({ originalSha256: SHA(1), preparedSha256: SHA(2), latestSha256: SHA(2), pages: PAGES })
    expect(c.sentAt).toBe(T0.toISOString())
    if (!signed.ok) throw new Error(signed.error.code)
    expect(signed.value.contract.document.latestSha256).toBe(SHA(42))
    expect(signed.value.contract.signers.A).toMatchObject({ status: 'signed', documentSha256: SHA(42), marks: { signatureId: 'sig-1' }, signedAt: T0.toISOString() })
  })

  it('keeps the decline reason trimmed on the signer and the contract', () => {
    // Prepare
    const c = sent(SEQ())

    // Act
    const r = applyCommand(c, { type: 'decline', partyId: 'A', reason: '  价格不对 ' }, T0)

    // Assess
    if (!r.ok) throw new Error(r.error.code)
    expect(r.value.contract).toMatchObject({ status: 'declined', closedReason: '价格不对', closedBy: 'A', closedAt: T0.toISOString() })
    expect(r.value.contract.signers.A.declineReason).toBe('价格不对')
  })

  it('fills date fields with the signing day in Beijing at signing', () => {
    // Prepare: 23:30 UTC is 07:30 the next day in Beijing
    const c = sent(
      draft({
        parties: [person('A')],
        fields: [
          { fieldId: 'sig', partyId: 'A', kind: 'signature', page: 0, rect: [50, 50, 120, 60] },
          { fieldId: 'date', partyId: 'A', kind: 'date', format: 'YYYY年MM月DD日', page: 0, rect: [200, 50, 120, 20] },
        ],
      }),
    )
    const late = new Date('2026-12-03T23:30:00Z')

    // Act
    const r = applyCommand(c, signCmd(c, 'A'), late)

    // Assess
    if (!r.ok) throw new Error(r.error.code)
    expect(r.value.contract.status).toBe('completed')
    expect(r.value.contract.signers.A.values).toEqual({ date: '2026年12月04日' })
  })
})

describe('order as groups — A, then B and C in parallel, then D', () => {
  it('notifies each group when the one before it is done, and completes after D', () => {
    // Prepare
    const c0 = draft({ parties: [person('A'), person('B'), company('C'), person('D')], order: [['A'], ['B', 'C'], ['D']] })
    const turns: string[][] = []
    const notified: string[][] = []

    // Act
    let c = c0
    for (const cmd of [sendCmd, signCmd(c0, 'A'), signCmd(c0, 'C'), signCmd(c0, 'B'), signCmd(c0, 'D')]) {
      const r = applyCommand(c, cmd, T0)
      if (!r.ok) throw new Error(r.error.code)
      c = r.value.contract
      turns.push(whoseTurn(c))
      notified.push(r.value.events.filter((e) => e.type === 'SignerNotified').map((e) => (e as { partyId: string }).partyId))
    }

    // Assess
    expect(turns).toEqual([['A'], ['B', 'C'], ['B'], ['D'], []])
    expect(notified).toEqual([['A'], ['B', 'C'], [], ['D'], []])
    expect(c.status).toBe('completed')
  })

  it('a landscape page (displayed 842 × 595) takes a field the portrait page cannot', () => {
    // Prepare
    const fields = [{ fieldId: 'f', partyId: 'A', kind: 'signature' as const, page: 0, rect: [700, 40, 100, 50] as [number, number, number, number] }]
    const c = draft({ parties: [person('A')], fields })

    // Act
    const portrait = applyCommand(c, { ...sendCmd, pages: [A4] }, T0)
    const landscape = applyCommand(c, { ...sendCmd, pages: [{ width: A4.height, height: A4.width }] }, T0)

    // Assess
    expect(portrait.ok ? 'ok' : portrait.error.code).toBe('FIELD_OFF_PAGE')
    expect(landscape.ok).toBe(true)
  })
})

describe('partyOfUser and isLive', () => {
  it('finds a person by their user id and a company by its acting member', () => {
    // Prepare
    const c = draft({ parties: [{ ...person('A'), userId: 'u-A' } as Party, company('B')] })

    // Act
    const found = ['u-A', 'u-B', SENDER, 'u-nobody'].map((u) => partyOfUser(c, u)?.partyId)

    // Assess
    expect(found).toEqual(['A', 'B', undefined, undefined])
  })

  it('is live only while sent and before the deadline', () => {
    // Prepare
    const d = SEQ()
    const s = sent(d)

    // Act
    const live = [isLive(d, T0), isLive(s, T0), isLive(s, new Date(Date.parse(DEADLINE) - 1)), isLive(s, AFTER_DEADLINE)]

    // Assess
    expect(live).toEqual([false, true, true, false])
  })
})
