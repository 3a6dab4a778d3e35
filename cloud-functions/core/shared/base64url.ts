/**
 * Strict, canonical base64url (RFC 4648 §5, no padding): only `A–Z a–z 0–9 - _`, no `=`, and the
 * spare bits of the last character zero, so every byte string has exactly one accepted text.
 * Node's decoder is lenient (it skips `!`, accepts `=`, ignores spare bits); MACs and tokens must
 * not have several spellings.
 *
 * @returns the bytes, or undefined for any other text.
 */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : undefined
}
