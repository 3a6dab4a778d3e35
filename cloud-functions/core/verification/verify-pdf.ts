import type { ChangeView, ModificationVerdict, SignatureView, VerificationProblem, VerificationReport, VerificationVerdict } from './report'
import type { RevocationSource } from '../../ports/revocation-source'
import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfDict, PdfRef, PdfStream, PdfString, type PdfValue } from '../pdf/pdf-objects'
import { decodeStream } from '../pdf/stream-decode'
import { err, ok, type DomainError, type Result } from '../shared/result'
import { bytesEqual, type BerNode } from './ber'
import { digestLabel, digestWith } from './algorithms'
import { Certificate } from './certificate'
import { validateChain, ValidationContext, viewOf, type ChainResult } from './chain'
import { CMS_OID, parseSignedData, type SignedData, type SignerInfo } from './cms'
import { diffRevisions, type DiffPolicy } from './difference-analysis'
import { RevisionModel } from './revision-model'
import { revisionEndingAt, scanRevisions, type Revision } from './revisions'
import { discoverSignatures, locateSignatureDictionary, pdfDateToIso, textOf, type DiscoveredSignature } from './signature-dictionary'
import { checkSignerInfo, type SignerInfoCheck } from './signer-info'
import { signatureWidgets } from './signature-widgets'
import { verifyTimestampToken, type TimestampCheck } from './timestamp'

export type VerifyPdfOptions = {
  /** DER certificates of the trust anchors (the platform root, `--trust` files). */
  trustRoots: Uint8Array[]
  /** The verification time (used when no trusted time-stamp proves an earlier one). */
  now: Date
  /** Where to ask for revocation status the document does not carry (the platform OCSP). */
  revocation?: RevocationSource
}

export const SUPPORTED_SUBFILTERS = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached', 'adbe.pkcs7.sha1', 'ETSI.RFC3161'] as const

type Work = {
  d: DiscoveredSignature
  view: SignatureView
  revision?: Revision
  subFilter?: string
  sd?: SignedData
  si?: SignerInfo
  check?: SignerInfoCheck
  signer?: Certificate
  sigTimestamp?: TimestampCheck
  /** For document time-stamps. */
  dts?: TimestampCheck
  /** Digest of the signed byte ranges, by hash OID (cached). */
  rangeDigest?: (hashOid: string) => Uint8Array | undefined
  byteRangeOk: boolean
}

/**
 * Verifies every signature of a PDF (ISO 32000-1 §12.8, ETSI EN 319 142-1 PAdES, RFC 5652 CMS,
 * RFC 3161) and reports, per signature in file order, whether the signed bytes are intact, the
 * CMS signature valid, the signer trusted at the proven time, and what later revisions changed
 * (difference analysis after pyHanko). Pure: bytes, trust anchors, optional revocation source and
 * the time in; a report out. Invalid signatures are data, never exceptions.
 *
 * @returns `NOT_A_PDF` only when the input cannot be read as a PDF at all.
 * @example
 * const r = await verifyPdf(bytes, { trustRoots: [rootDer], now: clock.now() })
 * if (r.ok && r.value.verdict === 'valid') …
 */
export async function verifyPdf(bytes: Uint8Array, options: VerifyPdfOptions): Promise<Result<VerificationReport, DomainError<'NOT_A_PDF'>>> {
  let scan
  try {
    scan = scanRevisions(bytes)
  } catch (e) {
    const reason = e instanceof PdfFormatError ? e.message : `the PDF cannot be read (${(e as Error).message})`
    return err('NOT_A_PDF', reason, { reason: e instanceof PdfFormatError ? e.code : 'UNREADABLE' })
  }
  const { revisions } = scan
  const ctx = new ValidationContext(options.trustRoots, options.now, options.revocation)
  const final = revisions[revisions.length - 1]
  const models = new Map<number, RevisionModel>()
  const model = (r: Revision): RevisionModel => {
    let m = models.get(r.index)
    if (!m) models.set(r.index, (m = new RevisionModel(r.reader)))
    return m
  }
  const documentProblems: VerificationProblem[] = []
  if (scan.trailingGarbage) documentProblems.push({ code: 'TRAILING_BYTES', message: 'bytes after the last %%EOF are not part of any readable revision (an update without cross-reference data?)' })
  if (scan.truncated) documentProblems.push({ code: 'TOO_MANY_REVISIONS', message: 'the file has too many incremental updates; only the last ones were examined' })

  collectDss(final, ctx)

  const discovered = safe(() => discoverSignatures(revisions), [])
  const works: Work[] = discovered.map((d) => {
    try {
      return inspectSignature(d, bytes, revisions, ctx)
    } catch (e) {
      // A defect of this verifier on some input must not hide the other signatures: this one is not valid.
      const w: Work = { d, view: emptyView(d, ctx.now), byteRangeOk: false }
      w.view.problems.push({ code: 'CMS_INVALID', message: `the signature cannot be verified (${(e as Error).message})` })
      return w
    }
  })
  // Where each signature shows now: the widgets its field has in the final revision.
  for (const w of works) {
    const ref = w.d.ref
    if (ref && w.d.inFinal) w.view.widgets = safe(() => signatureWidgets(final.reader, ref), [])
  }
  // Time-stamps once every certificate and revocation value of the document is known.
  for (const w of works) {
    if (w.subFilter === 'ETSI.RFC3161') {
      await checkDocumentTimestamp(w, bytes, ctx).catch((e: unknown) => {
        w.view.valid = false
        w.view.problems.push({ code: 'TIMESTAMP_INVALID', message: `the document time-stamp cannot be verified (${(e as Error).message})` })
      })
    } else if (w.si && w.view.valid) {
      const token = w.si.unsignedAttributes.get(CMS_OID.signatureTimeStampToken)?.[0]
      if (token) {
        const signatureValue = w.si.signature
        w.sigTimestamp = await verifyTimestampToken(
          safe(() => tokenBytes(token), new Uint8Array()),
          (hashOid) => digestWith(hashOid, signatureValue),
          ctx,
        ).catch((e: unknown) => ({
          imprintMatches: false,
          signatureValid: false,
          trusted: false,
          authority: undefined,
          problems: [{ code: 'TIMESTAMP_INVALID' as const, message: `the time-stamp cannot be verified (${(e as Error).message})` }],
        }))
      }
    }
  }
  // Proven time: the signature's own trusted time-stamp, else a trusted document time-stamp over its revision.
  for (const w of works) {
    if (w.subFilter === 'ETSI.RFC3161') continue
    const proofs: Date[] = []
    if (w.sigTimestamp?.trusted && w.sigTimestamp.time) proofs.push(w.sigTimestamp.time)
    for (const o of works) {
      if (o.dts?.trusted && o.dts.time && o.revision && w.revision && o.revision.index >= w.revision.index) proofs.push(o.dts.time)
    }
    const at = proofs.length ? new Date(Math.min(...proofs.map((p) => p.getTime()))) : options.now
    w.view.validatedAt = at.toISOString()
    w.view.timeProven = proofs.length > 0
    if (w.sigTimestamp) {
      const t = w.sigTimestamp
      w.view.timestamp = t.time
        ? { time: t.time.toISOString(), valid: t.imprintMatches && t.signatureValid, trusted: t.trusted, authority: t.authority?.commonName ?? null }
        : null
      if (!t.imprintMatches || !t.signatureValid) w.view.problems.push(...t.problems.filter((p) => p.code !== 'TIMESTAMP_UNTRUSTED'))
      else if (!t.trusted) w.view.warnings.push(...t.problems)
    }
    if (w.signer) {
      const signer = w.signer
      const chain = await validateChain(signer, 'signing', at, ctx).catch(
        (e: unknown): ChainResult => ({ trusted: false, path: [signer], revocation: { status: 'unknown', source: null }, problems: [{ code: 'CHAIN_INVALID', message: `the certificate chain cannot be checked (${(e as Error).message})` }], warnings: [] }),
      )
      await applyChain(w, chain)
    }
  }
  // Difference analysis: each signature's revision against every later one.
  const certification = certificationLevel(final, model)
  for (const w of works) {
    const changes: ChangeView[] = []
    if (w.revision) {
      const base = model(w.revision)
      const policy = diffPolicy(base)
      for (const later of revisions) {
        if (later.index <= w.revision.index) continue
        for (const c of diffRevisions(base, model(later), later.index, policy)) {
          if (!changes.some((x) => x.kind === c.kind && x.detail === c.detail && x.level === c.level)) changes.push(c)
        }
      }
      w.view.docMdp = w.view.kind === 'certification' ? (policy.docMdp ?? null) : null
    }
    if (scan.trailingGarbage) changes.push({ revision: revisions.length + 1, level: 'disallowed', kind: 'trailing-bytes', detail: 'bytes were appended after the last revision' })
    if (!w.d.inFinal) {
      w.view.problems.push({ code: 'SIGNATURE_REMOVED', message: `the field no longer refers to this signature in the final revision` })
      if (!changes.some((c) => c.level === 'disallowed')) changes.push({ revision: final.index, level: 'disallowed', kind: 'signature-changed', detail: `the signature of field "${w.d.fieldName}" was removed or replaced` })
    }
    w.view.changes = changes
    const level: ModificationVerdict = changes.some((c) => c.level === 'disallowed') ? 'disallowed' : changes.length ? 'allowed' : 'none'
    w.view.modification = level
    if (level === 'disallowed') w.view.problems.push({ code: 'MODIFIED_AFTER_SIGNING', message: changes.filter((c) => c.level === 'disallowed').map((c) => `revision ${c.revision}: ${c.detail}`).join('; ') })
  }
  const signatures = works.map((w) => w.view)
  if (signatures.length === 0) documentProblems.push({ code: 'NO_SIGNATURES', message: 'the document has no signatures' })
  const verdict = verdictOf(signatures, documentProblems)
  return ok({
    verdict,
    valid: verdict === 'valid',
    signatures,
    document: {
      size: bytes.length,
      revisions: revisions.length,
      certification,
    },
    problems: documentProblems,
    verifiedAt: options.now.toISOString(),
  })
}

/**
 * The document's verdict (like Acrobat's valid / validity unknown / invalid): `invalid` when there
 * is no signature, a document problem, a signature not intact or not valid, a broken time-stamp, a
 * disallowed change, or a certificate revoked before the validation time; otherwise `indeterminate`
 * when a signer or a time-stamp authority is not trusted (unknown root, broken chain, expired) —
 * 无法确认签署人身份; otherwise `valid`.
 */
export function verdictOf(signatures: SignatureView[], documentProblems: VerificationProblem[]): VerificationVerdict {
  if (signatures.length === 0 || documentProblems.length > 0) return 'invalid'
  const sound = (s: SignatureView) =>
    s.intact && s.valid && s.modification !== 'disallowed' && s.timestamp?.valid !== false && !s.problems.some((p) => p.code === 'REVOKED')
  if (!signatures.every(sound)) return 'invalid'
  const trusted = (s: SignatureView) => s.trusted && s.timestamp?.trusted !== false
  return signatures.every(trusted) ? 'valid' : 'indeterminate'
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f()
  } catch {
    return fallback
  }
}

function tokenBytes(token: BerNode): Uint8Array {
  return token.bytes.subarray(token.start, token.end)
}

function emptyView(d: DiscoveredSignature, now: Date): SignatureView {
  return {
    field: d.fieldName,
    signer: null,
    intact: false,
    valid: false,
    trusted: false,
    timestamp: null,
    modification: 'none',
    coversWholeDocument: false,
    kind: 'approval',
    subFilter: null,
    revision: null,
    byteRange: null,
    claimedSigningTime: null,
    validatedAt: now.toISOString(),
    timeProven: false,
    digestAlgorithm: null,
    signatureAlgorithm: null,
    weak: false,
    certificate: null,
    widgets: [],
    chain: [],
    revocation: { status: 'unknown', source: null },
    docMdp: null,
    reason: null,
    location: null,
    changes: [],
    problems: [],
    warnings: [],
  }
}

/** Phase 1: the signature dictionary, the byte range, the digest and the CMS signature. */
function inspectSignature(d: DiscoveredSignature, bytes: Uint8Array, revisions: Revision[], ctx: ValidationContext): Work {
  const view = emptyView(d, ctx.now)
  const w: Work = { d, view, byteRangeOk: false }
  const problem = (code: VerificationProblem['code'], message: string): Work => {
    view.problems.push({ code, message })
    return w
  }
  if (d.inline || d.inObjectStream || d.offset === undefined || !d.ref) {
    return problem('SIGNATURE_DICTIONARY_INVALID', d.inline ? 'the signature dictionary is not an indirect object' : 'the signature dictionary is inside a compressed object stream, where no byte range can sign it')
  }
  let located
  try {
    located = locateSignatureDictionary(bytes, d.offset, d.ref.num)
  } catch (e) {
    return problem('SIGNATURE_DICTIONARY_INVALID', `the signature dictionary cannot be read (${(e as Error).message})`)
  }
  const sig = located.dict
  w.subFilter = sig.name('SubFilter')
  view.subFilter = w.subFilter ?? null
  view.claimedSigningTime = pdfDateToIso(textOf(sig.get('M')))
  view.reason = textOf(sig.get('Reason'))
  view.location = textOf(sig.get('Location'))
  view.kind = w.subFilter === 'ETSI.RFC3161' || sig.name('Type') === 'DocTimeStamp' ? 'document-timestamp' : hasDocMdp(sig, revisions) ? 'certification' : 'approval'
  if (located.duplicateKeys.length) {
    return problem('SIGNATURE_DICTIONARY_INVALID', `the signature dictionary repeats /${located.duplicateKeys.join(', /')}`)
  }
  // /ByteRange: four integers, from 0, around exactly this dictionary's /Contents, inside the file.
  const br = sig.get('ByteRange')
  const contents = sig.get('Contents')
  const contentsSpan = located.spans.get('Contents')
  if (!(contents instanceof PdfString) || !contents.hex || !contentsSpan) {
    problem('CONTENTS_MISSING', contents === undefined ? 'the signature has no /Contents' : '/Contents is not a hex string')
  } else if (contents.bytes.length === 0 || contents.bytes.every((b) => b === 0)) {
    problem('CONTENTS_MISSING', 'the signature value (/Contents) is empty or all zeros')
  }
  if (!Array.isArray(br) || br.length !== 4 || br.some((v) => typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)) {
    problem('BYTE_RANGE_INVALID', br === undefined ? 'the signature has no /ByteRange' : '/ByteRange is not four non-negative integers')
    return w
  }
  const [a, b, c, len2] = br as number[]
  view.byteRange = [a, b, c, len2]
  const end = c + len2
  // The digest can be computed whenever the two parts lie in the file in order; whether they are the
  // right parts (around exactly this dictionary's /Contents) decides `valid`, not `intact`.
  if (a !== 0) return problem('BYTE_RANGE_INVALID', `/ByteRange starts at ${a}, not at the beginning of the file`)
  if (c < b) return problem('BYTE_RANGE_INVALID', '/ByteRange parts overlap or are out of order')
  if (end > bytes.length) return problem('BYTE_RANGE_INVALID', `/ByteRange ends at ${end}, beyond the end of the file (${bytes.length} bytes)`)
  if (!contentsSpan || contentsSpan[0] !== b || contentsSpan[1] !== c) {
    problem('BYTE_RANGE_INVALID', `the unsigned gap [${b}, ${c}) is not exactly this signature's /Contents${contentsSpan ? ` [${contentsSpan[0]}, ${contentsSpan[1]})` : ''} (signature wrapping?)`)
  } else if (!isHexHole(bytes, b, c)) {
    problem('BYTE_RANGE_INVALID', 'the unsigned gap holds something other than the hex signature value')
  } else if (located.dictEnd > end) {
    problem('BYTE_RANGE_INVALID', 'the signature dictionary is not entirely inside the signed bytes')
  } else w.byteRangeOk = true
  view.coversWholeDocument = end === bytes.length
  w.revision = revisionEndingAt(revisions, bytes, end)
  view.revision = w.revision?.index ?? null
  if (!w.revision) problem('NOT_AT_REVISION_BOUNDARY', `the signed bytes end at ${end}, which is not the end of a revision (%%EOF)`)
  if (!(contents instanceof PdfString) || view.problems.some((p) => p.code === 'CONTENTS_MISSING')) return w

  const rangeDigest = (hashOid: string): Uint8Array | undefined =>
    digestWith(hashOid, bytes.subarray(0, b), bytes.subarray(c, end))
  const digestCache = new Map<string, Uint8Array | undefined>()
  const cachedRangeDigest = (hashOid: string): Uint8Array | undefined => {
    if (!digestCache.has(hashOid)) digestCache.set(hashOid, rangeDigest(hashOid))
    return digestCache.get(hashOid)
  }
  if (w.subFilter === 'ETSI.RFC3161') {
    w.rangeDigest = cachedRangeDigest
    return w
  }
  if (!w.subFilter || !(SUPPORTED_SUBFILTERS as readonly string[]).includes(w.subFilter)) {
    return problem('UNSUPPORTED_SUBFILTER', `unsupported /SubFilter ${w.subFilter ?? '(none)'}`)
  }
  let sd: SignedData
  try {
    sd = parseSignedData(contents.bytes)
  } catch (e) {
    return problem('CMS_INVALID', `/Contents is not a CMS SignedData (${(e as Error).message})`)
  }
  w.sd = sd
  if (sd.trailing.some((x) => x !== 0)) problem('CMS_INVALID', 'data follows the CMS inside /Contents')
  for (const cert of sd.certificates) ctx.pool.add(cert)
  if (sd.signerInfos.length !== 1) return problem('CMS_INVALID', `the CMS has ${sd.signerInfos.length} SignerInfos (exactly one is required)`)
  const si = sd.signerInfos[0]
  w.si = si
  collectCmsRevocation(sd, si, ctx)
  let contentDigest: (hashOid: string) => Uint8Array | undefined
  let sha1Intact = true
  if (w.subFilter === 'adbe.pkcs7.sha1') {
    // The encapsulated content is the SHA-1 of the byte range; the signature covers that content.
    const eContent = sd.eContent
    sha1Intact = eContent !== undefined && bytesEqual(eContent, cachedRangeDigest('1.3.14.3.2.26') ?? new Uint8Array())
    if (!sha1Intact) problem('DIGEST_MISMATCH', 'the SHA-1 digest in the signature does not match the document')
    contentDigest = (hashOid) => (eContent ? digestWith(hashOid, eContent) : undefined)
    view.warnings.push({ code: 'WEAK_ALGORITHM', message: 'adbe.pkcs7.sha1 signs a SHA-1 digest, which is no longer collision resistant' })
  } else {
    if (sd.eContent !== undefined) problem('CMS_INVALID', 'a detached signature must not encapsulate content')
    contentDigest = cachedRangeDigest
  }
  const signedContent = (): Uint8Array =>
    w.subFilter === 'adbe.pkcs7.sha1' && sd.eContent ? sd.eContent : Buffer.concat([bytes.subarray(0, b), bytes.subarray(c, end)])
  const check = checkSignerInfo(sd, si, contentDigest, ctx, w.subFilter === 'ETSI.CAdES.detached', w.subFilter === 'ETSI.CAdES.detached' ? undefined : signedContent)
  w.check = check
  w.signer = check.signer
  view.problems.push(...check.problems.filter((p) => p.code !== 'SIGNING_CERTIFICATE_ATTRIBUTE_MISSING'))
  if (!check.bindingPresent && w.subFilter === 'ETSI.CAdES.detached') {
    view.problems.push({ code: 'SIGNING_CERTIFICATE_ATTRIBUTE_MISSING', message: 'ETSI.CAdES.detached requires the signing-certificate-v2 attribute' })
  }
  view.digestAlgorithm = check.digestAlgorithm
  view.signatureAlgorithm = check.signatureAlgorithm
  view.weak = check.weak || w.subFilter === 'adbe.pkcs7.sha1'
  if (view.weak && w.subFilter !== 'adbe.pkcs7.sha1') view.warnings.push({ code: 'WEAK_ALGORITHM', message: `${check.digestAlgorithm} is too weak for new signatures` })
  if (check.signer) {
    view.signer = check.signer.commonName ?? check.signer.subject
    view.certificate = viewOf(check.signer)
  }
  view.intact = check.digestMatches && sha1Intact
  view.valid =
    view.intact &&
    check.signatureValid &&
    check.bindingOk &&
    w.byteRangeOk &&
    w.revision !== undefined &&
    !view.problems.some((p) => p.code === 'CMS_INVALID' || p.code === 'SIGNING_CERTIFICATE_ATTRIBUTE_MISSING')
  return w
}

function isHexHole(bytes: Uint8Array, from: number, to: number): boolean {
  if (bytes[from] !== 0x3c || bytes[to - 1] !== 0x3e) return false
  for (let i = from + 1; i < to - 1; i++) {
    const x = bytes[i]
    if (!((x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x46) || (x >= 0x61 && x <= 0x66))) return false
  }
  return true
}

function hasDocMdp(sig: PdfDict, revisions: Revision[]): boolean {
  const refs = sig.get('Reference')
  if (!Array.isArray(refs)) return false
  const r = revisions[revisions.length - 1].reader
  return refs.some((x) => safe(() => r.dictAt(x)?.name('TransformMethod') === 'DocMDP', false))
}

async function checkDocumentTimestamp(w: Work, bytes: Uint8Array, ctx: ValidationContext): Promise<void> {
  const view = w.view
  const rangeDigest = w.rangeDigest
  const contents = safe(() => locateContents(w, bytes), undefined)
  if (!rangeDigest || !contents) return
  const t = await verifyTimestampToken(contents, rangeDigest, ctx)
  w.dts = t
  view.intact = t.imprintMatches
  view.valid = t.imprintMatches && t.signatureValid && w.byteRangeOk && w.revision !== undefined
  view.trusted = t.trusted
  view.signer = t.authority?.commonName ?? t.authority?.subject ?? null
  view.certificate = t.authority ? viewOf(t.authority) : null
  view.chain = t.chain?.path.map(viewOf) ?? []
  view.revocation = t.chain?.revocation ?? { status: 'unknown', source: null }
  view.digestAlgorithm = t.hashAlgorithm ? digestLabel(t.hashAlgorithm) : null
  view.signatureAlgorithm = t.signatureAlgorithm ?? null
  view.timestamp = t.time ? { time: t.time.toISOString(), valid: t.imprintMatches && t.signatureValid, trusted: t.trusted, authority: t.authority?.commonName ?? null } : null
  if (t.time) {
    view.validatedAt = t.time.toISOString()
    view.timeProven = t.trusted
  }
  for (const p of t.problems) {
    if (p.code === 'TIMESTAMP_IMPRINT_MISMATCH') view.problems.push({ code: 'DIGEST_MISMATCH', message: 'the document time-stamp does not match the document' })
    else if (p.code === 'TIMESTAMP_UNTRUSTED') view.warnings.push(p)
    else view.problems.push(p)
  }
}

function locateContents(w: Work, bytes: Uint8Array): Uint8Array | undefined {
  const located = locateSignatureDictionary(bytes, w.d.offset as number, (w.d.ref as PdfRef).num)
  const c = located.dict.get('Contents')
  if (!(c instanceof PdfString)) return undefined
  // A time-stamp token is DER: cut the zero padding after it.
  const b = c.bytes
  let len = b.length
  while (len > 0 && b[len - 1] === 0) len--
  return tokenPrefix(b) ?? b.subarray(0, len)
}

/** The DER element at the start of `b` (the token without the zero padding). */
function tokenPrefix(b: Uint8Array): Uint8Array | undefined {
  if (b.length < 2) return undefined
  let len = b[1]
  let hdr = 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || b.length < 2 + n) return undefined
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]
    hdr = 2 + n
  }
  return hdr + len <= b.length ? b.subarray(0, hdr + len) : undefined
}

async function applyChain(w: Work, chain: ChainResult): Promise<void> {
  const view = w.view
  view.chain = chain.path.map(viewOf)
  view.revocation = chain.revocation
  view.trusted = view.valid && chain.trusted
  view.problems.push(...chain.problems)
  view.warnings.push(...chain.warnings)
}

/** CRLs and OCSP responses carried in the CMS: `crls`, Adobe's revocationInfoArchival, CAdES revocation-values. */
function collectCmsRevocation(sd: SignedData, si: SignerInfo, ctx: ValidationContext): void {
  for (const crl of sd.crls) ctx.revocation.addCrl(crl, 'cms')
  for (const o of sd.ocspResponses) ctx.revocation.addOcsp(o, 'cms')
  safe(() => {
    for (const v of si.signedAttributes.get(CMS_OID.adobeRevocationInfoArchival) ?? []) {
      for (const part of v.children) {
        const list = part.children[0]?.children ?? []
        if (part.tagNumber === 0) for (const crl of list) ctx.revocation.addCrl(crl.bytes.subarray(crl.start, crl.end), 'cms')
        if (part.tagNumber === 1) for (const o of list) ctx.revocation.addOcsp(o.bytes.subarray(o.start, o.end), 'cms')
      }
    }
    for (const v of si.unsignedAttributes.get(CMS_OID.revocationValues) ?? []) {
      for (const part of v.children) {
        const list = part.children[0]?.children ?? []
        if (part.tagNumber === 0) for (const crl of list) ctx.revocation.addCrl(crl.bytes.subarray(crl.start, crl.end), 'cms')
        if (part.tagNumber === 1) for (const o of list) ctx.revocation.addOcsp(o.bytes.subarray(o.start, o.end), 'cms')
      }
    }
    for (const v of si.unsignedAttributes.get(CMS_OID.certificateValues) ?? []) {
      for (const cert of v.children) ctx.pool.add(cert.bytes.subarray(cert.start, cert.end))
    }
    return undefined
  }, undefined)
}

/** The Document Security Store (ISO 32000-2 §12.8.4.3): certificates, OCSP responses, CRLs, and the same per VRI entry. */
function collectDss(final: Revision, ctx: ValidationContext): void {
  safe(() => {
    const r = final.reader
    const dss = r.dictAt(r.catalog().get('DSS'))
    if (!dss) return undefined
    const streams = (v: PdfValue | undefined): Uint8Array[] => {
      const arr = r.resolve(v)
      if (!Array.isArray(arr)) return []
      const out: Uint8Array[] = []
      for (const x of arr.slice(0, 10_000)) {
        const s = safe(() => r.resolve(x), undefined)
        if (s instanceof PdfStream) {
          const data = safe(() => (s.dict.has('Filter') ? decodeStream(s, (y) => r.resolve(y)) : s.raw()), undefined)
          if (data) out.push(data)
        }
      }
      return out
    }
    const add = (d: PdfDict): void => {
      for (const c of streams(d.get('Certs') ?? d.get('Cert'))) ctx.pool.add(c)
      for (const o of streams(d.get('OCSPs') ?? d.get('OCSP'))) ctx.revocation.addOcsp(o, 'dss')
      for (const c of streams(d.get('CRLs') ?? d.get('CRL'))) ctx.revocation.addCrl(c, 'dss')
    }
    add(dss)
    const vri = r.dictAt(dss.get('VRI'))
    if (vri) for (const v of [...vri.map.values()].slice(0, 10_000)) {
      const d = safe(() => r.dictAt(v), undefined)
      if (d) add(d)
    }
    return undefined
  }, undefined)
}

/** DocMDP level of the certification in the final revision (for the document summary). */
function certificationLevel(final: Revision, model: (r: Revision) => RevisionModel): 1 | 2 | 3 | null {
  return safe(() => docMdpOf(model(final)) ?? null, null)
}

/** `/Perms /DocMDP` → the signature's DocMDP transform `/P` (default 2). */
function docMdpOf(m: RevisionModel): 1 | 2 | 3 | undefined {
  const perms = m.dict(m.catalog().get('Perms'))
  const sig = m.dict(perms?.get('DocMDP'))
  if (!sig) return undefined
  const refs = m.resolve(sig.get('Reference'))
  let p: number | undefined
  if (Array.isArray(refs)) {
    for (const x of refs) {
      const r = m.dict(x)
      if (r?.name('TransformMethod') !== 'DocMDP') continue
      const v = m.resolve(m.dict(r.get('TransformParams'))?.get('P'))
      p = typeof v === 'number' ? v : 2
    }
  }
  p ??= 2
  return p <= 1 ? 1 : p >= 3 ? 3 : 2
}

/** The permissions in force for changes after `revision`: DocMDP, PDF 2.0 `/Lock /P`, FieldMDP locks. */
function diffPolicy(m: RevisionModel): DiffPolicy {
  const policy: DiffPolicy = { lockedFields: new Map() }
  safe(() => {
    policy.docMdp = docMdpOf(m)
    for (const [name, f] of m.fields()) {
      if (f.type !== 'Sig' || f.value === undefined) continue
      const sig = m.dict(f.value)
      const transforms: PdfDict[] = []
      const refs = m.resolve(sig?.get('Reference'))
      if (Array.isArray(refs)) for (const x of refs) {
        const r = m.dict(x)
        if (r?.name('TransformMethod') === 'FieldMDP') {
          const tp = m.dict(r.get('TransformParams'))
          if (tp) transforms.push(tp)
        }
      }
      const lock = m.dict(f.dict.get('Lock'))
      if (lock) {
        transforms.push(lock)
        const p = m.resolve(lock.get('P'))
        if (typeof p === 'number' && p >= 1 && p <= 3) policy.docMdp = Math.min(policy.docMdp ?? 3, p) as 1 | 2 | 3
      }
      for (const t of transforms) {
        const action = t.name('Action')
        const listed = m.resolve(t.get('Fields'))
        const names = Array.isArray(listed) ? listed.map((x) => textOf(m.resolve(x))).filter((x): x is string => x !== null) : []
        if (action === 'All') policy.allLockedBy = name
        else if (action === 'Include') for (const n of names) policy.lockedFields.set(n, name)
        else if (action === 'Exclude') {
          for (const other of m.fields().keys()) if (!names.includes(other) && other !== name && m.fields().get(other)?.type !== 'Sig') policy.lockedFields.set(other, name)
        }
      }
    }
    return undefined
  }, undefined)
  return policy
}
