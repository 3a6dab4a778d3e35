import { createHash } from 'node:crypto'
import { OID } from '../../core/pki/oids'
import { TimestampResponder, type TimestampResponderOptions } from '../../core/pki/timestamp-responder'
import type { TimestampAuthority } from '../../ports/timestamp-authority'

/**
 * The platform TSA as a {@link TimestampAuthority}, in process: `timestamp(data)` asks the RFC 3161
 * responder for a token over SHA-256(data), with `certReq` so the token carries the TSA certificate
 * (validators then need only the root). The same {@link TimestampResponder} serves HTTP clients via
 * `responder.respond(requestDer)`.
 *
 * @example
 * const tsa = new InProcessTsa({ signer: ca.tsa.signer, clock })
 * const token = await tsa.timestamp(signatureValue)
 */
export class InProcessTsa implements TimestampAuthority {
  readonly responder: TimestampResponder

  constructor(options: TimestampResponderOptions) {
    this.responder = new TimestampResponder(options)
  }

  async timestamp(data: Uint8Array): Promise<Uint8Array> {
    return this.timestampDigest(new Uint8Array(createHash('sha256').update(data).digest()))
  }

  /**
   * A token whose imprint is `digest`, a SHA-256 value computed by the caller (a PAdES document
   * time-stamp hashes the ByteRange of a whole file, streamed; see `core/signing/add-ltv.ts`).
   */
  async timestampDigest(digest: Uint8Array): Promise<Uint8Array> {
    const issued = await this.responder.issue({ hashAlgorithm: OID.sha256, hashedMessage: digest, certReq: true })
    // SHA-256, no policy, no extensions: the responder cannot refuse this unless misconfigured (or the digest is not 32 bytes).
    if (!issued.ok) throw new Error(`the platform TSA refused a SHA-256 request (${issued.error.failInfo}): check its configuration`)
    return issued.value.token
  }
}
