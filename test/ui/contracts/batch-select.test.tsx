import type { ContractSummary } from '@api/contracts.types'
import { MAX_BATCH_SELECTION, batchPageUrl, batchSelectable, selectAll, selectSender, toggleSelection } from '@/packages/contracts/lib/batch-select'
import { intentItems, marksNeeded, parseBatchIds } from '@/packages/signing/lib/batch-flow'

const c = (contractId: string, senderName: string, myTurn = true, status: ContractSummary['status'] = 'sent'): ContractSummary => ({
  contractId,
  title: contractId,
  status,
  senderName,
  createdAt: '',
  deadline: '',
  parties: [],
  myTurn,
  isSender: false,
  signedCount: 0,
  signerCount: 1,
})

describe('批量签署 selection (contracts list)', () => {
  const items = [c('a', '甲'), c('b', '乙'), c('c', '甲'), c('d', '甲', false), c('e', '甲', true, 'completed')]

  it('only contracts waiting for me can be chosen; 全选 takes them all, and again none', () => {
    expect(items.map(batchSelectable)).toEqual([true, true, true, false, false])
    expect(selectAll(items, [])).toEqual(['a', 'b', 'c'])
    expect(selectAll(items, ['a', 'b', 'c'])).toEqual([])
  })

  it('选择此发起方的全部 adds that sender’s; a tap toggles one', () => {
    expect(selectSender(items, ['b'], '甲')).toEqual(['b', 'a', 'c'])
    expect(toggleSelection(['a', 'c'], 'c')).toEqual(['a'])
    expect(toggleSelection(['a'], 'b')).toEqual(['a', 'b'])
  })

  it('never more than 50; the batch page gets the ids', () => {
    const many = Array.from({ length: 60 }, (_, i) => c(`k${i}`, '甲'))
    expect(selectAll(many, [])).toHaveLength(MAX_BATCH_SELECTION)
    expect(selectSender(many, [], '甲')).toHaveLength(MAX_BATCH_SELECTION)
    const full = many.slice(0, 50).map((x) => x.contractId)
    expect(toggleSelection(full, 'k55')).toHaveLength(50)
    expect(batchPageUrl(['a', 'b'])).toBe('/packages/signing/pages/batch/index?ids=a,b')
    expect(parseBatchIds(many.map((x) => x.contractId).join(','))).toHaveLength(50)
  })
})

describe('批量签署 page helpers', () => {
  it('ids from the page parameter: well-formed, each once', () => {
    expect(parseBatchIds('a,b,a,,bad id,<x>,c')).toEqual(['a', 'b', 'c'])
    expect(parseBatchIds(undefined)).toEqual([])
  })

  it('the intent names the ready contracts only; the marks needed follow their party kinds', () => {
    const rows = [
      { item: { contractId: 'a', signerId: 'A', documentHash: 'h', partyKind: 'person' as const, ready: true } },
      { item: { contractId: 'b', signerId: 'C', documentHash: 'h', partyKind: 'company' as const, ready: false } },
    ]
    expect(intentItems(rows)).toEqual([{ contractId: 'a', signerId: 'A', documentHash: 'h' }])
    expect(marksNeeded(rows)).toEqual({ signature: true, seal: false })
  })
})
