import { createHash } from 'node:crypto'
import { ByteRange, digestByteRange } from '../pdf/byte-range'
import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfFormatError } from '../pdf/pdf-errors'
import { PdfDict, PdfName, PdfRef, PdfString, dict, serializeValue, type PdfValue } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import { cmsCertificates } from '../pki/cms-certificates'
import { DerStructureError } from '../pki/der-values'
import type { SealedDocument } from './prepared-document'
import { BYTE_RANGE_WIDTH } from './signature-placeholder'

/** Revocation data and certificates for the DSS, as the trust services provide them. */
export type ValidationData = {
  /** Certificates to embed besides those in the signatures (CA certificates, the OCSP responder's). */
  certificates: Uint8Array[]
  /** DER OCSPResponses. */
  ocspResponses: Uint8Array[]
  /** DER CRLs. */
  crls: Uint8Array[]
}

export type AddLtvOptions = {
  /** Fetch revocation data for the certificates found in the document's signatures (I/O lives in the caller). */
  validationData(certificates: Uint8Array[]): Promise<ValidationData>
  /** An RFC 3161 token (DER TimeStampToken) whose imprint is this SHA-256 digest: the document time-stamp. */
  timestampDigest(sha256: Uint8Array): Promise<Uint8Array>
  /** Bytes reserved for the token in `/Contents`; default 12 KiB. */
  contentsSize?: number
}

/** Default room for the document time-stamp token (a platform token with its certificate is ~1.5 KB). */
export const DOCUMENT_TIMESTAMP_CONTENTS_SIZE = 12 * 1024

/**
 * The completion step of a contract (PAdES B-LTA, ETSI EN 319 142-1 §5.4–5.5): one last incremental
 * revision holding
 * - a Document Security Store (`/DSS` in the catalog, ISO 32000-2 §12.8.4.3) with every certificate of
 *   every signature and signature time-stamp in the document, plus the CA certificates, OCSP
 *   responses and CRLs `validationData` returns (merged into an existing DSS);
 * - a document time-stamp: an invisible signature field whose value is a `/Type /DocTimeStamp`,
 *   `/SubFilter /ETSI.RFC3161` dictionary, `/Contents` = an RFC 3161 token over the ByteRange of the
 *   whole file — DSS included, so the validation data is itself time-stamped.
 * Earlier bytes are never touched: every existing signature stays valid. The hash is streamed over
 * the original bytes and the new revision, never joining them.
 *
 * @throws PdfFormatError when the file cannot be read, or has no signature to protect.
 *
 * @example
 * const sealed = await addLtv(signedPdf, { validationData: (certs) => collectValidationData(deps, certs), timestampDigest: (d) => ca.tsa.timestampDigest(d) })
 * write(sealed.pieces)
 */
export async function addLtv(pdf: Uint8Array, o: AddLtvOptions): Promise<SealedDocument> {
  const reader = PdfReader.open(pdf)
  const fields = reader.signatureFields()
  const signed = fields.filter((f) => f.value !== undefined)
  if (signed.length === 0) throw new PdfFormatError('UNSUPPORTED', 'the document has no signatures: nothing to add long-term validation data for')

  // 1. Every certificate of every signature (and of their time-stamp tokens).
  const found: Uint8Array[] = []
  for (const field of signed) {
    const sig = reader.dictAt(field.value)
    const contents = sig ? reader.resolve(sig.get('Contents')) : undefined
    if (!(contents instanceof PdfString)) continue
    try {
      found.push(...cmsCertificates(contents.bytes))
    } catch (e) {
      if (!(e instanceof DerStructureError)) throw e
      // A signature whose CMS we cannot read contributes no certificates; it is not ours to judge here.
    }
  }
  const data = await o.validationData(unique(found))

  // 2. The revision: DSS streams, the DSS, the time-stamp field, and the catalog/AcroForm/page edits.
  const writer = new IncrementalWriter(reader)
  const catalog = reader.catalog().clone()
  const stream = (der: Uint8Array): PdfRef => {
    const ref = writer.allocate()
    writer.setStream(ref, new PdfDict(), der)
    return ref
  }
  const existing = reader.dictAt(catalog.get('DSS'))
  const dss = existing ? existing.clone() : dict({ Type: PdfName.of('DSS') })
  const append = (key: string, items: Uint8Array[]): void => {
    if (items.length === 0) return
    const before = reader.resolve(dss.get(key))
    dss.set(key, [...(Array.isArray(before) ? before : []), ...unique(items).map(stream)])
  }
  append('Certs', [...found, ...data.certificates])
  append('OCSPs', data.ocspResponses)
  append('CRLs', data.crls)
  const dssRef = writer.allocate()
  writer.set(dssRef, dss)
  catalog.set('DSS', dssRef)

  const contentsSize = o.contentsSize ?? DOCUMENT_TIMESTAMP_CONTENTS_SIZE
  const sigRef = writer.allocate()
  const sig = documentTimestampDictionary(contentsSize)
  writer.set(sigRef, { raw: sig.body })

  const names = new Set(fields.map((f) => f.name))
  let n = 1
  while (names.has(`DocumentTimeStamp${n}`)) n++
  const pageRef = reader.pageRef(0)
  const fieldRef = writer.allocate()
  writer.set(
    fieldRef,
    dict({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('Widget'),
      FT: PdfName.of('Sig'),
      T: PdfString.text(`DocumentTimeStamp${n}`),
      V: sigRef,
      Rect: [0, 0, 0, 0],
      F: 4,
      P: pageRef,
    }),
  )
  addToArray(reader, writer, pageRef, 'Annots', fieldRef)
  const formValue = catalog.get('AcroForm')
  const formRef = formValue instanceof PdfRef ? formValue : undefined
  const form = (reader.dictAt(formValue) ?? new PdfDict()).clone()
  form.set('SigFlags', 3)
  const fieldList = reader.resolve(form.get('Fields'))
  form.set('Fields', [...(Array.isArray(fieldList) ? fieldList : []), fieldRef])
  if (formRef) writer.set(formRef, form)
  else catalog.set('AcroForm', form)
  writer.set(reader.rootRef, catalog)

  // 3. ByteRange, streamed digest, token.
  const update = writer.build()
  const appended = Buffer.from(update.appended.buffer, update.appended.byteOffset, update.appended.byteLength)
  const sigBodyAt = update.bodyOffsets.get(sigRef.num) as number
  const holeStart = sigBodyAt + sig.contentsAt
  const range = ByteRange.aroundHole(holeStart, holeStart + sig.contentsHoleLength, update.totalLength)
  appended.write(range.toFixedWidth(BYTE_RANGE_WIDTH), sigBodyAt + sig.byteRangeAt - pdf.length, 'latin1')
  const token = await o.timestampDigest(digestByteRange([pdf, appended], range))
  if (token.length > contentsSize) throw new Error(`the document time-stamp token is ${token.length} bytes but only ${contentsSize} were reserved`)
  appended.write(Buffer.from(token).toString('hex'), holeStart + 1 - pdf.length, 'latin1')
  const pieces = [pdf, appended] as const
  return {
    pieces,
    length: update.totalLength,
    byteRange: range,
    fieldName: `DocumentTimeStamp${n}`,
    toBytes: () => Buffer.concat(pieces, update.totalLength),
  }
}

/**
 * `<</ByteRange [placeholder] /Contents <00…> /Type /DocTimeStamp /Filter /Adobe.PPKLite
 * /SubFilter /ETSI.RFC3161>>` (ISO 32000-2 §12.8.5), laid out like the signature dictionaries of
 * `signature-placeholder.ts` so the same fixed-width ByteRange patching applies.
 */
function documentTimestampDictionary(contentsSize: number): { body: Buffer; byteRangeAt: number; contentsAt: number; contentsHoleLength: number } {
  const head = '<</ByteRange '
  const contentsKey = ' /Contents '
  const hex = '<' + '0'.repeat(contentsSize * 2) + '>'
  const rest = serializeValue(dict({ Type: PdfName.of('DocTimeStamp'), Filter: PdfName.of('Adobe.PPKLite'), SubFilter: PdfName.of('ETSI.RFC3161') })).slice(2, -2)
  const text = head + '[0 0 0 0]'.padEnd(BYTE_RANGE_WIDTH, ' ') + contentsKey + hex + rest + '>>'
  return {
    body: Buffer.from(text, 'latin1'),
    byteRangeAt: head.length,
    contentsAt: head.length + BYTE_RANGE_WIDTH + contentsKey.length,
    contentsHoleLength: hex.length,
  }
}

/** Adds `item` to the array `key` of the dictionary `owner` (the array may be direct or a reference). */
function addToArray(reader: PdfReader, writer: IncrementalWriter, owner: PdfRef, key: string, item: PdfRef): void {
  const d = (reader.dictAt(owner) as PdfDict).clone()
  const value = d.get(key)
  const items = reader.resolve(value)
  const next: PdfValue[] = [...(Array.isArray(items) ? items : []), item]
  if (value instanceof PdfRef) writer.set(value, next)
  else writer.set(owner, d.set(key, next))
}

function unique(items: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  return items.filter((der) => {
    const h = createHash('sha256').update(der).digest('hex')
    if (seen.has(h)) return false
    seen.add(h)
    return true
  })
}
