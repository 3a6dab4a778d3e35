import { MAX_REVISIONS } from './revisions'

/**
 * The most revisions (`%%EOF` markers) a PDF may have to be verified on the server; more is refused
 * with `TOO_MANY_REVISIONS` before any parsing. Each revision is opened through its own xref chain,
 * so the work grows with revisions × sections; real contracts have one revision per signature plus
 * a few (the platform writes 2 + signers + LTV). Equal to the verifier's own examination limit, so a
 * server verdict always covers every revision.
 */
export const MAX_VERIFY_REVISIONS = MAX_REVISIONS

/** Cross-reference sections allowed in such a file (a revision may carry a table and a stream: hybrid files). */
export const MAX_VERIFY_XREF_SECTIONS = 4 * MAX_VERIFY_REVISIONS

/**
 * A cheap upper bound of a PDF's revisions and cross-reference sections by counting markers
 * (`%%EOF`; `xref`, which also matches `startxref`, and `/XRef`), linear in the size, no parsing.
 */
export function countRevisionMarkers(bytes: Uint8Array): { revisions: number; xrefSections: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = (marker: string) => {
    let n = 0
    for (let p = buf.indexOf(marker); p >= 0; p = buf.indexOf(marker, p + marker.length)) n++
    return n
  }
  return { revisions: count('%%EOF'), xrefSections: count('xref') + count('/XRef') }
}
