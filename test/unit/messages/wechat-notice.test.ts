import { wechatNoticeData, wechatNoticePage } from '../../../cloud-functions/core/messages/wechat-notice'

describe('wechatNoticeData: a contract notice as the four keywords of a subscription message, within WeChat’s limits', () => {
  it.each([
    [{ kind: 'sign-request', sender: '周九', title: '劳动合同', link: 'l', deadline: '2026-12-10 18:00' }, { thing1: '劳动合同', thing2: '周九', phrase3: '待签署', time4: '2026年12月10日 18:00' }],
    [{ kind: 'reminder', sender: '周九', title: '劳动合同', link: 'l', deadline: '2026-12-10 18:00' }, { thing1: '劳动合同', thing2: '周九', phrase3: '催办', time4: '2026年12月10日 18:00' }],
    [{ kind: 'completed', title: '劳动合同', link: 'l' }, { thing1: '劳动合同', thing2: '签约', phrase3: '已完成', time4: '2026年12月4日 09:05' }],
    [{ kind: 'declined', title: '劳动合同', by: '张三', reason: '条款有误' }, { thing1: '劳动合同', thing2: '张三', phrase3: '已拒签', time4: '2026年12月4日 09:05' }],
    [{ kind: 'revoked', title: '劳动合同', reason: '重发' }, { thing1: '劳动合同', thing2: '发起方', phrase3: '已撤销', time4: '2026年12月4日 09:05' }],
    [{ kind: 'expired', title: '劳动合同' }, { thing1: '劳动合同', thing2: '签约', phrase3: '已过期', time4: '2026年12月4日 09:05' }],
    [{ kind: 'validity-ending', title: '劳动合同', validUntil: '2027-01-01', days: '7', link: 'l' }, { thing1: '劳动合同', thing2: '签约', phrase3: '即将到期', time4: '2027年1月1日 23:59' }],
  ] as const)('%j', (notice, expected) => {
    expect(wechatNoticeData(notice, '2026-12-04 09:05')).toEqual(expected)
  })

  it('cuts a long title and sender to 20 characters (thing)', () => {
    const d = wechatNoticeData({ kind: 'sign-request', sender: '上海示例科技有限公司上海示例科技有限公司上海', title: '上海示例科技有限公司与北京某某贸易有限公司年度采购框架协议', link: 'l', deadline: '2026-12-10 18:00' }, 'x')
    expect(Array.from(d.thing1!)).toHaveLength(20)
    expect(d.thing1!.endsWith('…')).toBe(true)
    expect(Array.from(d.thing2!)).toHaveLength(20)
  })

  it('opens the contract’s detail page, or the home page', () => {
    expect(wechatNoticePage('ct_1')).toBe('packages/contracts/pages/detail/index?contractId=ct_1')
    expect(wechatNoticePage(undefined)).toBe('pages/index/index')
  })
})
