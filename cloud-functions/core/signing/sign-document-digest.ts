import type { Signer } from '../../ports/signer'
import type { TimestampAuthority } from '../../ports/timestamp-authority'
import { buildCmsSignedData } from './build-cms-signed-data'
import type { DocumentDigest, SignedCms } from './prepared-document'

/** Builds a DER CMS SignedData (PAdES B-B/B-T) over a document digest; see build-cms-signed-data.ts. */
export type CmsBuilder = (args: { documentDigest: Uint8Array; signer: Signer; tsa?: TimestampAuthority }) => Promise<Uint8Array>

/**
 * Stage 3 — sign: the CMS over the ByteRange digest. The private-key operation happens in `signer`
 * (a Signer port: local key, KMS, …) and the signature time-stamp comes from `tsa`.
 * `buildCms` defaults to {@link buildCmsSignedData} (PAdES B-B, or B-T with `tsa`).
 */
export async function signDocumentDigest(
  digest: DocumentDigest,
  o: { signer: Signer; tsa?: TimestampAuthority; buildCms?: CmsBuilder },
): Promise<SignedCms> {
  const cms = await (o.buildCms ?? buildCmsSignedData)({ documentDigest: digest.value, signer: o.signer, tsa: o.tsa })
  return { digest, cms }
}
