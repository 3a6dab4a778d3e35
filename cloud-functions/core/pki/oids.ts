/**
 * Object identifiers used by the platform PKI, in one place.
 *
 * The platform's own identifiers live under a UUID-based arc (ITU-T X.667 / ISO/IEC 9834-8, the
 * `2.25` arc): `2.25.6245126085418415455413341448601344744` is the decimal form of the UUID
 * `04b2c47d-1247-4bf6-8c56-0d6558f01ae8`, generated for Qianyue. A UUID arc needs no registration
 * and cannot collide; sub-arcs are allocated here and nowhere else:
 *
 * | arc      | meaning |
 * |----------|---------|
 * | `.1.1`   | certificate policy: event certificates (事件证书, one key per signing act) |
 * | `.1.2`   | certificate policy: long-term signer certificates (reserved) |
 * | `.1.3`   | certificate policy: platform infrastructure (TSA, OCSP responder) |
 * | `.2.1`   | time-stamp policy of the platform TSA (`TSTInfo.policy`) |
 * | `.3.1`   | extension: signing-act binding of an event certificate (see `signingActBindingExtension`) |
 *
 * If the company later obtains an IANA Private Enterprise Number, new arcs go there; these stay valid.
 */
export const PLATFORM_ARC = '2.25.6245126085418415455413341448601344744'

export const OID = {
  // Platform arc (see above).
  eventCertificatePolicy: `${PLATFORM_ARC}.1.1`,
  longTermCertificatePolicy: `${PLATFORM_ARC}.1.2`,
  infrastructureCertificatePolicy: `${PLATFORM_ARC}.1.3`,
  tsaPolicy: `${PLATFORM_ARC}.2.1`,
  signingActBinding: `${PLATFORM_ARC}.3.1`,

  // Hash and signature algorithms.
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  md5: '1.2.840.113549.2.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  prime256v1: '1.2.840.10045.3.1.7',

  // X.500 attribute types (RFC 5280 Appendix A).
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',

  // Certificate and CRL extensions (RFC 5280 §4.2, §5.2, §5.3).
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  cRLReason: '2.5.29.21',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  anyPolicy: '2.5.29.32.0',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  accessOcsp: '1.3.6.1.5.5.7.48.1',
  accessCaIssuers: '1.3.6.1.5.5.7.48.2',

  // Extended key usages.
  kpTimeStamping: '1.3.6.1.5.5.7.3.8',
  kpOcspSigning: '1.3.6.1.5.5.7.3.9',
  kpDocumentSigning: '1.3.6.1.5.5.7.3.36',

  // OCSP (RFC 6960).
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',

  // CMS (RFC 5652), ESS (RFC 5035), TSP (RFC 3161), CAdES (ETSI EN 319 122-1).
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const
