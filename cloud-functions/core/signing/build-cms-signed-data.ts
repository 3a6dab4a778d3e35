import { createHash } from 'node:crypto'
import type { Signer } from '../../ports/signer'
import type { TimestampAuthority } from '../../ports/timestamp-authority'
import { parseCertificate } from '../pki/certificate-info'
import { assembleSignedData, signCmsSignedData } from '../pki/cms-signed-data'
import { attribute, signingCertificateV2Attribute } from '../pki/ess-signing-certificate'
import { encodeDer } from '../pki/jsrsasign-adapter'
import { OID } from '../pki/oids'
import { readTimestampToken } from '../pki/read-timestamp-token'

export type BuildCmsSignedDataInput = {
  /** SHA-256 of the ByteRange bytes (32 bytes). */
  documentDigest: Uint8Array
  /** The signer's key operation and certificate chain (signer's certificate first). */
  signer: Signer
  /** When given, the signature is time-stamped (PAdES B-T). */
  tsa?: TimestampAuthority
}

/**
 * The CMS for a PAdES signature (`/SubFilter /ETSI.CAdES.detached`, ETSI EN 319 142-1 §5; CMS per
 * RFC 5652 and ETSI EN 319 122-1): a DER ContentInfo(SignedData), detached (no eContent),
 * eContentType id-data, SHA-256.
 *
 * - Signed attributes: content-type (id-data), message-digest (= `documentDigest`), ESS
 *   signing-certificate-v2 (SHA-256 of the signer certificate, with issuerSerial). No signing-time:
 *   PAdES puts the claimed time in the signature dictionary's `/M`.
 * - Signature: `signSha256(signer, DER signed attributes)` — sha256WithRSAEncryption (PKCS#1
 *   v1.5) or ecdsa-with-SHA256 by `signer.keyAlgorithm`. Checked against the certificate before use.
 * - `certificates`: the whole `signer.certificateChain()`.
 * - With `tsa` (B-T): an RFC 3161 token over the SignerInfo's signature value (the imprint is
 *   SHA-256 of the signature OCTET STRING's contents) as unsigned attribute
 *   id-aa-signatureTimeStampToken (1.2.840.113549.1.9.16.2.14). The token's imprint is checked.
 *
 * Verifies with `openssl cms -verify -binary -inform DER -in sig.der -content signed-bytes
 * -CAfile root.pem -purpose any` (see test/interop/pki).
 *
 * @example
 * const cms = await buildCmsSignedData({ documentDigest: digest.value, signer, tsa: ca.tsa })
 */
export async function buildCmsSignedData(input: BuildCmsSignedDataInput): Promise<Uint8Array> {
  if (!(input.documentDigest instanceof Uint8Array) || input.documentDigest.length !== 32) {
    throw new Error('documentDigest must be the 32-byte SHA-256 of the ByteRange bytes')
  }
  const chain = await input.signer.certificateChain()
  if (chain.length === 0) throw new Error('the signer has no certificate chain')
  const tsa = input.tsa
  return signCmsSignedData({
    signer: input.signer,
    signerCertificate: chain[0],
    certificates: chain,
    contentType: OID.data,
    contentDigest: input.documentDigest,
    unsignedAttributes: tsa
      ? async (signatureValue) => {
          const token = await tsa.timestamp(signatureValue)
          const info = readTimestampToken(token)
          if (!info.ok) throw new Error(`the TSA returned an unreadable time-stamp token: ${info.error.message}`)
          const expected = createHash('sha256').update(signatureValue).digest()
          if (info.value.hashAlgorithm !== OID.sha256 || !expected.equals(info.value.hashedMessage)) {
            throw new Error('the TSA returned a time-stamp token for a different message imprint')
          }
          return [attribute(OID.signatureTimeStampToken, { der: token })]
        }
      : undefined,
  })
}

/**
 * Time-stamp token bytes beyond the TSA's certificates that {@link maxCmsSize} allows for: TSTInfo
 * (policy, imprint, serial, genTime, accuracy, nonce, TSA name), the token's signed attributes and
 * SignerInfo (with the TSA's issuer name twice) and a signature of up to 512 bytes (RSA-4096).
 * The platform TSA's tokens use about 700 bytes of this with a P-256 key.
 */
export const TIMESTAMP_TOKEN_OVERHEAD = 2048

/** TSA certificate bytes assumed when the caller does not know them (SIGNING.md §1: tokens with a chain are often 3–6 KB). */
export const DEFAULT_TSA_CHAIN_BYTES = 6144

/**
 * An upper bound, in bytes, of the DER CMS that {@link buildCmsSignedData} produces for a signer
 * with certificate chain `chainDer` (signer's certificate first), so `/Contents` can be sized
 * before the document digest exists and never overflows (the hex string is twice this).
 *
 * The bound is exact for everything the chain determines: the CMS is assembled here with the real
 * certificates, the real signed attributes (their sizes do not depend on the digest) and placeholder
 * values of the maximum size for the two parts that vary:
 * - the signature value: RSA = modulus length; ECDSA = longest DER Ecdsa-Sig-Value for the curve
 *   (72 bytes on P-256);
 * - with `withTimestamp`, the time-stamp token: `tsaChainBytes + TIMESTAMP_TOKEN_OVERHEAD`
 *   (`tsaChainBytes` = total DER size of the certificates the TSA embeds; default
 *   {@link DEFAULT_TSA_CHAIN_BYTES}). A TSA whose token exceeds that (a long chain not counted in
 *   `tsaChainBytes`) is the only way past the bound.
 *
 * DER length fields only grow with content, so no real CMS is larger.
 *
 * @example
 * const contentsSize = maxCmsSize(await signer.certificateChain(), true, ca.tsaCertificatesSize)
 */
export function maxCmsSize(chainDer: Uint8Array[], withTimestamp: boolean, tsaChainBytes: number = DEFAULT_TSA_CHAIN_BYTES): number {
  if (chainDer.length === 0) throw new Error('maxCmsSize needs the signer certificate chain')
  const signer = parseCertificate(chainDer[0])
  const signedAttributesDer = encodeDer({
    set: [
      attribute(OID.contentType, { oid: OID.data }),
      attribute(OID.messageDigest, { octets: new Uint8Array(32) }),
      signingCertificateV2Attribute(chainDer[0]),
    ],
  })
  const unsignedAttributes = withTimestamp ? [attribute(OID.signatureTimeStampToken, { der: placeholderTlv(tsaChainBytes + TIMESTAMP_TOKEN_OVERHEAD) })] : []
  return assembleSignedData({
    signerCertificate: chainDer[0],
    certificates: chainDer,
    contentType: OID.data,
    keyAlgorithm: signer.keyAlgorithm,
    signedAttributesDer,
    signatureValue: new Uint8Array(signer.maxSignatureSize),
    unsignedAttributes,
  }).length
}

/** A DER value of at least (in practice exactly) `total` bytes, standing in for a token of that size. */
function placeholderTlv(total: number): Uint8Array {
  const size = (content: number): number => 1 + (content < 0x80 ? 1 : content < 0x100 ? 2 : content < 0x10000 ? 3 : 4) + content
  let content = Math.max(0, total - 5)
  while (size(content) < total) content++
  return encodeDer({ octets: new Uint8Array(content) })
}
