/**
 * Issue 19, crashes: the compiled local server (`node build/cloud-functions/runtime/local-server-main.js`)
 * is killed with SIGKILL at a seeded random moment while a contract is being sent or signed, then
 * started again on the same data folder. After each restart: the contract is either sent (its
 * prepared revision stored and recorded) or still a draft, either signed (revision stored and
 * recorded, SignerSigned in the timeline and party.signed in the evidence chain, once each) or not (the record
 * points at a stored revision, no SignerSigned anywhere); the evidence chain verifies; sending and
 * signing again work and the PDF is judged valid; every earlier contract is still complete.
 * CRASH_TRIALS (default 10; 50 for the run) and CRASH_SEED.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../../cloud-functions/runtime/config'
import { createContainer } from '../../../cloud-functions/runtime/container'
import { createLogger } from '../../../cloud-functions/runtime/logger'
import { contractFlow, type Person } from '../../support/contract-flow'
import { expectJudgedValid, judgeContractPdf } from '../../support/contract-judges'
import { requireTools, tempDir } from '../../support/pdf-tools'
import { killServerProcess, startServerProcess, type ServerProcess } from '../../support/server-process'
import { storedContractState } from '../../support/stored-contract-state'

jest.setTimeout(900_000)

const TRIALS = Number(process.env.CRASH_TRIALS ?? 10)
const SEED = Number(process.env.CRASH_SEED ?? 19)
const OPERATOR = randomBytes(24).toString('hex')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-crash-'))
const tmp = tempDir('crash-recovery-')

/** mulberry32: the kill moments replay from CRASH_SEED. */
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

type Server = ServerProcess
const start = (): Promise<Server> => startServerProcess({ dataDir, operatorToken: OPERATOR })
const kill = killServerProcess

/** The stored state, read with the product's own records while the server is down. */
async function inspect(contractId: string) {
  const config = loadConfig({ ESIGN_DATA_DIR: dataDir, ESIGN_OPERATOR_TOKEN: OPERATOR }, process.cwd())
  const deps = await createContainer(config, createLogger({ level: 'silent' }), 'test')
  try {
    return await storedContractState(deps, contractId)
  } finally {
    await deps.metadata.close()
  }
}

beforeAll(() => requireTools('pdfsig', 'qpdf'))
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true })
  fs.rmSync(tmp, { recursive: true, force: true })
})

it(`${TRIALS} seeded kill -9 trials while sending or signing: after each restart, all or nothing, and signing again works`, async () => {
  const random = prng(SEED)
  let server = await start()
  let flow = contractFlow(server.app)
  const sender = await flow.verifiedPerson('沈崩溃', '13900001971', 171)
  const completed: string[] = []
  const outcomes = { killedWhileSending: 0, sentBeforeKill: 0, killedWhileSigning: 0, signedBeforeKill: 0 }
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      const signer: Person = await flow.verifiedPerson(`崩溃${'一二三四五六七八九十'[trial % 10]}${'甲乙丙丁戊'[Math.floor(trial / 10) % 5]}`, `1390000${3000 + trial}`, 400 + trial)
      const id = await flow.draftForPersons(sender, [signer], { order: [['A']], deadline: new Date(Date.now() + 7 * 86400_000), title: `崩溃试验 ${trial}` })
      const duringSend = random() < 0.3
      const delay = Math.floor(random() * (duringSend ? 150 : 400))
      const fire = async (request: () => Promise<unknown>) => {
        const pending = request().catch(() => undefined)
        await new Promise((r) => setTimeout(r, delay))
        await kill(server)
        await pending
        const state = await inspect(id)
        server = await start()
        flow = contractFlow(server.app)
        return state
      }

      if (duringSend) {
        outcomes.killedWhileSending++
        const state = await fire(() => flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token))
        expect(state.chainOk).toBe(true)
        if (state.item!.contract.status === 'sent') {
          outcomes.sentBeforeKill++
          expect(state.latestStored).toBe(true)
        } else {
          expect(state.item!.contract.status).toBe('draft')
          expect(state.item!.contract.document.latestSha256 ?? undefined).toBeUndefined()
          expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
        }
      } else {
        expect((await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)).status).toBe(200)
      }

      outcomes.killedWhileSigning++
      const proof = await flow.confirmIntent(signer, id, 'A')
      const signatureId = await flow.personalSeal(signer)
      const state = await fire(() => flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: proof, signatureId, values: {} }, signer.token, { 'idempotency-key': randomUUID() }))
      expect([trial, state.chainOk, state.latestStored]).toEqual([trial, true, true])
      expect([trial, state.timelineSigned, state.chainSigned].slice(1).every((n) => n === state.timelineSigned)).toBe(true)
      if (state.item!.contract.signers.A!.status === 'signed') {
        outcomes.signedBeforeKill++
        expect([trial, state.timelineSigned]).toEqual([trial, 1])
        expect(state.item!.contract.document.latestSha256).not.toBe(state.item!.contract.document.preparedSha256)
      } else {
        expect([trial, state.timelineSigned, state.item!.contract.document.latestSha256]).toEqual([trial, 0, state.item!.contract.document.preparedSha256])
        // The intent proof of the lost attempt is still good (it is used only when the signature is recorded).
        const again = await flow.call('POST', `/api/contracts/${id}/sign`, { intentProofId: proof, signatureId, values: {} }, signer.token, { 'idempotency-key': randomUUID() })
        expect([trial, again.status, again.body.status ?? again.body.error?.code]).toEqual([trial, 200, 'signed'])
      }
      expectJudgedValid(judgeContractPdf(await flow.download(sender.token, id), { dir: tmp, name: `trial-${trial}`, dataDir }), { signed: 1, completed: true })
      completed.push(id)
    }
    // Nothing from earlier trials was lost.
    for (const id of completed) expect([id, (await flow.call('GET', `/api/contracts/${id}`, undefined, sender.token)).body.status]).toEqual([id, 'completed'])
    expect(outcomes.killedWhileSigning).toBe(TRIALS)
    if (process.env.CRASH_REPORT) process.stderr.write(`crash trials: ${JSON.stringify(outcomes)}\n`)
  } finally {
    await kill(server)
  }
})
