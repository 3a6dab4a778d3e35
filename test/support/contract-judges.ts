import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pdfsig, qpdfCheck, type PdfsigSignature } from './pdf-tools'

/** What the three judges said about one output PDF of a contract. */
export type ContractPdfJudgement = {
  /** pdfsig's signatures (a document time-stamp included). */
  signatures: PdfsigSignature[]
  /** Signatures of signers (not document time-stamps) that pdfsig calls valid, and how many there are. */
  signerSignatures: number
  validSignerSignatures: number
  /** Document time-stamps (PAdES B-LTA completion revision); poppler does not validate them, esign verify does. */
  documentTimestamps: number
  qpdf: { ok: boolean; output: string }
  /** `esign verify --json`: its verdict and each signature's. */
  esign: { verdict: string; signatures: Array<{ field?: string; kind?: string; valid?: boolean; modification?: string }> }
}

/** poppler 22 reports a document time-stamp (ETSI.RFC3161) as type "unknown" that it cannot validate. */
export const isDocumentTimestamp = (s: PdfsigSignature) => /rfc3161/i.test(s.subFilter ?? '') || (s.subFilter === 'unknown' && /not yet been verified/.test(s.status))

/**
 * Judge a contract PDF the way the issue asks: `pdfsig` (every signer's signature valid), `qpdf
 * --check` (structure), and `esign verify` (the compiled CLI, trusting the app's platform CA in
 * `dataDir`: verdict valid, no disallowed change). The file is written to `dir/<name>.pdf`.
 */
export function judgeContractPdf(pdf: Uint8Array, o: { dir: string; name: string; dataDir: string }): ContractPdfJudgement {
  const file = path.join(o.dir, `${o.name}.pdf`)
  fs.writeFileSync(file, pdf)
  const { signatures } = pdfsig(file)
  const signers = signatures.filter((s) => !isDocumentTimestamp(s))
  const q = qpdfCheck(file)
  const r = spawnSync('node', [path.resolve('bin/esign.js'), 'verify', file, '--json'], { env: { ...process.env, ESIGN_DATA_DIR: o.dataDir }, encoding: 'utf8', timeout: 120_000 })
  let esign: ContractPdfJudgement['esign']
  try {
    esign = JSON.parse(r.stdout) as ContractPdfJudgement['esign']
  } catch {
    throw new Error(`esign verify gave no JSON (exit ${r.status}): ${r.stderr}`)
  }
  return {
    signatures,
    signerSignatures: signers.length,
    validSignerSignatures: signers.filter((s) => s.valid).length,
    documentTimestamps: signatures.length - signers.length,
    qpdf: { ok: q.ok, output: q.output },
    esign,
  }
}

/**
 * The usual expectation for a contract PDF with `signed` signer signatures (of `fields` signature
 * fields in all) and, once completed, one document time-stamp: every signed signature valid for
 * pdfsig, qpdf clean, esign verify `valid`.
 */
export function expectJudgedValid(j: ContractPdfJudgement, o: { signed: number; fields?: number; completed: boolean }): void {
  expect({
    validSigned: j.validSignerSignatures,
    signerFields: j.signerSignatures,
    documentTimestamps: j.documentTimestamps,
    qpdf: j.qpdf.ok ? 'ok' : j.qpdf.output,
    esign: j.esign.verdict,
    // Every signature esign verify reports (the time-stamp included) intact and valid, and no disallowed change after any.
    esignProblems: j.esign.signatures.filter((s) => s.valid !== true || s.modification === 'disallowed').map((s) => `${s.field}: ${s.modification}`),
  }).toEqual({
    validSigned: o.signed,
    signerFields: o.fields ?? o.signed,
    documentTimestamps: o.completed ? 1 : 0,
    qpdf: 'ok',
    esign: 'valid',
    esignProblems: [],
  })
}
