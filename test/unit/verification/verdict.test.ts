import type { SignatureView } from '../../../cloud-functions/api/verification.types'
import { verdictOf } from '../../../cloud-functions/core/verification/verify-pdf'

/** One intact, valid, trusted, time-stamped signature; each row changes one thing. */
function signature(over: Partial<SignatureView> = {}): SignatureView {
  return {
    field: 'Signature1',
    signer: '张三',
    intact: true,
    valid: true,
    trusted: true,
    timestamp: { time: '2026-11-30T02:15:00.000Z', valid: true, trusted: true, authority: 'TSA' },
    modification: 'none',
    coversWholeDocument: true,
    kind: 'approval',
    subFilter: 'ETSI.CAdES.detached',
    revision: 2,
    byteRange: [0, 100, 200, 300],
    claimedSigningTime: null,
    validatedAt: '2026-11-30T02:15:00.000Z',
    timeProven: true,
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'ECDSA with SHA-256',
    weak: false,
    certificate: null,
    widgets: [],
    chain: [],
    revocation: { status: 'good', source: 'registry' },
    docMdp: null,
    reason: null,
    location: null,
    changes: [],
    problems: [],
    warnings: [],
    ...over,
  }
}

describe('verdictOf (issue 10 item 9)', () => {
  it.each<[string, SignatureView[], 'valid' | 'indeterminate' | 'invalid']>([
    ['every signature intact, valid, trusted', [signature(), signature({ kind: 'document-timestamp', timestamp: null })], 'valid'],
    ['no signatures', [], 'invalid'],
    ['a signer not trusted (unknown CA)', [signature(), signature({ trusted: false, problems: [{ code: 'UNTRUSTED_ROOT', message: '' }] })], 'indeterminate'],
    ['the time-stamp authority not trusted', [signature({ timestamp: { time: 't', valid: true, trusted: false, authority: 'x' } })], 'indeterminate'],
    ['not intact, even if untrusted', [signature({ intact: false, valid: false, trusted: false })], 'invalid'],
    ['signature value invalid', [signature({ valid: false })], 'invalid'],
    ['a disallowed change', [signature({ modification: 'disallowed' })], 'invalid'],
    ['an allowed change', [signature({ modification: 'allowed' })], 'valid'],
    ['a broken time-stamp token', [signature({ timestamp: { time: 't', valid: false, trusted: false, authority: 'x' } })], 'invalid'],
    ['revoked before the validation time', [signature({ trusted: false, problems: [{ code: 'REVOKED', message: '' }], revocation: { status: 'revoked', source: 'registry' } })], 'invalid'],
  ])('%s → %s', (_name, signatures, expected) => {
    expect(verdictOf(signatures, [])).toBe(expected)
  })

  it('a document problem (trailing bytes) makes it invalid', () => {
    expect(verdictOf([signature()], [{ code: 'TRAILING_BYTES', message: '' }])).toBe('invalid')
  })
})
