/**
 * Issue 19, hostile requests: property-based tests generated from `/api/openapi.json` (fast-check)
 * hit every operation of the document as a signed-in user who owns a document, contracts, a
 * company with a seal and a personal signature. Each generated request is broken on purpose —
 * a bad path id, a body from the schema with a required field dropped, an extra field, a value of
 * the wrong type, a string past its maximum, a number past its bounds, deep nesting, not JSON at
 * all, random bytes for a file route, a query value outside its schema, a forged session token,
 * a body over the size limit — and the answer must be a 4xx with an error code (never a 500,
 * never a stack trace), and the user's rows in SQLite and files in the object store are the same
 * before and after. Bounded: HOSTILE_RUNS (default 20) requests per operation, seeded
 * (HOSTILE_SEED) so a failure replays.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { ERROR_MESSAGES } from '../../../cloud-functions/api/error-codes'
import { contractFlow, slot, type Person } from '../../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(900_000)

const RUNS = Number(process.env.HOSTILE_RUNS ?? 20)
const SEED = Number(process.env.HOSTILE_SEED ?? 19)
const MAX_BODY = 256 * 1024

type Schema = {
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  items?: Schema
  enum?: unknown[]
  const?: unknown
  pattern?: string
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  maxItems?: number
  oneOf?: Schema[]
  anyOf?: Schema[]
  allOf?: Schema[]
}
type Parameter = { in: 'path' | 'query'; name: string; required?: boolean; schema?: Schema }
type Operation = { method: string; path: string; parameters: Parameter[]; contentTypes: string[]; bodySchema?: Schema; session: boolean }
type HostileRequest = { kind: string; path: string; query: string; contentType?: string; body?: Buffer; authorization?: string }

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let owner: Person
let operations: Operation[] = []
/** The owner's own ids, by path parameter name: a request that reaches the use case is about the owner's data. */
const own: Record<string, string> = {}

beforeAll(async () => {
  app = await startTestApp({ ESIGN_MAX_BODY_BYTES: String(MAX_BODY) })
  flow = contractFlow(app)
  owner = await flow.verifiedPerson('吕敌意', '13900001951', 151)
  const party = await flow.verifiedPerson('施对方', '13900001952', 152)
  const documentId = await flow.upload(owner.token, await makePdf('Hostile requests'))
  const created = await flow.call('POST', '/api/contracts', {
    title: '敌意请求测试',
    documentId,
    parties: [{ partyId: 'P', role: 'signer', kind: 'person', name: party.name, phone: party.phone }],
    order: [['P']],
    fields: [{ fieldId: 'p1', partyId: 'P', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(Date.now() + 7 * 86400_000).toISOString(),
  }, owner.token)
  expect(created.status).toBe(201)
  expect((await flow.call('POST', `/api/contracts/${created.body.contractId}/send`, undefined, owner.token)).status).toBe(200)
  const companyId = 'hostile-co'
  await flow.verifiedCompany(companyId, '敌意测试有限公司', owner)
  const seal = await flow.call('POST', `/api/seals/companies/${companyId}/seals`, { spec: { kind: 'company-round', companyName: '敌意测试有限公司', sealType: '合同专用章' } }, owner.token)
  expect(seal.status).toBe(201)
  Object.assign(own, {
    id: documentId,
    contractId: created.body.contractId,
    page: '0',
    companyId,
    sealId: seal.body.sealId,
    userId: party.userId,
    requestId: 'no-request',
    inviteId: 'no-invite',
    signatureId: await flow.personalSeal(owner),
    token: 'AAAAAAAAAAAAAAAAAAAAAA',
    name: 'root.cer',
    request: 'MAA',
    key: `documents/${documentId}.pdf`,
  })
  const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> }
  operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, o]) => {
        const content = (o.requestBody?.content ?? {}) as Record<string, { schema?: Schema }>
        return {
          method: m.toUpperCase(),
          path: p,
          parameters: (o.parameters ?? []) as Parameter[],
          contentTypes: Object.keys(content),
          ...(content['application/json']?.schema ? { bodySchema: content['application/json'].schema } : {}),
          session: JSON.stringify(o.security ?? []).includes('session'),
        }
      }),
  )
})
afterAll(async () => app?.stop())

// ── what a broken request looks like ────────────────────────────────────────────────────────────

const HOSTILE_IDS = [' ', '../../etc/passwd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%00', 'a'.repeat(3000), "' OR '1'='1", '{"$ne":null}', '-1', '9'.repeat(40), '\u202egnp.exe', '中文编号', 'null', '__proto__', 'constructor']
const NOT_JSON = ['{', '{"a":', 'nul', '\u0000', '[1,2', '{"a":1}}', '\uFEFF{}', '{"a":1e400}', "{'a':1}"]

const typeOf = (s: Schema | undefined): string | undefined => {
  if (!s) return undefined
  if (typeof s.type === 'string') return s.type
  if (s.enum || s.const !== undefined || s.pattern || s.format) return 'string'
  if (s.properties) return 'object'
  return undefined
}

/** A plausible value of `s` (validity does not matter much: every request is broken on purpose). */
function example(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return 'x'
  if (s.const !== undefined) return s.const
  if (s.enum) return s.enum[0]
  if (s.oneOf?.length) return example(s.oneOf[0], depth + 1)
  if (s.anyOf?.length) return example(s.anyOf[0], depth + 1)
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((x) => example(x, depth + 1) as object))
  switch (typeOf(s)) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v, depth + 1)]))
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => example(s.items, depth + 1))
    case 'integer':
    case 'number':
      return s.minimum ?? 1
    case 'boolean':
      return true
    default:
      if (s.format === 'date-time') return new Date(Date.now() + 86400_000).toISOString()
      if (s.pattern) {
        try {
          return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { numRuns: 1, seed: 1 })[0]
        } catch {
          return 'x'
        }
      }
      return 'x'.repeat(Math.max(2, s.minLength ?? 0))
  }
}

/** A value that is surely not of `s`'s type. */
function wrongType(s: Schema): fc.Arbitrary<unknown> {
  const t = typeOf(s)
  const options: Array<fc.Arbitrary<unknown>> = []
  if (t !== 'string') options.push(fc.string({ maxLength: 20 }))
  if (t !== 'number' && t !== 'integer') options.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })))
  if (t !== 'boolean') options.push(fc.boolean())
  if (t !== 'array') options.push(fc.array(fc.integer(), { maxLength: 3 }))
  if (t !== 'object') options.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }))
  return fc.oneof(...options, fc.constant(null))
}

function deepNesting(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth)
}

/** Ways to break a JSON body of `schema`; each one surely makes it invalid. */
function brokenBodies(schema: Schema): fc.Arbitrary<{ kind: string; text: string }> {
  const base = example(schema) as Record<string, unknown>
  const props = Object.entries(schema.properties ?? {})
  const arbs: Array<fc.Arbitrary<{ kind: string; text: string }>> = [
    fc.constantFrom(...NOT_JSON).map((text) => ({ kind: 'not JSON', text })),
    fc.integer({ min: 2000, max: 20000 }).map((d) => ({ kind: 'deep nesting', text: deepNesting(d) })),
    // Every body of the API is an object (or a union of objects).
    fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 })).map((v) => ({ kind: 'not an object', text: JSON.stringify(v) })),
  ]
  const required = (schema.required ?? []).filter((k) => k in base)
  if (required.length > 0) {
    arbs.push(fc.constantFrom(...required).map((k) => {
      const { [k]: _dropped, ...rest } = base
      return { kind: `missing ${k}`, text: JSON.stringify(rest) }
    }))
  }
  if (schema.additionalProperties === false) {
    arbs.push(fc.tuple(fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !(k in (schema.properties ?? {})) && k !== '__proto__'), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ kind: `extra field ${k}`, text: JSON.stringify({ ...base, [k]: v }) })))
  }
  const typed = props.filter(([, p]) => typeOf(p) !== undefined && !p.oneOf && !p.anyOf)
  if (typed.length > 0) {
    arbs.push(fc.constantFrom(...typed).chain(([k, p]) => wrongType(p).map((v) => ({ kind: `wrong type for ${k}`, text: JSON.stringify({ ...base, [k]: v }) }))))
  }
  const bounded = props.filter(([, p]) => typeOf(p) === 'string' && p.maxLength !== undefined && !p.enum)
  if (bounded.length > 0) {
    arbs.push(fc.tuple(fc.constantFrom(...bounded), fc.constantFrom(1, 1000, 100_000)).map(([[k, p], extra]) => ({ kind: `${k} past maxLength`, text: JSON.stringify({ ...base, [k]: 'A'.repeat(p.maxLength! + extra) }) })))
  }
  const leaves = typedLeaves(schema, base, [])
  if (leaves.length > 0) {
    arbs.push(fc.constantFrom(...leaves).chain(([at, leaf]) => wrongType(leaf).map((v) => ({ kind: `wrong type at ${at.join('.')}`, text: JSON.stringify(setAt(base, at, v)) }))))
  }
  const numeric = props.filter(([, p]) => (typeOf(p) === 'integer' || typeOf(p) === 'number') && (p.minimum !== undefined || p.maximum !== undefined || typeOf(p) === 'integer'))
  if (numeric.length > 0) {
    arbs.push(fc.constantFrom(...numeric).chain(([k, p]) => {
      const outside: string[] = []
      if (p.minimum !== undefined) outside.push(String(p.minimum - 1))
      if (p.maximum !== undefined) outside.push(String(p.maximum + 1), '1e400')
      if (typeOf(p) === 'integer') outside.push('0.5', '1e400', '9007199254740993.5')
      return fc.constantFrom(...outside).map((n) => ({ kind: `${k} = ${n}`, text: JSON.stringify({ ...base, [k]: 0 }).replace(`"${k}":0`, `"${k}":${n}`) }))
    }))
  }
  return fc.oneof(...arbs)
}

/** Paths to the typed leaves of `value` (an example of `s`), inside objects and arrays, skipping unions. */
function typedLeaves(s: Schema, value: unknown, at: Array<string | number>): Array<[Array<string | number>, Schema]> {
  if (s.oneOf || s.anyOf || at.length > 6) return []
  const t = typeOf(s)
  if (t === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(s.properties ?? {}).flatMap(([k, p]) => typedLeaves(p, (value as Record<string, unknown>)[k], [...at, k]))
  }
  if (t === 'array' && Array.isArray(value) && s.items && value.length > 0) return typedLeaves(s.items, value[0], [...at, 0])
  return t && at.length > 1 ? [[at, s]] : []
}

function setAt(value: unknown, at: Array<string | number>, v: unknown): unknown {
  if (at.length === 0) return v
  const [head, ...rest] = at
  if (Array.isArray(value)) return value.map((x, i) => (i === head ? setAt(x, rest, v) : x))
  return { ...(value as Record<string, unknown>), [head!]: setAt((value as Record<string, unknown>)[head!], rest, v) }
}

/** Query values outside a parameter's schema, when the schema can be violated at all. */
function brokenQueryValue(p: Parameter): fc.Arbitrary<string> | undefined {
  const s = p.schema ?? {}
  const t = typeOf(s)
  if (s.enum) return fc.constantFrom('not-in-enum', 'A'.repeat(500), '%00')
  if (t === 'integer' || t === 'number') return fc.constantFrom('abc', '-99999999999', '1e400', '0x10', '')
  if (s.pattern || s.format) {
    // Only values the pattern really refuses (an id pattern may well accept "2026-13-45").
    const pattern = s.pattern ? new RegExp(s.pattern, 'u') : undefined
    const broken = ['%00', 'not a date', '2026-13-45', 'A'.repeat(5000)].filter((v) => !pattern?.test(decodeURIComponent(v)))
    return broken.length ? fc.constantFrom(...broken) : undefined
  }
  if (s.maxLength !== undefined) return fc.constant('A'.repeat(s.maxLength + 1))
  return undefined
}

const fill = (p: string, values: Record<string, string>) => p.replace(/\{(\w+)\+?\}/g, (_m, name: string) => values[name] ?? own[name] ?? 'x')
const ownPath = (op: Operation) => fill(op.path, Object.fromEntries(Object.entries(own).map(([k, v]) => [k, encodeURIComponent(v).replace(/%2F/g, '/')])))

/** Every way to break a request to `op` that the operation allows. */
function hostileRequests(op: Operation): fc.Arbitrary<HostileRequest> | undefined {
  const arbs: Array<fc.Arbitrary<HostileRequest>> = []
  const pathParams = op.parameters.filter((p) => p.in === 'path')
  const json = op.contentTypes.includes('application/json')
  const okBody = op.bodySchema ? Buffer.from(JSON.stringify(example(op.bodySchema))) : undefined
  const base = { query: '', ...(json ? { contentType: 'application/json', body: okBody } : {}) }
  if (pathParams.length > 0) {
    arbs.push(fc.tuple(fc.constantFrom(...pathParams), fc.constantFrom(...HOSTILE_IDS)).map(([p, bad]) => ({ ...base, kind: `bad ${p.name}: ${bad.slice(0, 20)}`, path: fill(op.path, { ...Object.fromEntries(Object.entries(own).map(([k, v]) => [k, encodeURIComponent(v)])), [p.name]: encodeURIComponent(bad) }) })))
  }
  if (op.bodySchema && json) {
    arbs.push(brokenBodies(op.bodySchema).map((b) => ({ kind: b.kind, path: ownPath(op), query: '', contentType: 'application/json', body: Buffer.from(b.text) })))
    arbs.push(fc.constant({ kind: 'over the size limit', path: ownPath(op), query: '', contentType: 'application/json', body: Buffer.from(`{"x":"${'A'.repeat(MAX_BODY + 10)}"}`) }))
  }
  const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => [p, brokenQueryValue(p)] as const).filter((x): x is readonly [Parameter, fc.Arbitrary<string>] => x[1] !== undefined)
  if (queryParams.length > 0) {
    arbs.push(fc.constantFrom(...queryParams).chain(([p, values]) => values.map((v) => ({ ...base, kind: `query ${p.name}=${v.slice(0, 20)}`, path: ownPath(op), query: `?${p.name}=${encodeURIComponent(v)}` }))))
  }
  const raw = op.contentTypes.filter((t) => t !== 'application/json')
  if (raw.length > 0 && !json) {
    arbs.push(fc.tuple(fc.constantFrom(...raw), fc.oneof(fc.uint8Array({ maxLength: 4000 }), fc.constant(new Uint8Array()), fc.constant(new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<<'))))).map(([t, bytes]) => ({ kind: `random bytes as ${t}`, path: ownPath(op), query: '', contentType: t.startsWith('multipart/') ? `${t}; boundary=xyz` : t, body: Buffer.from(bytes) })))
    arbs.push(fc.constant({ kind: 'over the size limit', path: ownPath(op), query: '', contentType: raw[0]!, body: Buffer.alloc(MAX_BODY + 10, 0x41) }))
  }
  if (op.session) {
    arbs.push(fc.oneof(fc.constantFrom('Bearer ', 'Bearer x', 'Basic dXNlcjpwYXNz', `Bearer ${owner.token}x`, `Bearer ${owner.token.split('.').reverse().join('.')}`, 'Bearer a.b.c'), fc.string({ maxLength: 200 }).map((s) => `Bearer ${s}`)).map((authorization) => ({ ...base, kind: 'forged session', path: ownPath(op), authorization })))
  }
  return arbs.length > 0 ? fc.oneof(...arbs) : undefined
}

// ── what must hold ──────────────────────────────────────────────────────────────────────────────

/** Protocol endpoints answer a malformed request inside their protocol (an OCSP or TSP error response with 200). */
const PROTOCOL = new Set(['POST /api/pki/ocsp', 'GET /api/pki/ocsp/{request}', 'POST /api/pki/tsa'])

async function send(r: HostileRequest, method: string) {
  const headers: Record<string, string> = { authorization: r.authorization ?? `Bearer ${owner.token}`, 'idempotency-key': `hostile-${Math.random().toString(36).slice(2)}` }
  if (r.contentType) headers['content-type'] = r.contentType
  const started = Date.now()
  if (process.env.HOSTILE_TRACE) fs.appendFileSync(process.env.HOSTILE_TRACE, `${method} ${r.path.slice(0, 200)}${r.query.slice(0, 100)} [${r.kind.slice(0, 80)}] ${r.body?.length ?? 0}\n`)
  const res = await fetch(`${app.url}${r.path}${r.query}`, { method, headers, ...(r.body && method !== 'GET' && method !== 'DELETE' ? { body: r.body } : {}), redirect: 'manual', signal: AbortSignal.timeout(15_000) }).catch((e: Error) => {
    throw new Error(`no answer after ${Date.now() - started} ms (${e.name}): ${method} ${r.path.slice(0, 100)}${r.query.slice(0, 50)} [${r.kind}]`)
  })
  const text = await res.text()
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: res.status, text, body, contentType: res.headers.get('content-type') ?? '' }
}

/** The stored data: every SQLite row except idempotency answers (a refused retry key is remembered by design), and every object file with its hash. */
function snapshot(): string {
  const db = new Database(path.join(app.dataDir, fs.readdirSync(app.dataDir).find((f) => f.endsWith('.sqlite'))!), { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare(`SELECT pk, sk, version, data FROM items WHERE pk NOT LIKE 'IDEMPOTENCY#%' ORDER BY pk, sk`).all()
    const files: string[] = []
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else files.push(`${path.relative(app.dataDir, p)} ${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`)
      }
    }
    walk(path.join(app.dataDir, 'objects'))
    return JSON.stringify({ rows, files: files.sort() })
  } finally {
    db.close()
  }
}

const STACK = /\n\s+at\s|\.[jt]s:\d+:\d+|node_modules|Error: |TypeError|RangeError|SyntaxError/

describe('hostile requests against every operation of /api/openapi.json', () => {
  it('the document lists the operations (the test below runs one property per operation)', () => {
    expect(operations.length).toBeGreaterThan(80)
  })

  it(`every operation: ${RUNS} broken requests each → 4xx with an error code, no stack trace, nothing stored changes`, async () => {
    const report: string[] = []
    let requests = 0
    for (const op of operations) {
      const name = `${op.method} ${op.path}`
      const arb = hostileRequests(op)
      if (!arb) {
        report.push(`${name}: takes no input to break`)
        continue
      }
      const before = snapshot()
      const result = await fc.check(
        fc.asyncProperty(arb, async (r) => {
          requests++
          const res = await send(r, op.method)
          const where = `${name} [${r.kind}] → ${res.status} ${res.text.slice(0, 200)}`
          if (STACK.test(res.text)) throw new Error(`stack trace or internals in the answer: ${where}`)
          if (PROTOCOL.has(name)) {
            if (res.status >= 500) throw new Error(where)
            return
          }
          if (res.status < 400 || res.status >= 500) throw new Error(`not a 4xx: ${where}`)
          if (res.contentType.includes('json')) {
            const code = res.body?.error?.code
            if (typeof code !== 'string' || !(code in ERROR_MESSAGES) || typeof res.body.error.message !== 'string') throw new Error(`no error code: ${where}`)
          } else if (!(res.status === 404 && name.startsWith('GET /api/identity/sandbox/face/'))) {
            throw new Error(`not a JSON error: ${where}`)
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      )
      if (result.failed) report.push(`${name}: ${fc.defaultReportMessage(result)?.split('\n').slice(0, 4).join(' ')}`)
      const after = snapshot()
      if (after !== before) report.push(`${name}: stored data changed`)
    }
    const failures = report.filter((l) => !l.endsWith('takes no input to break'))
    expect(failures).toEqual([])
    // Only these take nothing a caller could break (no body, no parameters, no session).
    expect(report.map((l) => l.replace(': takes no input to break', ''))).toEqual(['GET /api/health', 'GET /api/pki/crl/issuing.crl', 'GET /api/pki/crl/root.crl', 'GET /api/openapi.json'])
    expect(requests).toBeGreaterThan(operations.length * RUNS * 0.8)
  })
})
