import { useRef, useState } from 'react'
import Taro, { useDidShow, useReachBottom, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { ContractStatusName, ContractSummary } from '@api/contracts.types'
import { Button, Input } from '@/components/ui'
import ErrorText from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { CONTRACT_STATUS, SIGNER_STATUS, VALIDITY_STATE, beijingTime } from '@/services/contract-labels'
import { contractsApi } from '@/services/contracts-api'
import { requireLogin } from '@/services/session'
import DateCell from '../../components/date-cell'
import { BOX_TABS, VALIDITY_FILTERS, activeFilterCount, buildListQuery, type ListFilter } from '../../lib/list-query'
import { MAX_BATCH_SELECTION, batchPageUrl, batchSelectable, selectAll, selectSender, toggleSelection } from '../../lib/batch-select'
import '../../contracts.css'

const STATUSES: (ContractStatusName | undefined)[] = [undefined, 'draft', 'sent', 'completed', 'declined', 'revoked', 'expired']
const SELF = '/packages/contracts/pages/list/index'

/**
 * 合同列表: tabs 待我签署 / 待他人签署 / 已完成 / 全部, search over titles and parties, filters
 * (status, 有效期 即将到期 / 已到期, party, created and deadline days), archived ones apart, 加载更多 by cursor.
 * 批量签署: a select mode with a checkbox on each contract waiting for me, 全选 and 选择此发起方的全部,
 * then the batch page for the chosen ones.
 */
export default function ContractList() {
  const params = useRouter().params
  // The home page's counts open the list on their box (即将截止: live contracts whose deadline is within 3 days).
  const [filter, setFilter] = useState<ListFilter>(() => ({
    box: BOX_TABS.some((t) => t.box === params.box) ? (params.box as ListFilter['box']) : 'todo',
    ...(params.status && STATUSES.includes(params.status as ContractStatusName) ? { status: params.status as ContractStatusName } : {}),
    ...(params.deadlineTo && /^\d{4}-\d{2}-\d{2}$/.test(params.deadlineTo) ? { deadlineTo: params.deadlineTo } : {}),
    // The home page's 即将到期 section opens the list on the validity filter.
    ...(params.validity === 'expiring' || params.validity === 'ended' ? { validity: params.validity } : {}),
  }))
  const [items, setItems] = useState<ContractSummary[]>([])
  const [next, setNext] = useState<string>()
  const [loaded, setLoaded] = useState(false)
  const [showFilters, setShowFilters] = useState(false)
  const [selecting, setSelecting] = useState(false)
  const [selected, setSelected] = useState<string[]>([])
  const action = useAction()
  const seq = useRef(0)

  const load = (f: ListFilter, cursor?: string) =>
    action.run(async () => {
      const mine = ++seq.current
      const page = await contractsApi.list(buildListQuery(f, cursor))
      // An answer to an older query (the user switched tabs meanwhile) is dropped.
      if (mine !== seq.current) return
      setItems((old) => (cursor ? [...old, ...page.items] : page.items))
      setNext(page.next)
      setLoaded(true)
    })

  const apply = (f: ListFilter) => {
    setSelecting(false)
    setSelected([])
    setFilter(f)
    setItems([])
    setNext(undefined)
    setLoaded(false)
    void load(f)
  }

  useDidShow(() => {
    if (!requireLogin(SELF)) return
    void load(filter)
  })
  useReachBottom(() => {
    if (next && !action.busy) void load(filter, next)
  })

  const open = (c: ContractSummary) => {
    if (selecting) {
      if (batchSelectable(c)) setSelected((ids) => toggleSelection(ids, c.contractId))
      return
    }
    void Taro.navigateTo({ url: c.myTurn ? `/packages/signing/pages/sign/index?contractId=${c.contractId}` : `/packages/contracts/pages/detail/index?contractId=${c.contractId}` })
  }
  const canBatch = items.some(batchSelectable)

  const set = (p: Partial<ListFilter>) => setFilter((f) => ({ ...f, ...p }))
  const count = activeFilterCount(filter)

  return (
    <View className={`page contract-list ${selecting ? 'contract-list--selecting' : ''}`}>
      <View className='row list__top'>
        <Text className='page__title'>合同</Text>
        <Button id='list-create' size='small' type='primary' onClick={() => void Taro.navigateTo({ url: '/packages/contracts/pages/create/index' })}>
          ＋ 发起签署
        </Button>
      </View>
      <View className='tabs' id='list-tabs' {...({ role: 'tablist' } as Record<string, string>)}>
        {BOX_TABS.map((t) => (
          <Text key={t.box} id={`list-tab-${t.box}`} className={`tabs__item ${filter.box === t.box ? 'tabs__item--on' : ''}`} {...({ role: 'tab', 'aria-selected': String(filter.box === t.box) } as Record<string, string>)} onClick={() => apply({ ...filter, box: t.box })}>
            {t.label}
          </Text>
        ))}
      </View>
      <View className='search'>
        <View className='field__control'>
          <Input id='list-search' value={filter.q ?? ''} placeholder='搜索合同名称或签署方' onChange={(q: string) => set({ q })} onConfirm={() => apply(filter)} />
        </View>
        <Button id='list-search-go' type='primary' onClick={() => apply(filter)}>
          搜索
        </Button>
      </View>
      <View className='row list__tools'>
        <Text className='link' id='list-filter-toggle' onClick={() => setShowFilters(!showFilters)}>
          筛选{count ? `（${count}）` : ''} {showFilters ? '▲' : '▼'}
        </Text>
        <Text className='link' id='list-archived' onClick={() => apply({ ...filter, archived: !filter.archived })}>
          {filter.archived ? '← 返回未归档' : '已归档的合同'}
        </Text>
        {(canBatch || selecting) && (
          <Text className='link' id='list-batch-toggle' onClick={() => (setSelecting(!selecting), setSelected([]))}>
            {selecting ? '取消批量' : '批量签署'}
          </Text>
        )}
      </View>
      {selecting && (
        <View className='row list__select' id='list-select-tools'>
          <Text className='muted'>选择待我签署的合同（最多 {MAX_BATCH_SELECTION} 份）</Text>
          <Text className='link' id='list-select-all' onClick={() => setSelected((ids) => selectAll(items, ids))}>
            全选
          </Text>
        </View>
      )}

      {showFilters && (
        <View className='card' id='list-filters'>
          <Text className='field__label'>状态</Text>
          <View className='seg'>
            {STATUSES.map((st) => (
              <Text key={st ?? 'any'} id={`list-status-${st ?? 'any'}`} className={`seg__item ${filter.status === st ? 'seg__item--on' : ''}`} onClick={() => set({ status: st })}>
                {st ? CONTRACT_STATUS[st].text : '不限'}
              </Text>
            ))}
          </View>
          <Text className='field__label list__label'>有效期</Text>
          <View className='seg'>
            {VALIDITY_FILTERS.map((v) => (
              <Text key={v.validity ?? 'any'} id={`list-validity-${v.validity ?? 'any'}`} className={`seg__item ${filter.validity === v.validity ? 'seg__item--on' : ''}`} onClick={() => set({ validity: v.validity })}>
                {v.label}
              </Text>
            ))}
          </View>
          <Text className='field__label list__label'>签署方名称</Text>
          <View className='field__control'>
            <Input id='list-party' value={filter.party ?? ''} placeholder='个人姓名或企业名称' onChange={(party: string) => set({ party })} />
          </View>
          <DateCell id='list-created-from' title='发起日期从' value={filter.createdFrom ?? ''} placeholder='不限' clearable onChange={(createdFrom) => set({ createdFrom })} />
          <DateCell id='list-created-to' title='发起日期至' value={filter.createdTo ?? ''} placeholder='不限' clearable onChange={(createdTo) => set({ createdTo })} />
          <DateCell id='list-deadline-from' title='截止日期从' value={filter.deadlineFrom ?? ''} placeholder='不限' clearable onChange={(deadlineFrom) => set({ deadlineFrom })} />
          <DateCell id='list-deadline-to' title='截止日期至' value={filter.deadlineTo ?? ''} placeholder='不限' clearable onChange={(deadlineTo) => set({ deadlineTo })} />
          <View className='actions'>
            <Button id='list-filter-reset' type='default' onClick={() => apply({ box: filter.box, archived: filter.archived })}>
              重置
            </Button>
            <Button id='list-filter-apply' type='primary' onClick={() => (setShowFilters(false), apply(filter))}>
              确定
            </Button>
          </View>
        </View>
      )}

      <ErrorText error={action.error} id='list-error' />
      {loaded && items.length === 0 && (
        <Text className='card card__line muted' id='list-empty'>
          {filter.archived ? '没有已归档的合同' : '暂无合同'}
        </Text>
      )}
      <View id='list-items'>
        {items.map((c) => (
          <View key={c.contractId} className={`card citem ${selecting && !batchSelectable(c) ? 'citem--off' : ''}`} id={`contract-${c.contractId}`} onClick={() => open(c)}>
            <View className='citem__head'>
              {selecting && batchSelectable(c) && (
                <Text className={`citem__check ${selected.includes(c.contractId) ? 'citem__check--on' : ''}`} id={`select-${c.contractId}`} {...({ role: 'checkbox', 'aria-checked': String(selected.includes(c.contractId)) } as Record<string, string>)}>
                  {selected.includes(c.contractId) ? '✓' : ''}
                </Text>
              )}
              <Text className='citem__title'>{c.title}</Text>
              <Text className={`badge badge--${CONTRACT_STATUS[c.status].badge}`}>{CONTRACT_STATUS[c.status].text}</Text>
            </View>
            {c.validUntil && c.validity && c.validity !== 'in-force' && (
              <Text className={`card__line validity--${c.validity}`}>
                {VALIDITY_STATE[c.validity].text} · 到期 {c.validUntil}
                {c.renewedBy ? ' · 已续签' : ''}
              </Text>
            )}
            <Text className='card__line muted'>
              {c.isSender ? '我发起' : `${c.senderName} 发起`} · {beijingTime(c.createdAt, false)}
              {c.status === 'sent' ? ` · 截止 ${beijingTime(c.deadline, false)}` : ''}
            </Text>
            <Text className='card__line'>
              {c.parties
                .filter((p) => p.role === 'signer')
                .map((p) => `${p.name}${p.status ? `（${SIGNER_STATUS[p.status]}）` : ''}`)
                .join('、')}
            </Text>
            <View className='row'>
              <Text className='card__line muted'>
                已签 {c.signedCount}/{c.signerCount}
              </Text>
              {c.myTurn && <Text className='citem__turn'>· 待我签署 ›</Text>}
            </View>
            {selecting && batchSelectable(c) && (
              <Text
                className='link citem__sender'
                id={`select-sender-${c.contractId}`}
                onClick={(e) => {
                  e.stopPropagation()
                  setSelected((ids) => selectSender(items, ids, c.senderName))
                }}
              >
                选择此发起方（{c.senderName}）的全部
              </Text>
            )}
          </View>
        ))}
      </View>
      {next && (
        <Button id='list-more' className='btn-block' type='default' loading={action.busy} onClick={() => void load(filter, next)}>
          加载更多
        </Button>
      )}
      {loaded && !next && items.length > 0 && <Text className='card__line muted list__end'>没有更多了</Text>}
      {selecting && (
        <View className='list__batch-bar' id='list-batch-bar'>
          <View className='list__batch-inner'>
            <Text className='muted' id='list-selected-count'>
              已选 {selected.length} 份
            </Text>
            <Button id='list-batch-go' type='primary' disabled={selected.length === 0} onClick={() => void Taro.navigateTo({ url: batchPageUrl(selected) })}>
              批量签署
            </Button>
          </View>
        </View>
      )}
    </View>
  )
}
