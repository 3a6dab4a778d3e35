import { decodeBase64UrlStrict } from '../../../cloud-functions/core/shared/base64url'

describe('decodeBase64UrlStrict', () => {
  it('accepts canonical base64url and returns the bytes', () => {
    for (const n of [0, 1, 2, 3, 31, 32, 33]) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff))
      expect(decodeBase64UrlStrict(bytes.toString('base64url'))).toEqual(bytes)
    }
  })

  it.each([
    ['padding', 'AAE='],
    ['a stray character', 'AA!!E'],
    ['standard-alphabet characters', 'ab+/'],
    ['white space', 'AA E'],
    ['non-zero spare bits (2 bytes)', 'AAF'],
    ['non-zero spare bits (1 byte)', 'AB'],
    ['an impossible length', 'AAAAA'],
  ])('refuses %s', (_name, text) => {
    expect(decodeBase64UrlStrict(text)).toBeUndefined()
    // Node's own decoder would have accepted it: the strictness is ours.
    if (!/\s/.test(text)) expect(() => Buffer.from(text, 'base64url')).not.toThrow()
  })
})
