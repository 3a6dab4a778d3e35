import type { SignatureView, VerificationReport } from '@api/verification.types'

export function signature(over: Partial<SignatureView> = {}): SignatureView {
  return {
    field: '甲方签章',
    signer: '张三',
    intact: true,
    valid: true,
    trusted: true,
    timestamp: { time: '2026-11-30T02:15:00.000Z', valid: true, trusted: true, authority: 'Qianyue Time Stamping Authority 1' },
    modification: 'none',
    coversWholeDocument: true,
    kind: 'approval',
    subFilter: 'ETSI.CAdES.detached',
    revision: 2,
    byteRange: [0, 100, 200, 300],
    claimedSigningTime: '2026-11-30T02:15:00.000Z',
    validatedAt: '2026-11-30T02:15:00.000Z',
    timeProven: true,
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'ECDSA with SHA-256',
    weak: false,
    certificate: {
      subject: 'CN=张三, C=CN',
      issuer: 'CN=Qianyue Signing CA 1, O=Qianyue, C=CN',
      commonName: '张三',
      organization: null,
      issuerCommonName: 'Qianyue Signing CA 1',
      serialNumber: '41827a1d',
      notBefore: '2026-11-30T00:00:00.000Z',
      notAfter: '2027-11-30T00:00:00.000Z',
      sha256: 'ab'.repeat(32),
    },
    widgets: [{ page: 0, rect: [400, 40, 150, 90], pageWidth: 595, pageHeight: 842, crossPageStrip: false }],
    chain: [],
    revocation: { status: 'good', source: 'dss' },
    docMdp: null,
    reason: null,
    location: null,
    changes: [],
    problems: [],
    warnings: [],
    ...over,
  }
}

export function report(signatures: SignatureView[], over: Partial<VerificationReport> = {}): VerificationReport {
  const sound = signatures.length > 0 && signatures.every((s) => s.intact && s.valid && s.modification !== 'disallowed')
  const verdict = !sound ? 'invalid' : signatures.every((s) => s.trusted) ? 'valid' : 'indeterminate'
  return {
    verdict,
    valid: verdict === 'valid',
    signatures,
    document: { size: 12345, revisions: signatures.length + 1, certification: null },
    problems: signatures.length ? [] : [{ code: 'NO_SIGNATURES', message: 'the document has no signatures' }],
    verifiedAt: '2026-11-30T03:00:00.000Z',
    ...over,
  }
}
