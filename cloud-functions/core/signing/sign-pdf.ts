import type { Signer } from '../../ports/signer'
import type { TimestampAuthority } from '../../ports/timestamp-authority'
import { digestDocument } from './digest-document'
import { embedSignature } from './embed-signature'
import { openForSigning } from './repair-document'
import { prepareSignature, type PrepareSignatureOptions } from './prepare-signature'
import type { SealedDocument } from './prepared-document'
import { signDocumentDigest, type CmsBuilder } from './sign-document-digest'

export type SignPdfOptions = PrepareSignatureOptions & {
  signer: Signer
  tsa?: TimestampAuthority
  buildCms?: CmsBuilder
  /** Repair an unsigned file whose xref is broken (one full rewrite); default true. */
  repairBrokenXref?: boolean
}

/**
 * All four stages in one call: prepare → digest → sign → embed. Use the stages separately when the
 * private-key operation happens later (KMS, a signer confirming on a phone).
 *
 * @example
 * const contentsSize = maxCmsSize(await signer.certificateChain(), true)
 * const sealed = await signPdf(pdf, { signer, tsa, contentsSize, signingTime: clock.now() })
 */
export async function signPdf(pdf: Uint8Array, o: SignPdfOptions): Promise<SealedDocument> {
  // A broken xref in an unsigned file is repaired by one full rewrite; anything else unusable throws.
  const { bytes, reader } = o.repairBrokenXref === false ? { bytes: pdf, reader: o.reader } : await openForSigning(pdf)
  const prepared = await prepareSignature(bytes, { ...o, reader })
  const signed = await signDocumentDigest(digestDocument(prepared), { signer: o.signer, tsa: o.tsa, buildCms: o.buildCms })
  return embedSignature(signed)
}
