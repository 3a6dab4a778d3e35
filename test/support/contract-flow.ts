import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { idNumberCheckChar } from '../../cloud-functions/core/identity/id-number'
import { companyKey, memberKey } from '../../cloud-functions/use-cases/identity/records'
import { apiClient, type ApiResponse } from './api-client'
import { makePdf, type TestApp } from './local-app'

/** A synthetic resident ID number with a valid check character (the sandbox passes any such identity). */
export function syntheticIdNumber(n: number): string {
  const first17 = `11010119900101${String(100 + (n % 900)).padStart(3, '0')}`
  return first17 + idNumberCheckChar(first17)
}

export type Person = { name: string; phone: string; idNumber: string; token: string; userId: string }

/**
 * The contract flow over HTTP, as the app drives it: accounts logged in by SMS code and verified
 * through the sandbox face page, uploads, drafts, sends, intent by SMS code, signatures.
 */
export function contractFlow(app: TestApp) {
  const { call, outbox } = apiClient(app)

  /**
   * A JSON POST from the loopback address `127.0.1.<n>`: unauthenticated SMS sends are limited per
   * source address (10 per 10 minutes), and each person of a test is a phone on its own network.
   */
  const postFrom = (n: number, p: string, body: unknown): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body))
      const url = new URL(`${app.url}${p}`)
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: `127.0.1.${2 + (n % 250)}`, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {
            /* not JSON */
          }
          const headers = new Headers()
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v)
          resolve({ status: res.statusCode ?? 0, body: parsed, headers })
        })
      })
      req.on('error', reject)
      req.end(data)
    })

  /** Log in by SMS code (the code read from the sandbox outbox), the request coming from source address `n`. */
  const login = async (phone: string, n = 0): Promise<{ token: string; userId: string }> => {
    const sent = await postFrom(n, '/api/auth/sms-codes', { phone })
    if (sent.status !== 202) throw new Error(`login code: ${JSON.stringify(sent.body)}`)
    const r = await postFrom(n, '/api/auth/sms-login', { phone, code: (await outbox(phone))[0]!.code })
    if (r.status !== 200) throw new Error(`login: ${JSON.stringify(r.body)}`)
    const me = await call('GET', '/api/auth/me', undefined, r.body.token)
    return { token: r.body.token, userId: me.body.userId }
  }

  /** Real-name verification of a logged-in account (sandbox face page: 通过); `n` picks its synthetic ID number. */
  const verify = async (token: string, name: string, phone: string, n: number): Promise<string> => {
    const idNumber = syntheticIdNumber(n)
    const details = await call('POST', '/api/identity/person', { name, idNumber, phone }, token)
    if (details.status !== 200) throw new Error(`person details: ${JSON.stringify(details.body)}`)
    const face = await call('POST', '/api/identity/person/face', {}, token)
    await fetch(face.body.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })
    const result = await call('POST', '/api/identity/person/face/result', undefined, token)
    if (result.body.status !== 'verified') throw new Error(`face: ${JSON.stringify(result.body)}`)
    return idNumber
  }

  /** An account logged in by SMS (from its own source address `n`) and real-name verified. */
  const verifiedPerson = async (name: string, phone: string, n: number): Promise<Person> => {
    const { token, userId } = await login(phone, n)
    const idNumber = await verify(token, name, phone, n)
    return { name, phone, idNumber, token, userId }
  }

  /** A verified company (seeded: the company verification flow has its own tests) with `admin` as its administrator and `members` as operators. */
  const verifiedCompany = async (companyId: string, name: string, admin: Person, members: Person[] = []) => {
    const m = app.deps.metadata
    await m.put({ ...companyKey(companyId), type: 'company', companyId, name, verificationStatus: 'verified', status: 'verified' })
    await m.put({ ...memberKey(companyId, admin.userId), type: 'member', companyId, userId: admin.userId, role: 'admin' })
    for (const p of members) await m.put({ ...memberKey(companyId, p.userId), type: 'member', companyId, userId: p.userId, role: 'operator' })
  }

  const upload = async (token: string, pdf: Uint8Array, fileName = 'contract.pdf'): Promise<string> => {
    const res = await fetch(`${app.url}/api/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(fileName) }, body: pdf })
    const body = (await res.json()) as { id: string }
    if (res.status !== 201 && res.status !== 200) throw new Error(`upload: ${JSON.stringify(body)}`)
    return body.id
  }

  /** A personal seal (人名章) of the caller: its signature id. */
  const personalSeal = async (who: Person): Promise<string> => {
    const r = await call('POST', '/api/seals/personal', {}, who.token)
    if (r.status !== 201) throw new Error(`personal seal: ${JSON.stringify(r.body)}`)
    return r.body.signatureId
  }

  /** Intent by SMS code for the contract's prepared document: the proof id. */
  const confirmIntent = async (who: Person, contractId: string, partyId: string): Promise<string> => {
    const view = await call('POST', `/api/contracts/${contractId}/view`, undefined, who.token)
    const target = { contractId, signerId: partyId, documentHash: view.body.document.preparedSha256 }
    const sent = await call('POST', '/api/signing/intent/sms-codes', target, who.token)
    if (sent.status !== 202) throw new Error(`intent code: ${JSON.stringify(sent.body)}`)
    const code = ((await outbox(who.phone)) as Array<{ code?: string }>).find((e) => e.code)!.code
    const proof = await call('POST', '/api/signing/intent/confirm', { ...target, method: 'sms', code }, who.token)
    if (proof.status !== 201) throw new Error(`intent confirm: ${JSON.stringify(proof.body)}`)
    return proof.body.proofId
  }

  /** View, intent and sign as `who` for `partyId` with a fresh personal seal (or `sealId` for a company). */
  const sign = async (who: Person, contractId: string, partyId: string, o: { sealId?: string; signatureId?: string; values?: Record<string, string | boolean>; key?: string } = {}): Promise<ApiResponse> => {
    const intentProofId = await confirmIntent(who, contractId, partyId)
    const mark = o.sealId ? { sealId: o.sealId } : { signatureId: o.signatureId ?? (await personalSeal(who)) }
    return call('POST', `/api/contracts/${contractId}/sign`, { intentProofId, values: o.values ?? {}, ...mark }, who.token, { 'idempotency-key': o.key ?? randomUUID() })
  }

  /**
   * A draft created by `sender` for the persons `signers` (party ids A, B, … in `order`), one
   * signature field each, on a one-page PDF: its id. `extra` adds to the create body.
   */
  const draftForPersons = async (sender: Person, signers: Person[], o: DraftOptions): Promise<string> => {
    const ids = signers.map((_, i) => String.fromCharCode(65 + i))
    const documentId = await upload(sender.token, await makePdf('Contract', 1))
    const created = await call('POST', '/api/contracts', {
      title: o.title ?? '服务协议',
      documentId,
      parties: signers.map((p, i) => ({ partyId: ids[i], role: 'signer', kind: 'person', name: p.name, phone: p.phone })),
      order: o.order,
      fields: signers.map((_, i) => ({ fieldId: `s${i}`, partyId: ids[i], kind: 'signature', page: 0, rect: slot(i) })),
      deadline: o.deadline.toISOString(),
      ...o.extra,
    }, sender.token)
    if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`)
    return created.body.contractId
  }

  /** The draft of `draftForPersons`, sent: its id. */
  const sendToPersons = async (sender: Person, signers: Person[], o: DraftOptions): Promise<string> => {
    const contractId = await draftForPersons(sender, signers, o)
    const sent = await call('POST', `/api/contracts/${contractId}/send`, undefined, sender.token)
    if (sent.status !== 200) throw new Error(`send: ${JSON.stringify(sent.body)}`)
    return contractId
  }

  /** The PDF of the contract as it is now (`version=original` for the upload). */
  const download = async (token: string, contractId: string, version: 'current' | 'original' = 'current'): Promise<Buffer> => {
    const res = await fetch(`${app.url}/api/contracts/${contractId}/pdf?version=${version}`, { headers: { authorization: `Bearer ${token}` } })
    if (res.status !== 200) throw new Error(`download: ${res.status} ${await res.text()}`)
    return Buffer.from(await res.arrayBuffer())
  }

  return { call, outbox, login, postFrom, verify, verifiedPerson, verifiedCompany, upload, personalSeal, confirmIntent, sign, draftForPersons, sendToPersons, download }
}

/** A draft for persons: the signing order of party ids A, B, …, the deadline, the title (服务协议 by default) and more of the create body. */
type DraftOptions = { order: string[][]; deadline: Date; title?: string; extra?: Record<string, unknown> }

/** A signature field rectangle on an A4 page, in points from the bottom-left corner: column `i` of a row at height `y`. */
export const slot = (i: number, y = 80): [number, number, number, number] => [40 + (i % 4) * 130, y + Math.floor(i / 4) * 70, 120, 60]

/**
 * Waits (up to 30 s) until the checkpoint made right after a contract completed holds its records:
 * the completing sign call answers first and the checkpoint follows (`sign-contract.ts`).
 */
export async function waitForCompletionCheckpoint(call: (method: string, p: string, body?: unknown, token?: string) => Promise<{ status: number; body: { proofs?: Array<{ seq: number }> } }>, contractId: string, token: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = await call('GET', `/api/contracts/${contractId}/evidence/proofs`, undefined, token)
    if (r.status === 200 && (r.body.proofs?.length ?? 0) > 0) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no checkpoint holds the records of ${contractId} 30 s after its completion`)
}
