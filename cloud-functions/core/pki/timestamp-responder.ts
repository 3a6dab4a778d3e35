import { createHash } from 'node:crypto'
import type { Clock } from '../../ports/clock'
import type { Signer } from '../../ports/signer'
import { ok, type Result } from '../shared/result'
import { HASH_ALGORITHMS } from './algorithms'
import { parseCertificate } from './certificate-info'
import { signCmsSignedData } from './cms-signed-data'
import { encodeDer, type Asn1 } from './jsrsasign-adapter'
import { OID } from './oids'
import { parseTimestampRequest, type TimestampRequest } from './parse-timestamp-request'
import { assertValidSerialNumber, randomSerialNumber, type SerialNumberSource } from './serial-number'

/** RFC 3161 §2.4.2 `PKIFailureInfo` bits the responder uses. */
export const FAILURE_INFO = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  systemFailure: 25,
} as const

export type TimestampFailureInfo = keyof typeof FAILURE_INFO

/** Why a time-stamp was refused: the RFC 3161 failure info and a short text for `statusString`. */
export type TimestampFailure = { code: 'TIMESTAMP_REJECTED'; message: string; failInfo: TimestampFailureInfo }

/** A granted time-stamp: the DER TimeStampToken and the values written into its TSTInfo. */
export type IssuedTimestamp = {
  token: Uint8Array
  serialNumber: Uint8Array
  genTime: Date
  policy: string
}

export type TimestampResponderOptions = {
  /** The TSA key. `certificateChain()[0]` must be the TSA certificate (critical EKU timeStamping). */
  signer: Signer
  /** genTime source. */
  clock: Clock
  /** Token serial numbers; default 16 random bytes (unique without coordination between processes). */
  serialNumber?: SerialNumberSource
  /** TSTInfo policy; default the platform TSA policy (`OID.tsaPolicy`). */
  policy?: string
  /** Policies a request may ask for (`reqPolicy`); default just `policy`. */
  acceptedPolicies?: string[]
  /** Hash algorithms accepted in message imprints; default SHA-256/384/512. SHA-1 and MD5 → badAlg. */
  acceptedHashAlgorithms?: string[]
  /** Accuracy written into TSTInfo; default ±1 s. */
  accuracy?: { seconds?: number; millis?: number; micros?: number }
  /** Write the TSA's subject name in TSTInfo's `tsa` field; default true. */
  includeTsaName?: boolean
}

/**
 * An RFC 3161 time-stamping responder (the platform TSA), in process and I/O-free: genTime comes
 * from the injected clock, serial numbers from the injected source, the signature from the TSA
 * {@link Signer}. Answers real clients (`openssl ts -query … | respond()`).
 *
 * Tokens (RFC 3161 §2.4.2, RFC 5816): CMS SignedData, eContentType id-ct-TSTInfo, SHA-256, signed
 * attributes content-type, message-digest and ESS signing-certificate-v2 of the TSA certificate;
 * TSTInfo version 1 with policy, the request's message imprint (algorithm and parameters echoed),
 * a unique serial number, genTime in UTC with milliseconds, accuracy, the nonce echoed, and the TSA
 * name. `certReq` puts the TSA's certificate chain (from its Signer) in the token.
 *
 * Refusals (status `rejection`, §2.4.2): malformed request → badDataFormat; hash algorithm not
 * accepted → badAlg; imprint of the wrong length → badDataFormat; unknown reqPolicy →
 * unacceptedPolicy; any request extension → unacceptedExtension. A failing Signer is an
 * infrastructure error and throws.
 *
 * @example
 * const tsa = new TimestampResponder({ signer: ca.tsa.signer, clock })
 * const responseDer = await tsa.respond(requestDer)   // HTTP: application/timestamp-reply
 */
export class TimestampResponder {
  private readonly policy: string
  private readonly acceptedPolicies: Set<string>
  private readonly acceptedHashAlgorithms: Set<string>
  private readonly serialNumber: SerialNumberSource
  private readonly accuracy: { seconds?: number; millis?: number; micros?: number }
  /** The TSA certificate last seen and its subject name: parsed once, not for every token (the chain is the same each time). */
  private tsaSubject: { certificate: Buffer; subjectDer: Uint8Array } | undefined

  constructor(private readonly options: TimestampResponderOptions) {
    this.policy = options.policy ?? OID.tsaPolicy
    this.acceptedPolicies = new Set(options.acceptedPolicies ?? [this.policy])
    this.acceptedHashAlgorithms = new Set(options.acceptedHashAlgorithms ?? [OID.sha256, OID.sha384, OID.sha512])
    this.serialNumber = options.serialNumber ?? randomSerialNumber
    this.accuracy = options.accuracy ?? { seconds: 1 }
  }

  private subjectOf(certificate: Uint8Array): Uint8Array {
    if (!this.tsaSubject || !this.tsaSubject.certificate.equals(certificate)) {
      this.tsaSubject = { certificate: Buffer.from(certificate), subjectDer: parseCertificate(certificate).subjectDer }
    }
    return this.tsaSubject.subjectDer
  }

  /** Answer a DER `TimeStampReq` with a DER `TimeStampResp` (granted, or rejection with failInfo). */
  async respond(requestDer: Uint8Array): Promise<Uint8Array> {
    const parsed = parseTimestampRequest(requestDer)
    if (!parsed.ok) return encodeRejection({ code: 'TIMESTAMP_REJECTED', failInfo: 'badDataFormat', message: 'malformed TimeStampReq' })
    const issued = await this.issue(parsed.value)
    if (!issued.ok) return encodeRejection(issued.error)
    // PKIStatusInfo { status granted(0) }, then the token.
    return encodeDer({ seq: [{ seq: [{ int: 0 }] }, { der: issued.value.token }] })
  }

  /** Issue a token for an already parsed request; refusals are values. */
  async issue(request: TimestampRequest): Promise<Result<IssuedTimestamp, TimestampFailure>> {
    const refuse = (failInfo: TimestampFailureInfo, message: string): { ok: false; error: TimestampFailure } => ({
      ok: false,
      error: { code: 'TIMESTAMP_REJECTED', message, failInfo },
    })
    const known = (HASH_ALGORITHMS as Record<string, { length: number } | undefined>)[request.hashAlgorithm]
    if (!known || !this.acceptedHashAlgorithms.has(request.hashAlgorithm)) return refuse('badAlg', 'hash algorithm not accepted')
    if (request.hashedMessage.length !== known.length) return refuse('badDataFormat', 'message imprint length does not match its algorithm')
    if (request.policy !== undefined && !this.acceptedPolicies.has(request.policy)) return refuse('unacceptedPolicy', 'policy not accepted')
    if (request.hasExtensions) return refuse('unacceptedExtension', 'extensions are not supported')

    const chain = await this.options.signer.certificateChain()
    if (chain.length === 0) throw new Error('the TSA signer has no certificate')
    const tsaSubjectDer = this.subjectOf(chain[0])
    const genTime = this.options.clock.now()
    const serialNumber = this.serialNumber()
    assertValidSerialNumber(serialNumber)

    const hashAlgorithm: Asn1 = { seq: [{ oid: request.hashAlgorithm }, ...(request.hashAlgorithmNullParameters ? [{ null: true } as Asn1] : [])] }
    const tstInfo: Asn1[] = [
      { int: 1 },
      { oid: this.policy },
      { seq: [hashAlgorithm, { octets: request.hashedMessage }] },
      { uint: serialNumber },
      { generalizedTime: genTime, millis: true },
    ]
    const accuracy = accuracyAsn1(this.accuracy)
    if (accuracy) tstInfo.push(accuracy)
    if (request.nonce !== undefined) tstInfo.push({ int: request.nonce })
    if (this.options.includeTsaName !== false) tstInfo.push({ explicit: 0, node: { explicit: 4, node: { der: tsaSubjectDer } } })
    const tstInfoDer = encodeDer({ seq: tstInfo })

    const token = await signCmsSignedData({
      signer: this.options.signer,
      signerCertificate: chain[0],
      certificates: request.certReq ? chain : [],
      contentType: OID.tstInfo,
      contentDigest: new Uint8Array(createHash('sha256').update(tstInfoDer).digest()),
      encapsulatedContent: tstInfoDer,
    })
    return ok({ token, serialNumber, genTime, policy: this.policy })
  }
}

function accuracyAsn1(a: { seconds?: number; millis?: number; micros?: number }): Asn1 | undefined {
  const fields: Asn1[] = []
  if (a.seconds) fields.push({ int: a.seconds })
  if (a.millis) fields.push({ implicit: 0, node: { int: a.millis } })
  if (a.micros) fields.push({ implicit: 1, node: { int: a.micros } })
  return fields.length > 0 ? { seq: fields } : undefined
}

function encodeRejection(f: TimestampFailure): Uint8Array {
  // PKIStatusInfo { status rejection(2), statusString PKIFreeText, failInfo PKIFailureInfo }
  return encodeDer({ seq: [{ seq: [{ int: 2 }, { seq: [{ utf8: f.message }] }, { namedBits: [FAILURE_INFO[f.failInfo]] }] }] })
}
