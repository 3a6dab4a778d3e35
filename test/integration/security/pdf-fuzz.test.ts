/**
 * Issue 19, hostile PDFs: 1,000 seeded mutations of the PDF corpus (scripts/bench-fuzz.js; the
 * benchmark-size run is `npm run bench:fuzz`, 10,000 cases) through upload checks, layout, page
 * rendering, preparation, signing and verification in worker processes on the compiled build/:
 * no crash (only typed errors), no hang beyond 2 s, and no "valid" for a signature whose signed
 * bytes were changed.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'

jest.setTimeout(600_000)

it('1,000 mutated PDFs: no crash, no hang, no false valid', () => {
  const out = execFileSync(process.execPath, [path.join(__dirname, '../../../scripts/bench-fuzz.js'), '--cases', '1000', '--seed', '19', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { cases: number; crashes: number; hangs: number; false_valid: number; max_ms: number }
  expect(result).toMatchObject({ cases: 1000, crashes: 0, hangs: 0, false_valid: 0 })
})
