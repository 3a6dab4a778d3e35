/**
 * ASN.1 identifier octets (X.690 §8.1.2) of the universal types the PKI builders and the
 * verification BER reader use. One table for both: `core/pki/der-values.ts` exports it as `TAG`,
 * `core/verification/ber.ts` as `UNIVERSAL`.
 */
export const ASN1_TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utf8String: 0x0c,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const

/** `[n]` context-specific identifier octet, primitive or constructed. */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n
