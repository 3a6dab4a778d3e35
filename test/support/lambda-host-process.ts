import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { Container } from '../../cloud-functions/runtime/container'
import type { TestApp } from './local-app'

const HOST = path.resolve(__dirname, 'lambda-host.cjs')
const BUILT = path.resolve(__dirname, '../../build/cloud-functions/handlers/http/contracts.js')

/** Lambda functions of serverless.yml served by `test/support/lambda-host.cjs` in a child process, and a TestApp that calls them over HTTP. */
export type LambdaHost = { child: ChildProcess; url: string; app: TestApp; stderr: () => string }

/**
 * Start a Lambda host (a fresh process: every function cold) on `port` with the stage's
 * environment `env`, serving `functions` ('*' for all). `timeoutMs` overrides every function's
 * timeout (the host then answers 504 and SIGKILLs itself, as Lambda does). `app.deps` holds only
 * the operator token the sandbox outbox needs.
 */
export async function startLambdaHost(o: { env: Record<string, string>; port: number; functions: string[] | '*'; operatorToken: string; timeoutMs?: number }): Promise<LambdaHost> {
  if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} is missing: npm run build:server`)
  const child = spawn(process.execPath, [HOST], {
    env: {
      PATH: process.env.PATH,
      ...o.env,
      ESIGN_OPERATOR_TOKEN: o.operatorToken,
      LAMBDA_HOST_PORT: String(o.port),
      LAMBDA_HOST_FUNCTIONS: o.functions === '*' ? '*' : o.functions.join(','),
      ...(o.timeoutMs ? { LAMBDA_HOST_TIMEOUT_MS: String(o.timeoutMs) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-8000)))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8')
      if (out.includes('listening ')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`the Lambda host exited at start (${code}): ${err}`)))
  })
  const url = `http://127.0.0.1:${o.port}`
  const deps = { config: { operatorToken: o.operatorToken, mode: 'aws' } } as unknown as Container
  return { child, url, stderr: () => err, app: { url, deps, dataDir: '', logs: () => err, stop: () => killLambdaHost({ child }) } }
}

/** SIGKILL the host (unless already gone), and wait until the process is gone. */
export async function killLambdaHost(host: { child: ChildProcess }): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return
  const exited = new Promise((r) => host.child.once('exit', r))
  host.child.kill('SIGKILL')
  await exited
}
