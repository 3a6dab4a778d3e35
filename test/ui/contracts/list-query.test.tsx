import { ZContractListQuery } from '@api/contracts.types'
import { activeFilterCount, buildListQuery } from '@/packages/contracts/lib/list-query'

const parse = (q: string) => Object.fromEntries(new URLSearchParams(q))

describe('contract list query', () => {
  it('a tab alone: box and limit only', () => {
    expect(buildListQuery({ box: 'todo' })).toBe('box=todo&limit=20')
  })

  it('search, filters, archived and the cursor, encoded; days become Beijing day bounds; the server schema accepts it', () => {
    const q = buildListQuery(
      { box: 'all', q: ' 租赁 & 合同 ', status: 'sent', party: '杭州', createdFrom: '2026-12-01', createdTo: '2026-12-31', deadlineFrom: '2026-12-05', deadlineTo: 'bad', archived: true },
      'abc/+=',
      10,
    )
    const p = parse(q)
    expect(p).toEqual({
      box: 'all',
      status: 'sent',
      q: '租赁 & 合同',
      party: '杭州',
      createdFrom: '2026-12-01T00:00:00+08:00',
      createdTo: '2026-12-31T23:59:59+08:00',
      deadlineFrom: '2026-12-05T00:00:00+08:00',
      archived: 'true',
      cursor: 'abc/+=',
      limit: '10',
    })
    expect(q).not.toContain(' ')
    expect(q).toContain('q=%E7%A7%9F%E8%B5%81%20%26%20%E5%90%88%E5%90%8C')
    expect(ZContractListQuery.safeParse(p).success).toBe(true)
  })

  it('the 有效期 filter (即将到期 / 已到期) goes as validity, counts as a filter, and the server schema accepts it', () => {
    const q = buildListQuery({ box: 'all', validity: 'expiring' })
    expect(q).toBe('box=all&validity=expiring&limit=20')
    expect(ZContractListQuery.safeParse(parse(q)).success).toBe(true)
    expect(activeFilterCount({ box: 'all', validity: 'ended' })).toBe(1)
  })

  it('empty and blank values are left out; archived false is the default and not sent', () => {
    expect(buildListQuery({ box: 'completed', q: '   ', party: '', archived: false })).toBe('box=completed&limit=20')
  })

  it('counts the filters set beyond the tab', () => {
    expect(activeFilterCount({ box: 'all' })).toBe(0)
    expect(activeFilterCount({ box: 'all', status: 'sent', party: ' 张 ', deadlineTo: '2026-12-31', q: 'x' })).toBe(3)
  })
})
