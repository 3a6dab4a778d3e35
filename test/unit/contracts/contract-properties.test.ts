/**
 * Invariants of the contract state machine over random contracts (1–6 signers in random groups,
 * persons and companies, cc parties) and random command sequences by random actors at advancing
 * times: a contract completes iff every required signer signed; out-of-turn signing and declining
 * are rejected; nothing leaves a terminal state; a signer never goes back; a rejected command
 * changes nothing; the events replayed over the draft give the same state.
 */
import fc from 'fast-check'
import { applyCommand, type ContractCommand } from '../../../cloud-functions/core/contracts/apply-command'
import { replayEvents } from '../../../cloud-functions/core/contracts/apply-event'
import { SIGNER_STATUSES, isTerminal, type Contract, type Party } from '../../../cloud-functions/core/contracts/contract'
import type { ContractEvent } from '../../../cloud-functions/core/contracts/contract-events'
import { allSignersSigned, whoseTurn } from '../../../cloud-functions/core/contracts/signing-turn'
import { SENDER, T0, company, draft, person, sendCmd, signCmd } from './contract-fixtures'

const shape = fc
  .record({
    signers: fc.array(fc.record({ company: fc.boolean(), group: fc.nat({ max: 3 }) }), { minLength: 1, maxLength: 6 }),
    ccs: fc.nat({ max: 2 }),
  })
  .map(({ signers, ccs }) => {
    const parties: Party[] = signers.map((s, i) => (s.company ? company(`S${i}`) : person(`S${i}`)))
    for (let i = 0; i < ccs; i++) parties.push(person(`C${i}`, 'cc'))
    const groups = new Map<number, string[]>()
    signers.forEach((s, i) => groups.set(s.group, [...(groups.get(s.group) ?? []), `S${i}`]))
    const order = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, ids]) => ids)
    return draft({ parties, order })
  })

type Step = { kind: 'send' | 'view' | 'sign' | 'decline' | 'revoke' | 'expire'; actor: number; byOther: boolean; advanceHours: number }
const step = fc.record({
  kind: fc.constantFrom('send', 'view', 'sign', 'sign', 'sign', 'decline', 'revoke', 'expire'),
  actor: fc.nat({ max: 9 }),
  byOther: fc.boolean(),
  advanceHours: fc.oneof(fc.constant(0), fc.nat({ max: 60 })),
}) as fc.Arbitrary<Step>

function commandFor(c: Contract, s: Step): ContractCommand {
  const ids = [...c.parties.map((p) => p.partyId), 'stranger']
  const partyId = ids[s.actor % ids.length]
  switch (s.kind) {
    case 'send':
      return { ...sendCmd, by: s.byOther ? 'u-other' : SENDER }
    case 'view':
      return { type: 'view', partyId }
    case 'sign':
      return signCmd(c, partyId, s.actor + 100)
    case 'decline':
      return { type: 'decline', partyId, reason: '不同意' }
    case 'revoke':
      return { type: 'revoke', by: s.byOther ? 'u-other' : SENDER, reason: '作废' }
    case 'expire':
      return { type: 'expire' }
  }
}

const rank = (s: string) => SIGNER_STATUSES.indexOf(s as never)

describe('contract state machine — properties', () => {
  it('holds its invariants over random contracts and command sequences', () => {
    fc.assert(
      fc.property(shape, fc.array(step, { maxLength: 40 }), (initial, steps) => {
        // Prepare: usually send first, so most runs reach the interesting states
        let c = initial
        let now = T0
        const events: ContractEvent[] = []
        for (const s of [{ kind: 'send', actor: 0, byOther: false, advanceHours: 0 } as Step, ...steps]) {
          now = new Date(now.getTime() + s.advanceHours * 3600_000)
          const cmd = commandFor(c, s)
          const before = c
          const snapshot = JSON.stringify(before)
          const turn = whoseTurn(before)

          // Act
          const r = applyCommand(before, cmd, now)

          // Assess
          expect(JSON.stringify(before)).toBe(snapshot)
          if (isTerminal(before.status)) expect(r.ok).toBe(false) // nothing leaves a terminal state
          if ((cmd.type === 'sign' || cmd.type === 'decline') && !turn.includes(cmd.partyId)) {
            expect(r.ok).toBe(false) // out of turn (or not a signer, or not live) is rejected
            if (before.status === 'sent' && now.getTime() < Date.parse(before.deadline) && before.order.flat().includes(cmd.partyId)) {
              expect(['NOT_YOUR_TURN', 'ALREADY_SIGNED']).toContain(r.ok ? 'ok' : r.error.code)
            }
          }
          if (!r.ok) continue
          const after = r.value.contract
          for (const id of Object.keys(before.signers)) expect(rank(after.signers[id].status)).toBeGreaterThanOrEqual(rank(before.signers[id].status))
          expect(after.status === 'completed').toBe(allSignersSigned(after)) // completes iff every required signer signed
          if (after.status !== before.status) expect(`${before.status}→${isTerminal(after.status) ? 'terminal' : after.status}`).toMatch(/^(draft→sent|sent→terminal)$/)
          events.push(...r.value.events)
          c = after
        }
        expect(replayEvents(initial, events)).toEqual(c) // the events replayed give the same state
        expect(c.status === 'completed').toBe(allSignersSigned(c))
      }),
      { numRuns: 400 },
    )
  })

  it('signing in turn, in any order allowed within groups, always completes', () => {
    fc.assert(
      fc.property(shape, fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), (initial, picks) => {
        // Prepare
        let r = applyCommand(initial, sendCmd, T0)
        if (!r.ok) throw new Error(r.error.code)
        let c = r.value.contract
        let i = 0

        // Act: whoever's turn it is signs, picked at random among the group
        while (c.status === 'sent') {
          const turn = whoseTurn(c)
          r = applyCommand(c, signCmd(c, turn[picks[i++ % picks.length] % turn.length]), T0)
          if (!r.ok) throw new Error(r.error.code)
          c = r.value.contract
        }

        // Assess
        expect(c.status).toBe('completed')
        expect(Object.values(c.signers).every((s) => s.status === 'signed')).toBe(true)
      }),
      { numRuns: 200 },
    )
  })
})
