/**
 * Building blocks for verifier tests: append arbitrary incremental revisions (attacks and benign
 * updates), add signatures with hand-made signature dictionaries (custom SubFilter, FieldMDP,
 * certification, visible appearance) whose CMS comes from any producer (our engine, openssl,
 * an RFC 3161 token), DSS revisions, and the pdfsig cross-check.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IncrementalWriter } from '../../cloud-functions/core/pdf/incremental-writer'
import { PdfDict, PdfName, PdfRef, PdfString, dict, type PdfValue } from '../../cloud-functions/core/pdf/pdf-objects'
import { PdfReader } from '../../cloud-functions/core/pdf/pdf-reader'
import { buildCmsSignedData } from '../../cloud-functions/core/signing/build-cms-signed-data'
import { signerProfile } from '../../cloud-functions/core/pki/certificate-profile'
import { issueCertificate } from '../../cloud-functions/core/pki/issue-certificate'
import { randomSerialNumber } from '../../cloud-functions/core/pki/serial-number'
import type { VerificationReport } from '../../cloud-functions/api/verification.types'
import type { Signer } from '../../cloud-functions/ports/signer'
import type { TimestampAuthority } from '../../cloud-functions/ports/timestamp-authority'
import { BASE_URL, type PdfTestPki } from './pdf-signing-ca'
import { pdfsig } from './pdf-tools'

/** Appends one incremental revision built by `edit` (the original bytes stay a prefix). */
export function appendRevision(pdf: Uint8Array, edit: (reader: PdfReader, writer: IncrementalWriter) => void): Buffer {
  const reader = PdfReader.open(pdf)
  const writer = new IncrementalWriter(reader)
  edit(reader, writer)
  return Buffer.concat([Buffer.from(pdf), writer.build().appended])
}

/** A content stream object holding `ops` (uncompressed). */
export function addStream(writer: IncrementalWriter, ops: string, extra: Record<string, PdfValue> = {}): PdfRef {
  const ref = writer.allocate()
  writer.setStream(ref, dict(extra), Buffer.from(ops, 'latin1'))
  return ref
}

export type CustomSignatureOptions = {
  /** Produces the DER /Contents from the signed bytes (both ranges joined). */
  cms: (signedBytes: Buffer) => Promise<Uint8Array>
  /** Bytes reserved for /Contents. Default 24 KiB. */
  contentsSize?: number
  fieldName?: string
  subFilter?: string
  type?: 'Sig' | 'DocTimeStamp'
  /** Raw extra entries for the signature dictionary, e.g. `/Reference [...]`. */
  extraDictionary?: string
  /** Visible widget: rect in points on the first page and an appearance content stream. */
  visible?: { rect: [number, number, number, number]; appearance: string }
  /** Entries for the field dictionary (e.g. `Lock`). */
  fieldEntries?: Record<string, PdfValue>
  /** DocMDP certification with this P (adds /Perms to the catalog and the DocMDP reference). */
  certify?: 1 | 2 | 3
  /** Also done in the same revision (e.g. fill a field). */
  edit?: (reader: PdfReader, writer: IncrementalWriter) => void
  signingTime?: Date
  /** Write `/Contents` as the last entry of the dictionary (as some producers do). */
  contentsLast?: boolean
}

const BR_WIDTH = 40

/**
 * Adds one signature as an incremental update with a signature dictionary written here: new field
 * (or the existing empty field `fieldName`), widget on page 1, AcroForm and catalog updates, the
 * ByteRange filled, then `/Contents` from `o.cms(signedBytes)`.
 */
export async function addCustomSignature(pdf: Uint8Array, o: CustomSignatureOptions): Promise<Buffer> {
  const reader = PdfReader.open(pdf)
  const writer = new IncrementalWriter(reader)
  const size = o.contentsSize ?? 24 * 1024
  const sigRef = writer.allocate()
  const m = `D:${(o.signingTime ?? new Date()).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`
  const reference = o.certify
    ? `/Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P ${o.certify} /V /1.2>>>>]`
    : ''
  const rest = `/Type /${o.type ?? 'Sig'} /Filter /Adobe.PPKLite /SubFilter /${o.subFilter ?? 'ETSI.CAdES.detached'} /M (${m})${reference}${o.extraDictionary ?? ''}`
  const head = o.contentsLast ? `<<${rest} /ByteRange ` : '<</ByteRange '
  const contentsPart = ' /Contents <' + '0'.repeat(size * 2) + '>'
  const body = o.contentsLast
    ? head + '[0 0 0 0]'.padEnd(BR_WIDTH, ' ') + contentsPart + '>>'
    : head + '[0 0 0 0]'.padEnd(BR_WIDTH, ' ') + contentsPart + rest + '>>'
  writer.set(sigRef, { raw: Buffer.from(body, 'latin1') })
  const catalog = reader.catalog().clone()
  let catalogChanged = false
  const formV = catalog.get('AcroForm')
  const form = reader.dictAt(formV)?.clone() ?? dict({ Fields: [] })
  const fieldsV = reader.resolve(form.get('Fields'))
  const fields = Array.isArray(fieldsV) ? [...fieldsV] : []
  const existing = o.fieldName ? reader.signatureFields().find((f) => f.name === o.fieldName) : undefined
  if (existing) {
    const fd = (reader.dictAt(existing.ref) as PdfDict).clone().set('V', sigRef)
    for (const [k, v] of Object.entries(o.fieldEntries ?? {})) fd.set(k, v)
    writer.set(existing.ref, fd)
  } else {
    const page = reader.pageRef(0)
    const fieldRef = writer.allocate()
    const name = o.fieldName ?? `Custom${reader.size}`
    const w = dict({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('Widget'),
      FT: PdfName.of('Sig'),
      T: PdfString.text(name),
      V: sigRef,
      F: 4,
      P: page,
      Rect: o.visible ? [o.visible.rect[0], o.visible.rect[1], o.visible.rect[0] + o.visible.rect[2], o.visible.rect[1] + o.visible.rect[3]] : [0, 0, 0, 0],
    })
    if (o.visible) w.set('AP', dict({ N: addStream(writer, o.visible.appearance, { Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: [0, 0, o.visible.rect[2], o.visible.rect[3]] }) }))
    for (const [k, v] of Object.entries(o.fieldEntries ?? {})) w.set(k, v)
    writer.set(fieldRef, w)
    fields.push(fieldRef)
    addAnnotation(reader, writer, page, fieldRef)
  }
  form.set('Fields', fields).set('SigFlags', 3)
  if (formV instanceof PdfRef) writer.set(formV, form)
  else {
    const formRef = writer.allocate()
    writer.set(formRef, form)
    catalog.set('AcroForm', formRef)
    catalogChanged = true
  }
  if (o.certify) {
    catalog.set('Perms', dict({ DocMDP: sigRef }))
    catalogChanged = true
  }
  if (catalogChanged) writer.set(reader.rootRef, catalog)
  o.edit?.(reader, writer)
  const update = writer.build()
  const appended = Buffer.from(update.appended)
  const sigAt = (update.bodyOffsets.get(sigRef.num) as number) - pdf.length
  const holeStart = pdf.length + sigAt + body.indexOf('/Contents <') + '/Contents '.length
  const holeEnd = holeStart + size * 2 + 2
  const total = pdf.length + appended.length
  const br = `[0 ${holeStart} ${holeEnd} ${total - holeEnd}]`.padEnd(BR_WIDTH, ' ')
  appended.write(br, sigAt + head.length, 'latin1')
  const whole = Buffer.concat([Buffer.from(pdf), appended])
  const signed = Buffer.concat([whole.subarray(0, holeStart), whole.subarray(holeEnd)])
  const der = await o.cms(signed)
  if (der.length > size) throw new Error(`CMS of ${der.length} bytes does not fit /Contents of ${size}`)
  whole.write(Buffer.from(der).toString('hex'), holeStart + 1, 'latin1')
  return whole
}

/** Adds `annot` to `page`'s /Annots (direct or indirect array). */
export function addAnnotation(reader: PdfReader, writer: IncrementalWriter, page: PdfRef, annot: PdfRef): void {
  const pd = (reader.dictAt(page) as PdfDict).clone()
  const a = pd.get('Annots')
  if (a instanceof PdfRef) {
    const arr = reader.resolve(a)
    writer.set(a, [...(Array.isArray(arr) ? arr : []), annot])
  } else {
    pd.set('Annots', [...(Array.isArray(a) ? a : []), annot])
    writer.set(page, pd)
  }
}

/** Our engine's CMS (PAdES B-B, or B-T with `tsa`) for a custom signature dictionary. */
export function engineCms(signer: Signer, tsa?: TimestampAuthority): (signed: Buffer) => Promise<Uint8Array> {
  return (signed) => buildCmsSignedData({ documentDigest: createHash('sha256').update(signed).digest(), signer, tsa })
}

/** A document time-stamp token (ETSI.RFC3161) over the signed bytes. */
export function documentTimestamp(tsa: TimestampAuthority): (signed: Buffer) => Promise<Uint8Array> {
  return (signed) => tsa.timestamp(signed)
}

/** A signer key certified by the test PKI's issuing CA (any key type), with its PEMs for openssl. */
export type KeyAndCertificate = { key: KeyObject; keyPem: string; certificateDer: Uint8Array; certificatePem: string; chainPem: string }

export async function issueKey(pki: PdfTestPki, name: string, type: 'rsa-2048' | 'rsa-3072' | 'p-384' | 'p-256'): Promise<KeyAndCertificate> {
  const { privateKey, publicKey } =
    type === 'p-384' || type === 'p-256'
      ? generateKeyPairSync('ec', { namedCurve: type === 'p-384' ? 'P-384' : 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: type === 'rsa-2048' ? 2048 : 3072 })
  const certificateDer = await issueCertificate({
    template: signerProfile({ name, now: new Date(), baseUrl: BASE_URL }),
    subjectPublicKeyInfo: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    serialNumber: randomSerialNumber(),
    issuer: pki.ca.issuing,
  })
  return {
    key: privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificateDer,
    certificatePem: pem(certificateDer),
    chainPem: pem(pki.ca.issuing.certificateDer),
  }
}

export function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
}

/** A CMS made by `openssl cms -sign` (an independent producer): digest, RSA-PSS, CAdES attributes, SHA-1 encapsulation. */
export function opensslCms(
  signer: KeyAndCertificate,
  o: { md: 'sha1' | 'sha256' | 'sha384' | 'sha512'; pss?: boolean; cades?: boolean; encapsulateSha1?: boolean; noAttributes?: boolean },
): (signed: Buffer) => Promise<Uint8Array> {
  return async (signed) => {
    const dir = mkdtempSync(join(tmpdir(), 'qianyue-cms-'))
    try {
      const content = o.encapsulateSha1 ? createHash('sha1').update(signed).digest() : signed
      writeFileSync(join(dir, 'content'), content)
      writeFileSync(join(dir, 'cert.pem'), signer.certificatePem)
      writeFileSync(join(dir, 'key.pem'), signer.keyPem)
      writeFileSync(join(dir, 'chain.pem'), signer.chainPem)
      const args = ['cms', '-sign', '-binary', '-in', join(dir, 'content'), '-signer', join(dir, 'cert.pem'), '-inkey', join(dir, 'key.pem'), '-certfile', join(dir, 'chain.pem'), '-outform', 'DER', '-out', join(dir, 'out.der'), '-md', o.md]
      if (o.encapsulateSha1) args.push('-nodetach')
      if (o.pss) args.push('-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:32')
      if (o.cades) args.push('-cades')
      if (o.noAttributes) args.push('-noattr')
      const r = spawnSync('openssl', args, { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`openssl cms -sign failed: ${r.stderr}`)
      return new Uint8Array(readFileSync(join(dir, 'out.der')))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** pdfsig (poppler 22.12) has no verdict on document time-stamps: it prints this for ETSI.RFC3161. */
const PDFSIG_NO_VERDICT = 'Signature has not yet been verified.'

/**
 * Asserts that the report agrees with pdfsig on what pdfsig can judge: a signature pdfsig calls
 * valid is intact here; one it rejects is not valid here. Signatures are matched by field name (the
 * last one in file order when a later revision redefined a field's signature). Returns pdfsig's
 * view for further assertions (e.g. that pdfsig missed an attack).
 */
export function expectAgreesWithPdfsig(file: string, report: VerificationReport): ReturnType<typeof pdfsig>['signatures'] {
  const { signatures, stdout } = pdfsig(file)
  for (const p of signatures) {
    if (p.status === PDFSIG_NO_VERDICT && p.subFilter === 'unknown') continue
    if (p.status === '') continue // "The signature form field is not signed.
    const named = report.signatures.filter((s) => s.field === p.fieldName)
    const s = named[named.length - 1]
    if (!s) throw new Error(`pdfsig reports field "${p.fieldName}" that esign verify does not list\n${stdout}`)
    if (p.status === 'Digest Mismatch.' && s.intact) throw new Error(`pdfsig: Digest Mismatch for "${p.fieldName}", esign verify: intact\n${stdout}`)
    if (p.valid && !s.intact) throw new Error(`pdfsig: valid for "${p.fieldName}", esign verify: not intact\n${stdout}`)
    if (!p.valid && s.valid) throw new Error(`pdfsig: "${p.status}" for "${p.fieldName}", esign verify: valid\n${stdout}`)
  }
  return signatures
}

export const SHA256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

/**
 * A hand-written PDF from object bodies (`num → body text`), with a correct classic xref table;
 * `trailer` is the trailer dictionary's body (default `/Root 1 0 R`).
 */
export function rawPdf(objects: Record<number, string | Buffer>, trailer = '/Root 1 0 R'): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')]
  let pos = parts[0].length
  const offsets = new Map<number, number>()
  const nums = Object.keys(objects).map(Number).sort((a, b) => a - b)
  for (const n of nums) {
    offsets.set(n, pos)
    const body = objects[n]
    const b = Buffer.concat([Buffer.from(`${n} 0 obj\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n', 'latin1')])
    parts.push(b)
    pos += b.length
  }
  const size = (nums[nums.length - 1] ?? 0) + 1
  let xref = `xref\n0 ${size}\n0000000000 65535 f\r\n`
  for (let n = 1; n < size; n++) {
    const o = offsets.get(n)
    xref += o === undefined ? '0000000000 65535 f\r\n' : `${String(o).padStart(10, '0')} 00000 n\r\n`
  }
  parts.push(Buffer.from(`${xref}trailer\n<</Size ${size} ${trailer}>>\nstartxref\n${pos}\n%%EOF\n`, 'latin1'))
  return Buffer.concat(parts)
}

/** A minimal one-page document body for `rawPdf` (objects 1–4), page content `ops`. */
export function minimalObjects(ops = 'BT /F1 24 Tf 72 720 Td (Contract) Tj ET'): Record<number, string> {
  return {
    1: '<</Type /Catalog /Pages 2 0 R>>',
    2: '<</Type /Pages /Kids [3 0 R] /Count 1>>',
    3: '<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>>',
    4: `<</Length ${ops.length}>>stream\n${ops}\nendstream`,
    5: '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>',
  }
}
