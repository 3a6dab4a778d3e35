import { fitKeyword, fitKeywords, keywordType } from '../../../cloud-functions/core/messages/wechat-keywords'

describe('WeChat subscription keyword limits', () => {
  it('reads the type from the key', () => {
    expect(keywordType('thing12')).toBe('thing')
    expect(keywordType('character_string3')).toBe('character_string')
  })

  it('cuts a thing to 20 characters ending in …, leaves a short one alone', () => {
    const long = '上海示例科技有限公司与北京某某贸易有限公司年度采购框架协议'
    const cut = fitKeyword('thing1', long)
    expect(Array.from(cut)).toHaveLength(20)
    expect(cut).toBe('上海示例科技有限公司与北京某某贸易有限…')
    expect(fitKeyword('thing1', '租赁合同')).toBe('租赁合同')
    expect(Array.from(fitKeyword('thing2', '😀'.repeat(25)))).toHaveLength(20)
  })

  it('a phrase keeps at most 5 Han characters and nothing else', () => {
    expect(fitKeyword('phrase3', '待签署')).toBe('待签署')
    expect(fitKeyword('phrase3', '已完成 OK!')).toBe('已完成')
    expect(fitKeyword('phrase3', '合同已被对方拒签')).toBe('合同已被对')
  })

  it('names, strings and numbers keep to their limits; time passes through', () => {
    expect(fitKeyword('name1', '欧阳一二三四五六七八九')).toBe('欧阳一二三四五六七八')
    expect(fitKeyword('name1', 'Alexander Christopher Smith')).toBe('Alexander Christophe')
    expect(fitKeyword('character_string4', 'A'.repeat(40))).toHaveLength(32)
    expect(fitKeyword('time5', '2026年12月11日 18:00')).toBe('2026年12月11日 18:00')
    expect(fitKeywords({ thing1: '  租赁合同  ', phrase2: '待签署' })).toEqual({ thing1: { value: '租赁合同' }, phrase2: { value: '待签署' } })
  })
})
