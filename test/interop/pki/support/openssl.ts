import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type OpensslResult = { status: number; stdout: string; stderr: string; output: string }

let checked = false

/** Fails (never skips) when the openssl binary is missing: these tests are judged by it. */
export function requireOpenssl(): void {
  if (checked) return
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' })
  if (r.error || r.status !== 0) {
    throw new Error('These tests need the openssl command line (OpenSSL 3). It was not found on PATH: install it (apt-get install openssl).')
  }
  checked = true
}

/** Run `openssl …` in `cwd`; never throws on a non-zero exit (tests assert on the output). */
export function openssl(args: string[], options: { cwd?: string; input?: Uint8Array } = {}): OpensslResult {
  requireOpenssl()
  const r = spawnSync('openssl', args, { cwd: options.cwd, input: options.input, encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 })
  const stdout = r.stdout.toString('utf8')
  const stderr = r.stderr.toString('utf8')
  return { status: r.status ?? -1, stdout, stderr, output: stdout + stderr }
}

/** A scratch directory removed by the returned `cleanup`. */
export function scratchDir(prefix: string): { dir: string; write: (name: string, data: Uint8Array | string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `qianyue-${prefix}-`))
  return {
    dir,
    write: (name, data) => {
      const file = join(dir, name)
      writeFileSync(file, data)
      return file
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

export function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}
