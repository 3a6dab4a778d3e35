/**
 * `pdf` followed by `count` empty incremental updates (ISO 32000-1 §7.5.6): each of
 * `sectionsPerRevision` xref sections with only the free-list head, each trailer's `/Prev` the
 * previous section, and one `startxref`/`%%EOF` per update. Readers see the same document;
 * verifiers see `count` more revisions (and longer `/Prev` chains with more sections).
 */
export function appendEmptyRevisions(pdf: Uint8Array, count: number, sectionsPerRevision = 1): Uint8Array {
  const head = Buffer.from(pdf)
  const tail = head.subarray(Math.max(0, head.length - 1024)).toString('latin1')
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)
  if (!m) throw new Error('the PDF does not end with startxref/%%EOF')
  const trailer = head.toString('latin1')
  const size = /\/Size\s+(\d+)/.exec(trailer.slice(trailer.lastIndexOf('trailer')))?.[1]
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer.slice(trailer.lastIndexOf('trailer')))?.[1]
  if (!size || !root) throw new Error('the PDF has no classic trailer with /Size and /Root')
  let prev = Number(m[1])
  let offset = head.length
  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < sectionsPerRevision; k++) {
      const at = offset + 1
      const last = k === sectionsPerRevision - 1
      const section = `\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size ${size} /Root ${root} /Prev ${prev} >>${last ? `\nstartxref\n${at}\n%%EOF` : ''}`
      parts.push(section)
      prev = at
      offset += Buffer.byteLength(section, 'latin1')
    }
  }
  return new Uint8Array(Buffer.concat([head, Buffer.from(parts.join('') + '\n', 'latin1')]))
}
