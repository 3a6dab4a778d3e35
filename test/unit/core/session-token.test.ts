import { issueSessionToken, verifySessionToken } from '../../../cloud-functions/core/auth/session-token'

describe('session tokens', () => {
  const secret = new Uint8Array(32).fill(1)
  const now = new Date('2026-11-30T10:00:00Z')

  it('round-trips the claims until they expire', () => {
    const token = issueSessionToken({ kind: 'signing-link', sub: 'u1', contractId: 'c1', signerId: 's1' }, secret, now, 600)
    expect(verifySessionToken(token, secret, new Date(now.getTime() + 599_000))).toEqual({
      ok: true,
      value: { kind: 'signing-link', sub: 'u1', contractId: 'c1', signerId: 's1', iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 600 },
    })
    const expired = verifySessionToken(token, secret, new Date(now.getTime() + 600_000))
    expect(expired).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } })
  })

  it.each([
    ['another secret', (t: string) => t, new Uint8Array(32).fill(2)],
    ['edited claims', (t: string) => t.replace(/\.([^.]+)\./, (_m, p: string) => `.${Buffer.from(Buffer.from(p, 'base64url').toString().replace('u1', 'u2')).toString('base64url')}.`), secret],
    ['truncated', (t: string) => t.slice(0, -3), secret],
    ['garbage', () => 'not-a-token', secret],
  ])('rejects a token with %s as UNAUTHENTICATED', (_name, mangle, key) => {
    const token = issueSessionToken({ kind: 'user', sub: 'u1' }, secret, now, 600)
    expect(verifySessionToken(mangle(token), key, now)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })
})
