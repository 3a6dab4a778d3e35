import type { Signer } from '../../ports/signer'
import { signatureAlgorithm } from './algorithms'
import { encodeDer, type Asn1 } from './jsrsasign-adapter'
import { signSha256 } from './sign-sha256'

/**
 * Sign a "to be signed" structure the X.509 way and wrap it:
 * `SEQUENCE { tbs, signatureAlgorithm, signature BIT STRING, ...trailing }`. That is the shape of
 * Certificate (RFC 5280 §4.1), CertificateList (§5.1) and BasicOCSPResponse (RFC 6960 §4.2.1, whose
 * `certs [0]` goes in `trailing`). The key operation is `signSha256(signer, tbs)`.
 *
 * @example
 * const certDer = await signStructure(tbsDer, issuingCaSigner)
 */
export async function signStructure(tbsDer: Uint8Array, signer: Signer, trailing: Asn1[] = []): Promise<Uint8Array> {
  const signature = await signSha256(signer, tbsDer)
  return encodeDer({ seq: [{ der: tbsDer }, signatureAlgorithm(signer.keyAlgorithm), { bits: signature }, ...trailing] })
}
