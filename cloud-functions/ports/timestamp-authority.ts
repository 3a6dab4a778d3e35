/**
 * RFC 3161 time-stamping, as the signing engine needs it: a token over a message imprint.
 * The platform TSA serves it in process; an HTTP client could serve it from elsewhere.
 */
export interface TimestampAuthority {
  /** A DER `TimeStampToken` (a CMS ContentInfo) whose imprint is SHA-256 of `data`. */
  timestamp(data: Uint8Array): Promise<Uint8Array>
}
