import type { PreparedDocument, SealedDocument, SignedCms } from './prepared-document'

/** Thrown when a CMS is larger than the `/Contents` reserved for it. */
export class SignatureTooLargeError extends Error {
  override readonly name = 'SignatureTooLargeError'
}

/**
 * Stage 4 — embed: writes the DER CMS as hex into the `/Contents` hole of the prepared revision
 * (zero padding stays). Only the appended revision is copied; the original bytes are shared.
 */
export function embedSignature(signed: SignedCms): SealedDocument {
  return embedCms(signed.digest.prepared, signed.cms)
}

export function embedCms(prepared: PreparedDocument, cms: Uint8Array): SealedDocument {
  if (cms.length > prepared.contentsSize) {
    throw new SignatureTooLargeError(
      `the CMS is ${cms.length} bytes but only ${prepared.contentsSize} were reserved for /Contents`,
    )
  }
  const { original, byteRange } = prepared
  const appended = Buffer.from(prepared.appended)
  // "<" sits at length1; the hex digits start right after it.
  const at = byteRange.length1 + 1 - original.length
  if (appended[at - 1] !== 0x3c) throw new Error('the prepared revision does not have /Contents at its ByteRange hole')
  appended.write(Buffer.from(cms).toString('hex'), at, 'latin1')
  const pieces = [original, appended] as const
  const length = original.length + appended.length
  return {
    pieces,
    length,
    byteRange,
    fieldName: prepared.fieldName,
    toBytes: () => Buffer.concat([original, appended], length),
  }
}
