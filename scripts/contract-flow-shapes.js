'use strict'
/**
 * Completed contracts of each shape, made through the HTTP flow of the real local server (the
 * compiled build, sandbox providers), for outside judges (scripts/judge-pyhanko.js):
 * - `two in sequence`: persons A then B;
 * - `company + person in parallel`: a company (its admin seals, with a 骑缝章 field) and a person in
 *   one group;
 * - `mixed groups`: A, then B and C, then D.
 * Each person logs in by SMS code (sandbox outbox), passes the sandbox face check, confirms intent
 * by SMS code and signs with a personal seal, as the app does. The company is seeded as verified
 * (its verification flow has its own tests).
 *
 * `makeContractShapes(buildDir, dataDir, documentPath)` → `[{ name, file, signatures, knownLimitation }]`
 * (the PDFs written beside `dataDir`), after stopping the server. The company shape is made twice:
 * the company seals first, and the person signs first (`knownLimitation`: see below).
 */
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')

const slot = (i, y = 80) => [40 + (i % 4) * 130, y + Math.floor(i / 4) * 70, 120, 60]

/** A resident ID number with a valid check character (the sandbox accepts any such identity). */
function idNumber(n) {
  const first17 = `11010119900101${String(100 + (n % 900)).padStart(3, '0')}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

async function makeContractShapes(buildDir, dataDir, documentPath) {
  const req = (m) => require(path.join(buildDir, m))
  const { loadConfig } = req('runtime/config')
  const { createContainer } = req('runtime/container')
  const { startLocalServer } = req('runtime/local-server')
  const { closeCpuWork } = req('runtime/cpu-work')
  const { createLogger } = req('runtime/logger')
  const { ALL_ROUTES } = req('handlers/all-routes')
  const { companyKey, memberKey } = req('use-cases/identity/records')

  const operator = require('node:crypto').randomBytes(16).toString('hex')
  const port = await new Promise((resolve) => {
    const s = require('node:net').createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
  const config = loadConfig({ ESIGN_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ESIGN_OPERATOR_TOKEN: operator }, process.cwd())
  const sink = new (require('node:stream').Writable)({ write: (_c, _e, done) => done() })
  const deps = await createContainer(config, createLogger({ level: 'warn', destination: sink }), 'judge')
  const server = await startLocalServer(deps, ALL_ROUTES)

  /** One HTTP call from loopback address 127.0.1.<n> (unauthenticated SMS sends are limited per source). */
  const call = (method, p, body, token, o = {}) =>
    new Promise((resolve, reject) => {
      const raw = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body))
      const headers = {
        ...(raw ? { 'content-type': Buffer.isBuffer(body) ? 'application/pdf' : 'application/json', 'content-length': raw.length } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(p.startsWith('/api/identity/sandbox/outbox') ? { 'x-operator-token': operator } : {}),
        ...(o.headers ?? {}),
      }
      const r = http.request({ host: '127.0.0.1', port, path: p, method, headers, localAddress: `127.0.1.${2 + ((o.from ?? 0) % 250)}` }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const bytes = Buffer.concat(chunks)
          let parsed = bytes
          if (/json/.test(res.headers['content-type'] ?? '')) parsed = JSON.parse(bytes.toString('utf8'))
          resolve({ status: res.statusCode, body: parsed })
        })
      })
      r.on('error', reject)
      r.end(raw)
    })
  const must = async (what, promise, status) => {
    const r = await promise
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)
    return r.body
  }
  const outbox = async (phone) => (await must('outbox', call('GET', `/api/identity/sandbox/outbox?phone=${phone}`), 200)).entries

  let people = 0
  const person = async (name, phone) => {
    const n = ++people
    await must('login code', call('POST', '/api/auth/sms-codes', { phone }, undefined, { from: n }), 202)
    const { token } = await must('login', call('POST', '/api/auth/sms-login', { phone, code: (await outbox(phone))[0].code }, undefined, { from: n }), 200)
    const me = await must('me', call('GET', '/api/auth/me', undefined, token), 200)
    await must('person', call('POST', '/api/identity/person', { name, idNumber: idNumber(900 + n), phone }, token), 200)
    const face = await must('face', call('POST', '/api/identity/person/face', {}, token), 200)
    await fetch(face.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=pass', redirect: 'manual' })
    const result = await must('face result', call('POST', '/api/identity/person/face/result', undefined, token), 200)
    if (result.status !== 'verified') throw new Error(`face: ${JSON.stringify(result)}`)
    return { name, phone, token, userId: me.userId }
  }
  const sign = async (who, id, partyId, mark) => {
    const view = await must('view', call('POST', `/api/contracts/${id}/view`, undefined, who.token), 200)
    const target = { contractId: id, signerId: partyId, documentHash: view.document.preparedSha256 }
    await must('intent code', call('POST', '/api/signing/intent/sms-codes', target, who.token), 202)
    const code = (await outbox(who.phone)).find((e) => e.code).code
    const proof = await must('intent', call('POST', '/api/signing/intent/confirm', { ...target, method: 'sms', code }, who.token), 201)
    const signature = mark ?? { signatureId: (await must('personal seal', call('POST', '/api/seals/personal', {}, who.token), 201)).signatureId }
    const r = await must('sign', call('POST', `/api/contracts/${id}/sign`, { intentProofId: proof.proofId, ...signature }, who.token, { headers: { 'idempotency-key': `judge-${id}-${partyId}` } }), 200)
    if (r.status !== 'signed') throw new Error(`sign ${partyId}: ${r.status}`)
    return r
  }
  const pdf = fs.readFileSync(documentPath)
  const contract = async (sender, title, body) => {
    const doc = await call('POST', '/api/documents', pdf, sender.token, { headers: { 'x-file-name': encodeURIComponent(path.basename(documentPath)) } })
    if (doc.status !== 201 && doc.status !== 200) throw new Error(`upload: ${doc.status}`)
    const deadline = new Date(Date.now() + 7 * 86400_000).toISOString()
    const created = await must('create', call('POST', '/api/contracts', { title, documentId: doc.body.id, deadline, ...body }, sender.token), 201)
    await must('send', call('POST', `/api/contracts/${created.contractId}/send`, undefined, sender.token), 200)
    return created.contractId
  }
  const download = (who, id) => must('download', call('GET', `/api/contracts/${id}/pdf`, undefined, who.token), 200)
  const personParty = (partyId, p) => ({ partyId, role: 'signer', kind: 'person', name: p.name, phone: p.phone })
  const out = []
  const keep = async (name, who, id, signatures, o = {}) => {
    const file = path.join(path.dirname(dataDir), `flow-${name.replace(/[^\w]+/g, '-')}.pdf`)
    fs.writeFileSync(file, await download(who, id))
    out.push({ name: `HTTP flow: ${name}`, file, signatures, knownLimitation: o.knownLimitation === true })
  }

  try {
    const last = 1 // the document's last page (0-based) for the marks
    // Two persons in sequence.
    const [zhang, li] = [await person('张明', '13900011001'), await person('李华', '13900011002')]
    let id = await contract(zhang, '房屋租赁合同', {
      parties: [personParty('A', zhang), personParty('B', li)],
      order: [['A'], ['B']],
      fields: [
        { fieldId: 'sa', partyId: 'A', kind: 'signature', page: last, rect: slot(0) },
        { fieldId: 'sb', partyId: 'B', kind: 'signature', page: last, rect: slot(1) },
        { fieldId: 'db', partyId: 'B', kind: 'date', page: last, rect: slot(1, 160) },
      ],
    })
    await sign(zhang, id, 'A')
    await sign(li, id, 'B')
    await keep('two in sequence', li, id, 2)

    // A company (an admin seals; a 骑缝章 field) and a person in one group, in both orders of arrival.
    const admins = [await person('王建国', '13900011003'), await person('王志强', '13900011009')]
    const persons = [await person('吴芳', '13900011004'), await person('陈静', '13900011010')]
    const companyId = deps.ids.newId()
    const companyName = '华南示例科技有限公司'
    await deps.metadata.put({ ...companyKey(companyId), type: 'company', companyId, name: companyName, verificationStatus: 'verified', status: 'verified' })
    for (const a of admins) await deps.metadata.put({ ...memberKey(companyId, a.userId), type: 'member', companyId, userId: a.userId, role: 'admin' })
    const seal = await must('company seal', call('POST', `/api/seals/companies/${companyId}/seals`, { spec: { kind: 'company-round', companyName, sealType: '合同专用章' } }, admins[0].token), 201)
    for (const [i, companyFirst] of [true, false].entries()) {
      const admin = admins[i]
      const other = persons[i]
      id = await contract(admin, '技术服务合同', {
        senderCompanyId: companyId,
        parties: [{ partyId: 'C', role: 'signer', kind: 'company', companyName, member: { name: admin.name, phone: admin.phone } }, personParty('P', other)],
        order: [['C', 'P']],
        fields: [
          { fieldId: 'seal', partyId: 'C', kind: 'seal', page: last, rect: slot(0) },
          { fieldId: 'xp', partyId: 'C', kind: 'cross-page-seal', size: 90 },
          { fieldId: 'sp', partyId: 'P', kind: 'signature', page: last, rect: slot(1) },
        ],
      })
      const sealC = () => sign(admin, id, 'C', { sealId: seal.sealId })
      const signP = () => sign(other, id, 'P')
      if (companyFirst) {
        await sealC()
        await signP()
        await keep('company + person in parallel, 骑缝章, company first', other, id, 2)
      } else {
        await signP()
        await sealC()
        // pyHanko 0.20.1 whitelists appearance updates only on a signature field itself, not on its
        // widget kids: the 骑缝章 strips the company's signature draws are "unexplained xrefs" to the
        // person's earlier signature (as the prepared + certified 骑缝章 variant above). Shown, not counted.
        await keep('company + person in parallel, 骑缝章, person first', other, id, 2, { knownLimitation: true })
      }
    }

    // Mixed groups: A, then B and C, then D.
    const four = [await person('周一', '13900011005'), await person('吴二', '13900011006'), await person('郑三', '13900011007'), await person('冯四', '13900011008')]
    id = await contract(four[0], '合伙协议', {
      parties: four.map((p, i) => personParty('ABCD'[i], p)),
      order: [['A'], ['B', 'C'], ['D']],
      fields: four.map((_, i) => ({ fieldId: `s${i}`, partyId: 'ABCD'[i], kind: 'signature', page: last, rect: slot(i) })),
    })
    await sign(four[0], id, 'A')
    await Promise.all([sign(four[1], id, 'B'), sign(four[2], id, 'C')])
    await sign(four[3], id, 'D')
    await keep('mixed groups', four[3], id, 4)
  } finally {
    await server.close()
    await closeCpuWork(deps)
    await deps.metadata.close()
  }
  return out
}

module.exports = { makeContractShapes }
