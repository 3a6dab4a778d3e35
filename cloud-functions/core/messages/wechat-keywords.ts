/**
 * WeChat subscription-message keyword values cut to the limits of their type (the key's prefix:
 * `thing1` is a `thing`), so `subscribeMessage.send` does not refuse them with 47003. Pure.
 * Characters are counted as code points (an emoji is one). `time`, `date` and `enum` values are
 * passed through: they are made in the right shape by the caller.
 */
const LIMITS: Record<string, number> = {
  thing: 20,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  phone_number: 17,
  car_number: 8,
  phrase: 5,
}

/** The keyword's type: its key without the trailing digits (`character_string12` → `character_string`). */
export function keywordType(key: string): string {
  return key.replace(/\d+$/, '')
}

/**
 * `value` fitted to `key`'s type: a `thing` longer than 20 characters ends in `…` within the 20;
 * a `phrase` keeps only its first 5 Han characters (a phrase may hold nothing else); a `name` keeps
 * 10 Han characters or 20 others.
 *
 * @example
 * fitKeyword('thing1', '上海示例科技有限公司与北京某某贸易有限公司年度采购框架协议') // '上海示例科技有限公司与北京某某贸易有限…'
 * fitKeyword('phrase3', '待签署') // '待签署'
 */
export function fitKeyword(key: string, value: string): string {
  const type = keywordType(key)
  const chars = Array.from(value.trim())
  if (type === 'phrase') return chars.filter((c) => /\p{Script=Han}/u.test(c)).slice(0, 5).join('')
  if (type === 'name') {
    const han = chars.some((c) => /\p{Script=Han}/u.test(c))
    return chars.slice(0, han ? 10 : 20).join('')
  }
  const limit = LIMITS[type]
  if (limit === undefined || chars.length <= limit) return chars.join('')
  return type === 'thing' ? `${chars.slice(0, limit - 1).join('')}…` : chars.slice(0, limit).join('')
}

/** Every value of a template's data fitted, as `subscribeMessage.send` takes it. */
export function fitKeywords(data: Record<string, string>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { value: fitKeyword(k, v) }]))
}
