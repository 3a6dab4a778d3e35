/**
 * Issue 19, crashes in AWS mode: the contracts and signing Lambdas (the compiled handlers, served
 * from serverless.yml's routes by test/support/lambda-host.cjs in a child process) die while a
 * contract is being sent or signed, against s3rver, DynamoDB Local and the fake KMS. Each trial
 * picks, from LAMBDA_CRASH_SEED, one way to die:
 * - `delay`: SIGKILL a seeded random time after the request started;
 * - `after-put`: SIGKILL right after S3 stored the n-th revision object of the request (the signed
 *   revision, or the final B-LTA one), before the DynamoDB record (a tap in front of s3rver holds
 *   the answer back and kills the function first);
 * - `after-commit`: SIGKILL right after DynamoDB committed the transaction that records the
 *   revision with its evidence, before what follows (completion, notices);
 * - `timeout`: the function's timeout set to a seeded 0.1–1.5 s: the runtime answers 504 and kills
 *   the sandbox at the deadline (context.getRemainingTimeInMillis reaches 0).
 * After each death a fresh process (a cold Lambda) serves the next requests, and the stored state,
 * read with the product's own records: the contract is either sent/signed (the record points at a
 * stored revision whose bytes hash to it, SignerSigned and party.signed once each) or not (the
 * record still points at the previous revision, no SignerSigned, no party.signed); the evidence
 * chain verifies; the app's retry of a sign attempt that got no answer (same Idempotency-Key) signs
 * once the dead invocation's deadline has passed (or finds it signed); sending and signing again
 * work; the PDF is judged valid by pdfsig and qpdf; every earlier contract is still completed. LAMBDA_CRASH_TRIALS (default 5; 50 for the run) and
 * LAMBDA_CRASH_SEED.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../../../cloud-functions/runtime/config'
import { createContainer, type Container } from '../../../cloud-functions/runtime/container'
import { createLogger } from '../../../cloud-functions/runtime/logger'
import { startAwsStage, type AwsStage } from '../../support/aws-stage'
import { isDocumentTimestamp } from '../../support/contract-judges'
import { contractFlow, type Person } from '../../support/contract-flow'
import { startEmulatorTap, type TappedExchange } from '../../support/emulator-tap'
import { killLambdaHost, startLambdaHost, type LambdaHost } from '../../support/lambda-host-process'
import { freePort } from '../../support/local-app'
import { pdfsig, qpdfCheck, requireTools, tempDir } from '../../support/pdf-tools'
import { storedContractState } from '../../support/stored-contract-state'

jest.setTimeout(900_000)

const TRIALS = Number(process.env.LAMBDA_CRASH_TRIALS ?? 5)
const SEED = Number(process.env.LAMBDA_CRASH_SEED ?? 19)
const OPERATOR = randomBytes(24).toString('hex')
const tmp = tempDir('lambda-crash-')
const KINDS = ['delay', 'after-put', 'after-commit', 'timeout'] as const
type Kind = (typeof KINDS)[number]

/** mulberry32: the deaths replay from LAMBDA_CRASH_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let stage: AwsStage
let s3Tap: Awaited<ReturnType<typeof startEmulatorTap>>
let dynamoTap: Awaited<ReturnType<typeof startEmulatorTap>>
/** Every other function (accounts, identity, seals, documents, …): never killed. */
let support: LambdaHost
/** The contracts and signing functions, reaching S3 and DynamoDB through the taps: killed and cold-started. */
let lambda: LambdaHost
let lambdaEnv: Record<string, string>
let lambdaPort: number
let reader: Container
const saved = { ...process.env }

/** The functions' timeout on this stage (serverless.yml has 29 s): a claim a dead invocation left on an Idempotency-Key lapses within it. */
const FUNCTION_TIMEOUT_MS = 5000
const startLambda = async (timeoutMs = FUNCTION_TIMEOUT_MS) => {
  lambda = await startLambdaHost({ env: lambdaEnv, port: lambdaPort, functions: ['contracts', 'signing'], operatorToken: OPERATOR, timeoutMs })
}

/** The stored state, read with the product's own records from S3 and DynamoDB. */
const inspect = (contractId: string) => storedContractState(reader, contractId)

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf')
  stage = await startAwsStage({ table: 'qianyue-lambda-crash', kms: true })
  ;[s3Tap, dynamoTap] = await Promise.all([startEmulatorTap(stage.s3.endpoint), startEmulatorTap(stage.dynamo.endpoint)])
  const supportPort = await freePort()
  lambdaPort = await freePort()
  // One public address for the stage (certificates, face pages); the sandbox face page is served by the identity function.
  const env: Record<string, string> = { ...stage.env, ESIGN_PUBLIC_BASE_URL: `http://127.0.0.1:${supportPort}` }
  lambdaEnv = { ...env, ESIGN_S3_ENDPOINT: s3Tap.endpoint, ESIGN_DYNAMODB_ENDPOINT: dynamoTap.endpoint }
  support = await startLambdaHost({ env, port: supportPort, functions: '*', operatorToken: OPERATOR })
  await startLambda()
  // The reader's SDK clients take the stage's credentials from the environment, as a Lambda's do.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY, AWS_REGION: env.AWS_REGION })
  reader = await createContainer(loadConfig({ ...env, LOG_LEVEL: 'silent' }, process.cwd()), createLogger({ level: 'silent' }), 'test')
})
afterAll(async () => {
  process.env = saved
  await Promise.all([support && killLambdaHost(support), lambda && killLambdaHost(lambda)])
  await reader?.metadata.close()
  await Promise.all([s3Tap?.stop(), dynamoTap?.stop()])
  await stage?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

it(`${TRIALS} seeded Lambda deaths (SIGKILL at a moment or a named step, or a timeout) while sending or signing: all or nothing, and a cold Lambda signs again`, async () => {
  const random = prng(SEED)
  const flow = contractFlow(support.app)
  const sender = await flow.verifiedPerson('沈云崩', '13900002971', 191)
  const completed: string[] = []
  const outcomes: Record<string, number> = { killedWhileSending: 0, sentBeforeKill: 0, killedWhileSigning: 0, signedBeforeKill: 0, diedMidRequest: 0, answeredFirst: 0, timedOut: 0, sameKeyRetries: 0, sameKeyWaits: 0 }
  for (const kind of KINDS) outcomes[kind] = 0

  /** Run `request` against the contracts Lambda and make it die the `kind` way; then a cold Lambda, and the stored state. */
  const die = async (kind: Kind, contractId: string, request: (url: string) => Promise<unknown>) => {
    outcomes[kind]!++
    const victim = lambda
    if (kind === 'timeout') {
      await killLambdaHost(victim)
      await startLambda(100 + Math.floor(random() * 1400))
    }
    const host = lambda
    let remaining = 1 + Math.floor(random() * 2)
    let step = ''
    const hook = (x: TappedExchange) => {
      const hit =
        kind === 'after-put'
          ? x.method === 'PUT' && x.status === 200 && x.path.includes(`/contracts/${contractId}/`)
          : kind === 'after-commit' && x.status === 200 && String(x.headers['x-amz-target']).endsWith('.TransactWriteItems') && x.body.includes(contractId)
      if (hit && --remaining === 0) {
        step = `${x.method} ${x.path.split('?')[0]} ${String(x.headers['x-amz-target'] ?? '')}`
        return killLambdaHost(host)
      }
      return Promise.resolve()
    }
    s3Tap.after(hook)
    dynamoTap.after(hook)
    const pending = request(host.url).catch(() => undefined)
    if (kind === 'delay') {
      await new Promise((r) => setTimeout(r, Math.floor(random() * 1500)))
      await killLambdaHost(host)
    }
    const answer = (await pending) as { status: number } | undefined
    // Died before answering (the connection dropped, or the runtime's 504 at the deadline); else it
    // answered first, and the next request still goes to a cold Lambda.
    const died = answer === undefined || answer.status === 504
    outcomes[died ? 'diedMidRequest' : 'answeredFirst']!++
    if (kind === 'timeout' && died) outcomes.timedOut!++
    await killLambdaHost(host)
    s3Tap.after()
    dynamoTap.after()
    const state = await inspect(contractId)
    if (process.env.LAMBDA_CRASH_REPORT) process.stderr.write(`${contractId} ${kind} ${died ? 'died' : 'answered'} ${step} signed=${state.timelineSigned} status=${state.item?.contract.status}\n`)
    await startLambda()
    return { state, answer, died }
  }
  const on = (url: string) => contractFlow({ ...support.app, url })

  for (let trial = 0; trial < TRIALS; trial++) {
    const signer: Person = await flow.verifiedPerson(`云崩${'一二三四五六七八九十'[trial % 10]}${'甲乙丙丁戊'[Math.floor(trial / 10) % 5]}`, `1390000${5000 + trial}`, 500 + trial)
    const id = await flow.draftForPersons(sender, [signer], { order: [['A']], deadline: new Date(Date.now() + 7 * 86400_000), title: `云端崩溃试验 ${trial}` })
    const duringSend = random() < 0.3
    const sendKind = KINDS[Math.floor(random() * KINDS.length)]!
    // Every way to die comes round while signing (so the default 5 trials see each); the moments within it are seeded.
    const signKind = KINDS[trial % KINDS.length]!

    if (duringSend) {
      outcomes.killedWhileSending!++
      const { state } = await die(sendKind, id, (url) => on(url).call('POST', `/api/contracts/${id}/send`, undefined, sender.token))
      expect([trial, sendKind, state.chainOk]).toEqual([trial, sendKind, true])
      if (state.item!.contract.status === 'sent') {
        outcomes.sentBeforeKill!++
        expect([trial, sendKind, state.latestStored]).toEqual([trial, sendKind, true])
      } else {
        expect([trial, sendKind, state.item!.contract.status, state.item!.contract.document.latestSha256 ?? undefined]).toEqual([trial, sendKind, 'draft', undefined])
        expect((await on(lambda.url).call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
      }
    } else {
      expect((await on(lambda.url).call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
    }

    outcomes.killedWhileSigning!++
    const proof = await flow.confirmIntent(signer, id, 'A')
    const signatureId = await flow.personalSeal(signer)
    const sign = (url: string, key = randomUUID()) => on(url).call('POST', `/api/contracts/${id}/sign`, { intentProofId: proof, signatureId, values: {} }, signer.token, { 'idempotency-key': key })
    const attemptKey = randomUUID()
    const { state, died } = await die(signKind, id, (url) => sign(url, attemptKey))
    expect([trial, signKind, state.chainOk, state.latestStored]).toEqual([trial, signKind, true, true])
    // No orphan evidence: the timeline and the evidence chain agree.
    expect([trial, signKind, state.chainSigned]).toEqual([trial, signKind, state.timelineSigned])
    if (state.finalStored !== undefined) expect([trial, signKind, state.finalStored]).toEqual([trial, signKind, true])
    if (state.item!.contract.signers.A!.status === 'signed') {
      outcomes.signedBeforeKill!++
      expect([trial, signKind, state.timelineSigned]).toEqual([trial, signKind, 1])
      expect(state.item!.contract.document.latestSha256).not.toBe(state.item!.contract.document.preparedSha256)
    } else {
      expect([trial, signKind, state.timelineSigned, state.item!.contract.document.latestSha256]).toEqual([trial, signKind, 0, state.item!.contract.document.preparedSha256])
    }
    if (died) {
      // The app sends an attempt that got no answer again with the same key (signing/lib/sign-flow.ts):
      // the dead invocation's claim on the key holds it off (IDEMPOTENCY_IN_PROGRESS) only until that
      // invocation's deadline (plus a second), not for the full 5-minute lease; then the retry signs,
      // or finds the signature recorded.
      const giveUp = Date.now() + FUNCTION_TIMEOUT_MS + 3000
      let retry = await sign(lambda.url, attemptKey)
      while (retry.body.error?.code === 'IDEMPOTENCY_IN_PROGRESS' && Date.now() < giveUp) {
        outcomes.sameKeyWaits!++
        await new Promise((r) => setTimeout(r, 500))
        retry = await sign(lambda.url, attemptKey)
      }
      const signedBefore = state.item!.contract.signers.A!.status === 'signed'
      // Recorded before the death: the completed contract (one signer) refuses a second signature.
      expect([trial, signKind, retry.status, retry.body.status ?? retry.body.error?.code]).toEqual([trial, signKind, signedBefore ? 409 : 200, signedBefore ? 'CONTRACT_CLOSED' : 'signed'])
      outcomes.sameKeyRetries!++
    }
    if (!died && state.item!.contract.signers.A!.status !== 'signed') {
      // The intent proof of the lost attempt is still good (it is used only when the signature is recorded).
      const again = await sign(lambda.url)
      expect([trial, signKind, again.status, again.body.status ?? again.body.error?.code]).toEqual([trial, signKind, 200, 'signed'])
    }
    const pdf = await on(lambda.url).download(sender.token, id)
    const file = path.join(tmp, `trial-${trial}.pdf`)
    fs.writeFileSync(file, pdf)
    const signatures = pdfsig(file).signatures
    const q = qpdfCheck(file)
    const signers = signatures.filter((s) => !isDocumentTimestamp(s))
    // One signer signature, valid for pdfsig; the completion's document time-stamp; qpdf clean.
    expect([trial, signKind, signers.length, signers.filter((s) => s.valid).length, signatures.length - signers.length, q.ok ? 'ok' : q.output]).toEqual([trial, signKind, 1, 1, 1, 'ok'])
    expect([trial, (await inspect(id)).chainOk]).toEqual([trial, true])
    completed.push(id)
  }
  // Nothing from earlier trials was lost.
  for (const id of completed) expect([id, (await on(lambda.url).call('GET', `/api/contracts/${id}`, undefined, sender.token)).body.status]).toEqual([id, 'completed'])
  expect(outcomes.killedWhileSigning).toBe(TRIALS)
  // The deaths happened mid-request, not only after the answers (the seed replays the same ones).
  expect(outcomes.diedMidRequest).toBeGreaterThanOrEqual(Math.ceil(TRIALS / 2))
  if (process.env.LAMBDA_CRASH_REPORT) process.stderr.write(`lambda crash trials: ${JSON.stringify(outcomes)}\n`)
})
