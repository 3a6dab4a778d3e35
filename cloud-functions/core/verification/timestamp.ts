import type { VerificationProblem } from './report'
import { BerError, bytesEqual, content, decodeBer, expect, items, oid, smallInt, time, UNIVERSAL } from './ber'
import { algorithmOid, digestLabel, digestWith } from './algorithms'
import { Certificate } from './certificate'
import { validateChain, type ChainResult, type ValidationContext } from './chain'
import { checkSignerInfo } from './signer-info'
import { CMS_OID, parseSignedData } from './cms'

export type TimestampCheck = {
  /** genTime, when the token could be read. */
  time?: Date
  /** The imprint matches the data it should cover. */
  imprintMatches: boolean
  /** The token's CMS signature verifies (with its ESS signing-certificate binding). */
  signatureValid: boolean
  trusted: boolean
  authority: Certificate | undefined
  chain?: ChainResult
  hashAlgorithm?: string
  /** The token's signature algorithm, e.g. `ECDSA with SHA-256`. */
  signatureAlgorithm?: string
  problems: VerificationProblem[]
}

/**
 * Verifies an RFC 3161 `TimeStampToken` (§2.4.2): a SignedData whose eContent is a TSTInfo, signed
 * by a certificate with EKU id-kp-timeStamping; the messageImprint must equal `imprintOf(hashOid)`
 * (hash of the signature value for a signature time-stamp, of the ByteRange for a document
 * time-stamp). The TSA certificate is validated at genTime.
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  imprintOf: (hashOid: string) => Uint8Array | undefined,
  ctx: ValidationContext,
): Promise<TimestampCheck> {
  const problems: VerificationProblem[] = []
  const fail = (message: string, code: VerificationProblem['code'] = 'TIMESTAMP_INVALID'): TimestampCheck => ({
    imprintMatches: false,
    signatureValid: false,
    trusted: false,
    authority: undefined,
    problems: [...problems, { code, message }],
  })
  let sd
  try {
    sd = parseSignedData(token)
  } catch (e) {
    return fail(`the time-stamp token is not a CMS SignedData (${(e as Error).message})`)
  }
  if (sd.eContentType !== CMS_OID.tstInfo || !sd.eContent) return fail('the time-stamp token does not hold a TSTInfo')
  let genTime: Date
  let hashOid: string
  let hashed: Uint8Array
  try {
    const f = items(decodeBer(sd.eContent), 'TSTInfo')
    const imprint = items(f[2], 'messageImprint')
    hashOid = algorithmOid(imprint[0], 'hashAlgorithm')
    hashed = content(expect(imprint[1], UNIVERSAL.octetString, 'hashedMessage'))
    oid(f[1], 'policy')
    genTime = time(expect(f[4], UNIVERSAL.generalizedTime, 'genTime'), 'genTime')
    if (smallInt(f[0], 'version') !== 1) throw new BerError('TSTInfo version must be 1')
  } catch (e) {
    return fail(`the TSTInfo cannot be read (${(e as Error).message})`)
  }
  for (const c of sd.certificates) ctx.pool.add(c)
  const expected = imprintOf(hashOid)
  const imprintMatches = expected !== undefined && bytesEqual(expected, hashed)
  if (!imprintMatches) {
    problems.push({ code: 'TIMESTAMP_IMPRINT_MISMATCH', message: expected ? `the time-stamp imprint (${digestLabel(hashOid)}) does not match the data it time-stamps` : `unsupported imprint hash ${hashOid}` })
  }
  if (sd.signerInfos.length !== 1) return { ...fail('the time-stamp token must have exactly one SignerInfo'), time: genTime }
  const si = checkSignerInfo(sd, sd.signerInfos[0], (digestOid) => (sd.eContent ? digestWith(digestOid, sd.eContent) : undefined), ctx, true)
  problems.push(...si.problems)
  const authority = si.signer
  let chain: ChainResult | undefined
  let trusted = false
  if (authority) {
    chain = await validateChain(authority, 'timestamping', genTime, ctx)
    trusted = chain.trusted
    if (!chain.trusted) {
      problems.push({ code: 'TIMESTAMP_UNTRUSTED', message: `the time-stamping authority "${authority.subject}" is not trusted: ${chain.problems.map((p) => p.message).join('; ')}` })
    }
  }
  const signatureValid = si.signatureValid && si.digestMatches && si.bindingOk
  return { time: genTime, imprintMatches, signatureValid, trusted: trusted && signatureValid && imprintMatches, authority, chain, hashAlgorithm: hashOid, signatureAlgorithm: si.signatureAlgorithm, problems }
}

