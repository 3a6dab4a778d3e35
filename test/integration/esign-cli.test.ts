import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PRODUCT_VERSION } from '../../cloud-functions/runtime/version'

/** The compiled `esign` binary as `npx esign` runs it (npm test compiles build/ before jest). */
const ROOT = path.resolve(__dirname, '../..')
const esign = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/esign.js'), ...args], { cwd: ROOT, encoding: 'utf8' })

describe('esign', () => {
  it('--version prints the package version', () => {
    const r = esign('--version')
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe(PRODUCT_VERSION)
  })

  it('--help lists every subcommand', () => {
    const r = esign('--help')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/Usage: esign <command>/)
    expect(r.stdout).toMatch(/^\s+sign\s+/m)
  })

  it('an unknown command exits 2 with one line on stderr and no stack trace', () => {
    const r = esign('frobnicate')
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain('unknown command "frobnicate"')
    expect(r.stderr).not.toMatch(/\s+at\s/)
  })

  it('is available as `npx esign` through package.json bin', () => {
    // A fresh npm cache: npx links the project into it, and a stale link from an earlier failed
    // run on this machine would otherwise make npx fail before it looks at our bin.
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-npx-'))
    const r = spawnSync('npx', ['esign', '--version'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_cache: cache } })
    fs.rmSync(cache, { recursive: true, force: true })
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe(PRODUCT_VERSION)
  })
})
