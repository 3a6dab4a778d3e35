import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * Writes `pieces` (e.g. an original PDF and its appended revision, never joined) to a temporary
 * file beside `path`, fsyncs it, then renames it over `path`: readers never see a partial file, and
 * a failure leaves nothing behind.
 */
export function writeAtomically(path: string, pieces: readonly Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const fd = openSync(tmp, 'w', 0o644)
  try {
    for (const p of pieces) {
      let off = 0
      while (off < p.length) off += writeSync(fd, p, off, p.length - off)
    }
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    unlinkSync(tmp)
    throw e
  }
  closeSync(fd)
  renameSync(tmp, path)
}
