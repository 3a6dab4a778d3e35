/**
 * The verification report of a signed PDF, as core/verification produces it. It is also the wire
 * format of `POST /api/verify` and `esign verify --json`: `api/verification.types.ts` re-exports
 * these types (`export type`, erased at build), so the app sees exactly what core returns.
 */

/** What changed after a signature, summed up (pyHanko's modification levels, collapsed). */
export type ModificationVerdict = 'none' | 'allowed' | 'disallowed'

/** A certificate as shown in a report. */
export type CertificateView = {
  /** RFC 4514-style subject, most specific first: `CN=张三, O=…, C=CN`. */
  subject: string
  issuer: string
  commonName: string | null
  /** Subject O (the organisation a signer acts for), when present. */
  organization: string | null
  /** The issuer's CN (e.g. `Qianyue Signing CA 1`), when present. */
  issuerCommonName: string | null
  /** Serial number, hex. */
  serialNumber: string
  notBefore: string
  notAfter: string
  /** SHA-256 of the DER, hex. */
  sha256: string
}

/** Why something is not valid or not trusted. `code` is stable (the app translates it); `message` is English detail. */
export type VerificationProblem = { code: ProblemCode; message: string }

export type ProblemCode =
  // document
  | 'NO_SIGNATURES'
  | 'TRAILING_BYTES'
  | 'TOO_MANY_REVISIONS'
  // signature dictionary and byte range
  | 'SIGNATURE_DICTIONARY_INVALID'
  | 'BYTE_RANGE_INVALID'
  | 'NOT_AT_REVISION_BOUNDARY'
  | 'CONTENTS_MISSING'
  | 'UNSUPPORTED_SUBFILTER'
  // cryptography
  | 'CMS_INVALID'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'SIGNER_CERTIFICATE_MISSING'
  | 'SIGNING_CERTIFICATE_MISMATCH'
  | 'SIGNING_CERTIFICATE_ATTRIBUTE_MISSING'
  | 'WEAK_ALGORITHM'
  | 'UNSUPPORTED_ALGORITHM'
  // trust
  | 'UNTRUSTED_ROOT'
  | 'CHAIN_INVALID'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'KEY_USAGE'
  | 'REVOKED'
  | 'REVOCATION_UNKNOWN'
  // time-stamps
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_IMPRINT_MISMATCH'
  | 'TIMESTAMP_UNTRUSTED'
  // changes after signing
  | 'MODIFIED_AFTER_SIGNING'
  | 'SIGNATURE_REMOVED'

/** One change made by a later revision, with the verdict on it. */
export type ChangeView = {
  /** 1-based revision that made the change. */
  revision: number
  level: 'allowed' | 'disallowed'
  kind: ChangeKind
  /** English detail: which field, page, object. */
  detail: string
}

export type ChangeKind =
  | 'signature-added'
  | 'signature-field-added'
  | 'document-timestamp-added'
  | 'form-filled'
  | 'form-field-changed'
  | 'field-locked'
  | 'field-added'
  | 'field-removed'
  | 'dss-updated'
  | 'metadata-updated'
  | 'annotation-added'
  | 'annotation-changed'
  | 'page-content-changed'
  | 'pages-changed'
  | 'catalog-changed'
  | 'signature-changed'
  | 'object-freed'
  | 'trailer-changed'
  | 'unexplained-change'
  | 'trailing-bytes'

export type RevocationView = {
  status: 'good' | 'revoked' | 'unknown'
  /** Where the answer came from: the DSS, the CMS, an online OCSP query, the platform's own certificate registry (`POST /api/verify`), or nowhere. */
  source: 'dss' | 'cms' | 'online' | 'registry' | null
  /** For `revoked`: when. */
  revokedAt?: string
}

export type TimestampView = {
  /** The time-stamp's genTime, ISO 8601. */
  time: string
  /** The token's signature verifies and its imprint matches. */
  valid: boolean
  /** The TSA chains to a trusted root. */
  trusted: boolean
  /** The TSA's common name. */
  authority: string | null
}

/**
 * Where a signature shows on a page of the final revision (the document as it is displayed now):
 * what the app maps a tap on a page image to (点击电子印章查看数字证书).
 */
export type SignatureWidgetView = {
  /** 0-based page index. */
  page: number
  /**
   * `[x, y, width, height]` in points from the bottom-left corner of the page as displayed (crop box
   * and `/Rotate` applied; the same space as `esign sign --rect`). On an image of the page `W` px
   * wide: left `x * W / pageWidth`, top `(pageHeight - y - height) * W / pageWidth`.
   */
  rect: [number, number, number, number]
  /** The displayed page's width and height in points. */
  pageWidth: number
  pageHeight: number
  /** One strip of a cross-page seal (骑缝章) rather than the signature's own stamp. */
  crossPageStrip: boolean
}

export type SignatureView = {
  /** Fully qualified field name. */
  field: string
  /** Subject CN of the signer's certificate (for a document time-stamp: the TSA). */
  signer: string | null
  /** The digest over the signed byte ranges matches the signed digest. */
  intact: boolean
  /** Intact, the byte range is sound, and the signature verifies with the signer's certificate. */
  valid: boolean
  /** The signer's certificate chains to a trusted root, valid at the trusted time and not revoked then. */
  trusted: boolean
  /** The signature time-stamp (PAdES B-T) or, for a document time-stamp, its own time. */
  timestamp: { time: string } & Partial<TimestampView> | null
  /** The most serious change after this signature. */
  modification: ModificationVerdict
  /** The byte range ends at the end of the file. */
  coversWholeDocument: boolean

  kind: 'approval' | 'certification' | 'document-timestamp'
  subFilter: string | null
  /** 1-based revision the signature ends; null when it ends at no revision boundary. */
  revision: number | null
  byteRange: number[] | null
  /** `/M` of the signature dictionary (claimed by the signer, not proven). */
  claimedSigningTime: string | null
  /** The time the certificates were checked at: the proven time, else the verification time. */
  validatedAt: string
  /** Whether `validatedAt` is proven by a trusted time-stamp. */
  timeProven: boolean
  digestAlgorithm: string | null
  signatureAlgorithm: string | null
  /** SHA-1 or another algorithm too weak for new signatures (`adbe.pkcs7.sha1` included). */
  weak: boolean
  certificate: CertificateView | null
  /**
   * The signature's visible widgets in the final revision, in the field's order (the stamp, then
   * any 骑缝章 strips); empty for an invisible signature or one no field shows any more.
   */
  widgets: SignatureWidgetView[]
  /** Leaf first, trust anchor last when anchored. */
  chain: CertificateView[]
  revocation: RevocationView
  /** DocMDP permission of a certification signature (1 no changes, 2 form filling and signing, 3 plus annotations). */
  docMdp: 1 | 2 | 3 | null
  reason: string | null
  location: string | null
  /** Every later change, allowed or not. */
  changes: ChangeView[]
  problems: VerificationProblem[]
  /** Non-fatal remarks (e.g. revocation not checked). */
  warnings: VerificationProblem[]
}

/** `valid`: every signature intact, valid and trusted, no disallowed change. `indeterminate`: intact and valid with no disallowed change, but a signer (or time-stamp authority) is not trusted — 无法确认签署人身份. `invalid`: anything else. */
export type VerificationVerdict = 'valid' | 'indeterminate' | 'invalid'

export type VerificationReport = {
  verdict: VerificationVerdict
  /** `verdict === 'valid'`: at least one signature, every one intact, valid and trusted, no disallowed modification. */
  valid: boolean
  /** In file order. */
  signatures: SignatureView[]
  document: {
    size: number
    revisions: number
    /** DocMDP permission when the document is certified. */
    certification: 1 | 2 | 3 | null
  }
  /** Document-level problems (no signatures, unexplained trailing bytes). */
  problems: VerificationProblem[]
  verifiedAt: string
}

/** `POST /api/verify` answers 200 with the report (valid or not); errors use the usual error body. */
export type VerifyResponse = VerificationReport
