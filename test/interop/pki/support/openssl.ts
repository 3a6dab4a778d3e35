import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toPem } from '../../../../cloud-functions/core/pki/pem'

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

/**
 * `openssl …` without blocking the event loop: for commands that talk to a server running in this
 * same process (`openssl ocsp -url`), which `spawnSync` would deadlock. Killed after `timeoutMs`.
 */
export function opensslAsync(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<OpensslResult> {
  requireOpenssl()
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      const stdout = Buffer.concat(out).toString('utf8')
      const stderr = Buffer.concat(err).toString('utf8')
      resolve({ status: code ?? -1, stdout, stderr, output: stdout + stderr })
    })
  })
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

/** PEM armour of a DER certificate (or of a CRL with `'X509 CRL'`). */
export const pem = toPem
