import type { ContractBox, ContractStatusName } from '@api/contracts.types'

/** What the list page's tabs, search box and filters hold (dates are Beijing days, YYYY-MM-DD). */
export type ListFilter = {
  box: ContractBox
  q?: string
  status?: ContractStatusName
  party?: string
  createdFrom?: string
  createdTo?: string
  deadlineFrom?: string
  deadlineTo?: string
  /** 即将到期 (completed, validity ends within 30 days) / 已到期 (completed, validity end passed). */
  validity?: 'expiring' | 'ended'
  archived?: boolean
}

/** The 有效期 filter's choices. */
export const VALIDITY_FILTERS: { validity: ListFilter['validity']; label: string }[] = [
  { validity: undefined, label: '不限' },
  { validity: 'expiring', label: '即将到期' },
  { validity: 'ended', label: '已到期' },
]

export const BOX_TABS: { box: ContractBox; label: string }[] = [
  { box: 'todo', label: '待我签署' },
  { box: 'waiting', label: '待他人签署' },
  { box: 'completed', label: '已完成' },
  { box: 'all', label: '全部' },
]

const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * The query string of `GET /api/contracts` for a filter and a page cursor: empty values left out,
 * days turned into the instants that bound them in Beijing time, everything URL-encoded.
 */
export function buildListQuery(filter: ListFilter, cursor?: string, limit = 20): string {
  const params: [string, string][] = [['box', filter.box]]
  const text = (key: string, value?: string) => {
    const v = value?.trim()
    if (v) params.push([key, v.slice(0, 100)])
  }
  const day = (key: string, value: string | undefined, end: boolean) => {
    if (value && DAY.test(value)) params.push([key, `${value}T${end ? '23:59:59' : '00:00:00'}+08:00`])
  }
  if (filter.status) params.push(['status', filter.status])
  text('q', filter.q)
  text('party', filter.party)
  day('createdFrom', filter.createdFrom, false)
  day('createdTo', filter.createdTo, true)
  day('deadlineFrom', filter.deadlineFrom, false)
  day('deadlineTo', filter.deadlineTo, true)
  if (filter.validity) params.push(['validity', filter.validity])
  if (filter.archived) params.push(['archived', 'true'])
  if (cursor) params.push(['cursor', cursor])
  params.push(['limit', String(limit)])
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
}

/** Filters the user set beyond the tab, for the 筛选 button's badge. */
export const activeFilterCount = (f: ListFilter) =>
  [f.status, f.validity, f.party?.trim(), f.createdFrom, f.createdTo, f.deadlineFrom, f.deadlineTo].filter(Boolean).length
