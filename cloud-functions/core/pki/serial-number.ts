import { randomBytes } from 'node:crypto'

/**
 * Where serial numbers come from: positive, at most 20 octets (RFC 5280 §4.1.2.2), as unsigned
 * big-endian bytes. Inject a deterministic source in tests; production uses {@link randomSerialNumber}.
 */
export type SerialNumberSource = () => Uint8Array

/**
 * A fresh 16-byte serial number with 126 bits from the CSPRNG. The top bits are fixed to `01` so the
 * value is positive and always exactly 16 octets in DER (no leading 0x00 pad, no short encodings —
 * the SIGNING.md §9 "illegal padding" trap), and unguessable (CA/B Forum asks for ≥ 64 random bits).
 *
 * @example
 * issueCertificate({ ..., serialNumber: randomSerialNumber() })
 */
export function randomSerialNumber(): Uint8Array {
  if (serialPoolAt + 16 > serialPool.length) {
    serialPool = new Uint8Array(randomBytes(SERIAL_POOL_BYTES))
    serialPoolAt = 0
  }
  const b = serialPool.slice(serialPoolAt, serialPoolAt + 16)
  serialPool.fill(0, serialPoolAt, serialPoolAt + 16) // each random byte is handed out once
  serialPoolAt += 16
  b[0] = (b[0] & 0x3f) | 0x40
  return b
}

/**
 * Serial numbers take their random bits from a 4 KiB pool filled by one CSPRNG call (as the ids
 * do, `runtime/container.ts`, and Node's `randomUUID`): one `randomBytes` call per serial took
 * 20–40 µs under load, OpenSSL's generator being shared with the CPU pool's threads, and every
 * contract draws several (its event certificates and time-stamp tokens).
 */
const SERIAL_POOL_BYTES = 4096
let serialPool = new Uint8Array(0)
let serialPoolAt = 0

/** Checks a serial number from an injected source: 1–20 octets, not zero. */
export function assertValidSerialNumber(serial: Uint8Array): void {
  let i = 0
  while (i < serial.length && serial[i] === 0) i++
  const significant = serial.length - i
  const encoded = significant + (significant > 0 && serial[i] >= 0x80 ? 1 : 0)
  if (significant === 0 || encoded > 20) throw new Error('serial number must be a positive integer of at most 20 octets')
}

/**
 * A certificate's serial number (the DER INTEGER's content octets, as `parseCertificate` reads
 * them) written the way Node's `X509Certificate#serialNumber` writes it, in lower case: hex of the
 * positive integer, two digits per octet, without the sign octet 00 that DER puts before an
 * integer whose top bit is set. Evidence events name the signing certificate this way.
 *
 * @example
 * serialNumberText(parseCertificate(der).serialNumber) // '4f0c…' (= new X509Certificate(der).serialNumber.toLowerCase())
 */
export function serialNumberText(serial: Uint8Array): string {
  return Buffer.from(serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial).toString('hex')
}
