import { PdfDict, PdfName, PdfString, dict, serializeValue, type PdfRef, type PdfValue } from '../pdf/pdf-objects'

/** Width of the `/ByteRange` placeholder: `[0 a b c]` with up to 10-digit numbers, space padded. */
export const BYTE_RANGE_WIDTH = 36
const BYTE_RANGE_PLACEHOLDER = '[0 0 0 0]'.padEnd(BYTE_RANGE_WIDTH, ' ')

export type SignatureDictionaryOptions = {
  /** Bytes reserved for the DER CMS; the hex string is twice as long. */
  contentsSize: number
  /** The claimed signing time, written as `/M` (PAdES: no signing-time attribute in the CMS). */
  signingTime: Date
  signerName?: string
  reason?: string
  location?: string
  contactInfo?: string
  /** DocMDP certification (ISO 32000-1 §12.8.2.2): 1 no changes, 2 form filling and signing, 3 plus annotations. */
  docMdpPermissions?: 1 | 2 | 3
}

/** The serialized signature dictionary and where its two placeholders sit inside it. */
export type SignatureDictionaryBody = {
  body: Uint8Array
  /** Offset of the ByteRange placeholder's `[` within `body`. */
  byteRangeAt: number
  /** Offset of the `<` of `/Contents` within `body`; the hole runs to the matching `>` inclusive. */
  contentsAt: number
  contentsHoleLength: number
}

/** `D:YYYYMMDDHHmmssZ`, UTC. */
export function pdfDate(d: Date): string {
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
}

/** `n` in `w` digits (module-level: see docs/ARCHITECTURE.md, "No closures made per call on hot paths"). */
function p(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/**
 * A PAdES signature dictionary (ETSI EN 319 142-1 §5.3: `/Filter /Adobe.PPKLite`,
 * `/SubFilter /ETSI.CAdES.detached`, `/M`, no `/Cert`) with a fixed-width `/ByteRange`
 * placeholder and a zero-filled `/Contents` hex string, both patched after the revision is written.
 */
export function buildSignatureDictionary(o: SignatureDictionaryOptions): SignatureDictionaryBody {
  if (!Number.isInteger(o.contentsSize) || o.contentsSize <= 0) throw new Error('contentsSize must be a positive integer')
  const d = dict({
    Type: PdfName.of('Sig'),
    Filter: PdfName.of('Adobe.PPKLite'),
    SubFilter: PdfName.of('ETSI.CAdES.detached'),
    M: PdfString.latin1(pdfDate(o.signingTime)),
  })
  if (o.signerName) d.set('Name', PdfString.text(o.signerName))
  if (o.reason) d.set('Reason', PdfString.text(o.reason))
  if (o.location) d.set('Location', PdfString.text(o.location))
  if (o.contactInfo) d.set('ContactInfo', PdfString.text(o.contactInfo))
  if (o.docMdpPermissions) {
    d.set('Reference', [
      dict({
        Type: PdfName.of('SigRef'),
        TransformMethod: PdfName.of('DocMDP'),
        TransformParams: dict({ Type: PdfName.of('TransformParams'), P: o.docMdpPermissions, V: PdfName.of('1.2') }),
      }),
    ])
  }
  const rest = serializeValue(d).slice(2, -2)
  const head = '<</ByteRange '
  const contentsKey = ' /Contents '
  const hex = '<' + '0'.repeat(o.contentsSize * 2) + '>'
  const text = head + BYTE_RANGE_PLACEHOLDER + contentsKey + hex + rest + '>>'
  return {
    body: Buffer.from(text, 'latin1'),
    byteRangeAt: head.length,
    contentsAt: head.length + BYTE_RANGE_PLACEHOLDER.length + contentsKey.length,
    contentsHoleLength: hex.length,
  }
}

/** A widget-and-field dictionary for a signature (merged field/widget, §12.7.3.1). */
export function signatureWidget(o: {
  fieldName: string
  rect: [number, number, number, number]
  page: PdfRef
  value?: PdfRef
  appearance?: PdfRef
  hidden?: boolean
}): PdfDict {
  const d = dict({
    Type: PdfName.of('Annot'),
    Subtype: PdfName.of('Widget'),
    FT: PdfName.of('Sig'),
    T: PdfString.text(o.fieldName),
    Rect: o.rect,
    // Print (4); invisible signatures also Hidden (2) + NoView (32) is not needed: a zero Rect suffices.
    F: 4 as PdfValue,
    P: o.page,
  })
  if (o.value) d.set('V', o.value)
  if (o.appearance) d.set('AP', dict({ N: o.appearance }))
  return d
}
