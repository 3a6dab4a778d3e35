/**
 * The contract lists' pure rules: which box a contract is in for whom, the filters and search, the
 * merge of several index partitions (newest first, each contract once, never past what is safe)
 * and the home page counts.
 */
import fc from 'fast-check'
import type { Contract, Party } from '../../../cloud-functions/core/contracts/contract'
import { countContracts, inBox, isListedFor, isMyTurn, matchesFilter, mergeIndexPages, type IndexEntry, type IndexPage, type ListBox, type ListViewer } from '../../../cloud-functions/core/contracts/contract-list'
import { company, DEADLINE, draft, drive, person, SENDER, sendCmd, signCmd, T0 } from './contract-fixtures'

const SEQ = () => draft({ parties: [person('A'), person('B'), person('C', 'cc')] })
const sent = SEQ
const states = {
  draft: SEQ(),
  sentA: drive(sent(), [sendCmd]), // A's turn
  sentB: drive(sent(), [sendCmd, signCmd(SEQ(), 'A')]), // A signed, B's turn
  completed: drive(sent(), [sendCmd, signCmd(SEQ(), 'A'), signCmd(SEQ(), 'B')]),
  declined: drive(sent(), [sendCmd, { type: 'decline', partyId: 'A', reason: '价格不对' }]),
}
const sender: ListViewer = { userId: SENDER }
const a: ListViewer = { userId: 'u-a', partyId: 'A' }
const b: ListViewer = { userId: 'u-b', partyId: 'B' }
const cc: ListViewer = { userId: 'u-c', partyId: 'C' }
const AFTER_DEADLINE = new Date(Date.parse(DEADLINE) + 1000)

describe('boxes', () => {
  const rows: Array<[string, Contract, ListViewer, ListBox[], Date?]> = [
    ['draft · the sender sees it in 全部 only', states.draft, sender, ['all']],
    ["sent · A's turn: A has it to sign", states.sentA, a, ['todo', 'all']],
    ["sent · A's turn: the sender waits for others", states.sentA, sender, ['waiting', 'all']],
    ["sent · A's turn: B (later group) is in 全部 only", states.sentA, b, ['all']],
    ["sent · B's turn: A signed and waits for others", states.sentB, a, ['waiting', 'all']],
    ["sent · B's turn: B has it to sign", states.sentB, b, ['todo', 'all']],
    ['sent · the cc party only sees it in 全部', states.sentB, cc, ['all']],
    ['completed · everyone: 已完成', states.completed, a, ['completed', 'all']],
    ['completed · the sender: 已完成', states.completed, sender, ['completed', 'all']],
    ['declined · neither to sign nor waiting', states.declined, sender, ['all']],
    ['sent past the deadline (before the tick) · no longer to sign or waiting', states.sentA, a, ['all'], AFTER_DEADLINE],
  ]
  it.each(rows)('%s', (_name, c, viewer, boxes, now = T0) => {
    const all: ListBox[] = ['todo', 'waiting', 'completed', 'all']
    expect(all.filter((box) => inBox(c, viewer, box, now))).toEqual(boxes)
  })

  it('a sender who is also the signer in turn has it to sign, not waiting', () => {
    const senderParty: Party = { partyId: 'A', role: 'signer', kind: 'person', name: '发起人', phone: '13800138000', userId: SENDER }
    const c = drive(draft({ parties: [senderParty, person('B')] }), [sendCmd])
    const me: ListViewer = { userId: SENDER, partyId: 'A' }
    expect(isMyTurn(c, me, T0)).toBe(true)
    expect(inBox(c, me, 'todo', T0)).toBe(true)
    expect(inBox(c, me, 'waiting', T0)).toBe(false)
  })

  it('a draft is listed for its sender, not for its parties', () => {
    expect(isListedFor(states.draft, sender)).toBe(true)
    expect(isListedFor(states.draft, a)).toBe(false)
    expect(isListedFor(states.sentA, a)).toBe(true)
    expect(isListedFor(states.sentA, { userId: 'u-stranger' })).toBe(false)
  })
})

describe('filters and search', () => {
  const c = drive(draft({ title: '房屋租赁合同', parties: [person('A'), company('B')] }), [sendCmd]) // 姓名A, B科技有限公司 (经办人)
  const rows: Array<[string, Parameters<typeof matchesFilter>[1], boolean]> = [
    ['no filter', {}, true],
    ['status matches', { status: 'sent' }, true],
    ['status differs', { status: 'completed' }, false],
    ['search in the title', { q: '租赁' }, true],
    ["search in a party's name", { q: '姓名a' }, true],
    ["search in a company's name", { q: '科技' }, true],
    ["search in the acting member's name", { q: '经办' }, true],
    ['search finds nothing', { q: '采购' }, false],
    ['party name contains', { party: 'B科技' }, true],
    ['party filter does not look at the title', { party: '租赁' }, false],
    ['created within the range (inclusive)', { createdFrom: T0.toISOString(), createdTo: T0.toISOString() }, true],
    ['created before the range', { createdFrom: new Date(T0.getTime() + 1).toISOString() }, false],
    ['created after the range', { createdTo: new Date(T0.getTime() - 1).toISOString() }, false],
    ['deadline within the range', { deadlineFrom: '2026-12-08T00:00:00Z', deadlineTo: '2026-12-09T00:00:00+08:00' }, true],
    ['deadline after the range', { deadlineTo: '2026-12-08T00:00:00Z' }, false],
    ['every filter must hold', { status: 'sent', q: '租赁', party: '姓名B' }, false],
  ]
  it.each(rows)('%s', (_name, filter, expected) => {
    expect(matchesFilter(c, filter)).toBe(expected)
  })
})

describe('merging index partitions', () => {
  const e = (t: number, id: string): IndexEntry => ({ contractId: id, sort: `2026-12-01T00:00:${String(t).padStart(2, '0')}.000Z#${id}` })

  it('merges newest first, each contract once (sent by me and addressed to me)', () => {
    const sentPage: IndexPage = { entries: [e(9, 'x'), e(5, 'y'), e(1, 'z')], more: false }
    const inbox: IndexPage = { entries: [e(7, 'w'), e(5, 'y')], more: false }
    expect(mergeIndexPages([sentPage, inbox]).map((x) => x.contractId)).toEqual(['x', 'w', 'y', 'z'])
  })

  it('stops at the frontier: a partition with more entries could hold one newer than what follows', () => {
    const full: IndexPage = { entries: [e(9, 'a'), e(6, 'b')], more: true }
    const other: IndexPage = { entries: [e(8, 'c'), e(7, 'd'), e(3, 'e')], more: false }
    expect(mergeIndexPages([full, other]).map((x) => x.contractId)).toEqual(['a', 'c', 'd', 'b'])
  })

  it('property: reading every partition page by page below the last entry used lists each contract once, newest first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { maxLength: 25 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (partitions, pageSize, take) => {
          // Contract n has one sort key wherever it is indexed (sender and parties share createdAt#id).
          const sources = partitions.map((ns) => ns.map((n) => e(n, `k${n}`)).sort((x, y) => (x.sort < y.sort ? 1 : -1)))
          const expected = [...new Set(partitions.flat())].sort((x, y) => y - x).map((n) => `k${n}`)
          const listed: string[] = []
          let before: string | undefined
          for (let round = 0; round < 200; round++) {
            const pages = sources.map((s) => {
              const below = s.filter((x) => before === undefined || x.sort < before)
              return { entries: below.slice(0, pageSize), more: below.length > pageSize }
            })
            const used = mergeIndexPages(pages).slice(0, take)
            listed.push(...used.map((x) => x.contractId))
            if (used.length === 0) break
            before = used[used.length - 1]!.sort
          }
          expect(listed).toEqual(expected)
        },
      ),
    )
  })
})

describe('counts', () => {
  it('counts 待我签署, 待他人签署, 即将截止 and 已完成 for each viewer', () => {
    const rows = [
      { contract: states.sentA, viewer: a },
      { contract: states.sentB, viewer: a },
      { contract: states.sentB, viewer: b }, // another viewer's row: counted as if for them
      { contract: states.completed, viewer: sender },
      { contract: states.draft, viewer: a }, // a draft is not listed for a party
      { contract: states.declined, viewer: a },
    ]
    expect(countContracts(rows, T0)).toEqual({ toSign: 2, waitingForOthers: 1, expiringSoon: 0, completed: 1 })
    const soon = new Date(Date.parse(DEADLINE) - 2 * 86400_000)
    expect(countContracts(rows, soon)).toMatchObject({ expiringSoon: 3 })
    expect(countContracts(rows, AFTER_DEADLINE)).toEqual({ toSign: 0, waitingForOthers: 0, expiringSoon: 0, completed: 1 })
  })
})
