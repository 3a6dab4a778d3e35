/**
 * Issue 19, authorisation matrix: every route of the product (read from `ALL_ROUTES` and from
 * `/api/openapi.json`, so a route added without a row here fails the first test, naming it) ×
 * seven callers → the expected allow or deny, from ONE table (`MATRIX`). The callers:
 *
 * - `anonymous`   no session
 * - `otherUser`   a verified account with no relation to anything below
 * - `otherParty`  the signer of another contract (contract B, sent by `otherUser`)
 * - `sender`      the sender of contract A (also the owner of a document and a personal seal)
 * - `party`       the signer of contract A (and invited to company C)
 * - `member`      an operator of company C without a grant on its seal
 * - `admin`       the administrator of company C
 *
 * An expectation is `ok` (2xx), `pass` (got past every access check: not 401/403/404 and not a
 * server error; a use-case answer such as a wrong intent code is fine) or an exact deny
 * `[status, code]`. Denials run first, so a caller that is allowed to change state does so last.
 * Everything is set up through the HTTP API with the sandbox providers; only the company (its own
 * verification flow is tested elsewhere) is seeded, as test/support/contract-flow.ts does.
 *
 * Then: signing links are unusable for another contract; SMS, signing-link and intent codes lock
 * after 5 wrong tries; ids are random enough to be unguessable; a company's data is never visible
 * to another company.
 */
import { randomUUID } from 'node:crypto'
import { ALL_ROUTES } from '../../../cloud-functions/handlers/all-routes'
import { issueSession } from '../../../cloud-functions/runtime/authenticate'
import { systemIds } from '../../../cloud-functions/runtime/container'
import { memberKey } from '../../../cloud-functions/use-cases/identity/records'
import { endpointItem, newDeliveryItem } from '../../../cloud-functions/use-cases/webhooks/records'
import { bulkJobId, createJob } from '../../../cloud-functions/use-cases/bulk/records'
import { contractFlow, slot, type Person } from '../../support/contract-flow'
import { makePdf, startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(900_000)

const ACTORS = ['anonymous', 'otherUser', 'otherParty', 'sender', 'party', 'member', 'admin'] as const
type Actor = (typeof ACTORS)[number]
/** `'<status> <code>'`, e.g. `'404 CONTRACT_NOT_FOUND'`. */
type Deny = `${number} ${string}`
type Expect = 'ok' | 'pass' | Deny
type Fixtures = {
  people: Record<Exclude<Actor, 'anonymous'>, Person>
  /** Contract A (sender → party, sent and viewed by the party), its party id and prepared hash. */
  contractA: string
  hashA: string
  /** Contract B (otherUser → otherParty, sent). */
  contractB: string
  /** A fresh contract for a row that changes it (`fresh`). */
  contract: string
  documentId: string
  /** The sender's personal seal (a signature id) and the party's. */
  senderSignature: string
  partySignature: string
  companyId: string
  otherCompanyId: string
  /** A company in verification, applied for by the admin, with the member as an operator. */
  pendingCompanyId: string
  sealId: string
  requestId: string
  inviteId: string
  /** The signing link of the party of contract A. */
  linkA: string
  /** A webhook endpoint of company C (seeded: creating one needs a public address) and one delivery of it. */
  webhookId: string
  deliveryId: string
  /** A bulk-send job of the sender's (seeded). */
  bulkJobId: string
  /** A template of company C (made by its admin) and the admin's upload it uses. */
  templateId: string
  templateDocumentId: string
}
type Row = {
  /** `METHOD /path` exactly as in the route table. */
  route: string
  path: (f: Fixtures) => string
  body?: (f: Fixtures) => unknown
  /** Raw body and content type instead of JSON. */
  raw?: { contentType: string; bytes: () => Promise<Uint8Array> }
  /** A fresh contract A-like (`sent`) or draft for this row, in `f.contract`. */
  fresh?: 'sent' | 'draft'
  expect: Record<Actor, Expect>
}

const BOUNDARY = 'matrixboundary'
const UNAUTH: Deny = '401 UNAUTHENTICATED'
const NO_CONTRACT: Deny = '404 CONTRACT_NOT_FOUND'
const NO_COMPANY: Deny = '404 COMPANY_NOT_FOUND'

const all = (e: Expect): Record<Actor, Expect> => Object.fromEntries(ACTORS.map((a) => [a, e])) as Record<Actor, Expect>
/** Public: no session needed, the same for everyone. */
const PUBLIC = all('pass')
/** Any account, about itself. */
const ANY_USER: Record<Actor, Expect> = { ...all('pass'), anonymous: UNAUTH }
/** Only `who`; everyone else signed in gets `hidden`. */
const only = (hidden: Deny, allowed: Partial<Record<Actor, Expect>>): Record<Actor, Expect> => ({ ...all(hidden), anonymous: UNAUTH, ...allowed })
/** Contract A's sender and party; everyone else the same 404 as for a contract that does not exist. */
const CONTRACT_PEOPLE = only(NO_CONTRACT, { sender: 'pass', party: 'pass' })
/** Company C: its members read, outsiders get the 404 of a company that does not exist. */
const COMPANY_MEMBERS = only(NO_COMPANY, { member: 'pass', admin: 'pass' })
const COMPANY_ADMIN = only(NO_COMPANY, { member: '403 FORBIDDEN', admin: 'pass' })
/** Company C's seals: outsiders are refused outright (the seals area answers 403, not 404; company ids are random). */
const SEAL_MEMBERS = only('403 FORBIDDEN', { member: 'pass', admin: 'pass' })
const SEAL_ADMIN = only('403 FORBIDDEN', { admin: 'pass' })
/** Company C's webhooks: its admin only; members and outsiders are refused (403 FORBIDDEN). */
const WEBHOOK_ADMIN = only('403 FORBIDDEN', { admin: 'pass' })
/** Company C's approval policy (审批设置): its admin only (403 FORBIDDEN for members and outsiders). */
const APPROVAL_ADMIN = only('403 FORBIDDEN', { admin: 'pass' })
const webhookBase = (f: Fixtures) => `/api/companies/${f.companyId}/webhooks`
/** Company P (in verification, applied for by the admin): only the applicant takes its steps. */
const APPLICANT = only(NO_COMPANY, { member: '403 FORBIDDEN', admin: 'pass' })
/** The authorisation letter is signed by the legal representative (张三, no account here): the applicant and members are told so. */
const LEGAL_REP_ONLY = only(NO_COMPANY, { member: '403 NOT_LEGAL_REPRESENTATIVE', admin: '403 NOT_LEGAL_REPRESENTATIVE' })
/** The operator's sandbox outbox: no account opens it. */
const OPERATOR_ONLY = all('401 OPERATOR_TOKEN_INVALID')

/** Company C's templates: members read and use them, the admin manages them; outsiders see no template. */
const NO_TEMPLATE: Deny = '404 TEMPLATE_NOT_FOUND'
const templateBody = (f: Fixtures) => ({
  name: '矩阵模板',
  documentId: f.templateDocumentId,
  roles: [
    { roleId: 'A', label: '甲方', kind: 'person', sender: true },
    { roleId: 'B', label: '乙方', kind: 'person' },
  ],
  fields: [
    { fieldId: 'fa', roleId: 'A', kind: 'signature', page: 0, rect: slot(0) },
    { fieldId: 'fb', roleId: 'B', kind: 'signature', page: 0, rect: slot(1) },
  ],
  placeholders: [{ key: '乙方姓名', page: 0, rect: [72, 600, 200, 20] }],
})

const sealBase = (f: Fixtures) => `/api/seals/companies/${f.companyId}/seals/${f.sealId}`
const intent = (f: Fixtures) => ({ contractId: f.contractA, signerId: 'P', documentHash: f.hashA })
const handwriting = { width: 300, height: 120, strokes: [[{ x: 10, y: 10 }, { x: 100, y: 60 }, { x: 200, y: 30 }]] }

/** THE table: one row per route of the product. */
const MATRIX: Row[] = [
  // health, OpenAPI, PKI, verification: public
  { route: 'GET /api/health', path: () => '/api/health', expect: PUBLIC },
  { route: 'GET /api/openapi.json', path: () => '/api/openapi.json', expect: PUBLIC },
  { route: 'GET /api/pki/crl/issuing.crl', path: () => '/api/pki/crl/issuing.crl', expect: PUBLIC },
  { route: 'GET /api/pki/crl/root.crl', path: () => '/api/pki/crl/root.crl', expect: PUBLIC },
  { route: 'POST /api/pki/ocsp', path: () => '/api/pki/ocsp', raw: { contentType: 'application/ocsp-request', bytes: async () => new Uint8Array([0x30, 0x00]) }, expect: PUBLIC },
  { route: 'GET /api/pki/ocsp/{request+}', path: () => '/api/pki/ocsp/MAA%3D', expect: PUBLIC },
  { route: 'POST /api/pki/tsa', path: () => '/api/pki/tsa', raw: { contentType: 'application/timestamp-query', bytes: async () => new Uint8Array([0x30, 0x00]) }, expect: PUBLIC },
  { route: 'GET /api/pki/certs/{name}', path: () => '/api/pki/certs/root.cer', expect: PUBLIC },
  { route: 'POST /api/verify', path: () => '/api/verify', raw: { contentType: 'application/pdf', bytes: () => makePdf('verify me') }, expect: PUBLIC },
  { route: 'POST /api/verify/evidence-package', path: () => '/api/verify/evidence-package', raw: { contentType: 'application/zip', bytes: async () => new Uint8Array(Buffer.from('not a zip')) }, expect: PUBLIC },

  // the caller's own account
  { route: 'POST /api/auth/sms-codes', path: () => '/api/auth/sms-codes', body: () => ({ phone: '13900009999' }), expect: PUBLIC },
  { route: 'POST /api/auth/sms-login', path: () => '/api/auth/sms-login', body: () => ({ phone: '13900009999', code: '000000' }), expect: PUBLIC },
  { route: 'POST /api/auth/wechat-login', path: () => '/api/auth/wechat-login', body: () => ({ code: 'no-such-code' }), expect: all('501 WECHAT_LOGIN_UNAVAILABLE') },
  { route: 'GET /api/auth/me', path: () => '/api/auth/me', expect: { ...ANY_USER, otherUser: 'ok', sender: 'ok' } },
  // Logging out revokes the caller's sessions: the row runs on sessions made for it (see `tokenFor`).
  { route: 'POST /api/auth/logout', path: () => '/api/auth/logout', expect: ANY_USER },
  { route: 'POST /api/auth/logout-all', path: () => '/api/auth/logout-all', expect: ANY_USER },
  { route: 'GET /api/identity/person', path: () => '/api/identity/person', expect: ANY_USER },
  { route: 'POST /api/identity/person', path: () => '/api/identity/person', body: () => ({ name: '测试', idNumber: 'x', phone: 'x' }), expect: ANY_USER },
  { route: 'POST /api/identity/person/face', path: () => '/api/identity/person/face', body: () => ({}), expect: ANY_USER },
  { route: 'POST /api/identity/person/face/result', path: () => '/api/identity/person/face/result', expect: ANY_USER },
  { route: 'GET /api/identity/sandbox/outbox', path: () => '/api/identity/sandbox/outbox', expect: OPERATOR_ONLY },
  // The sandbox face page (HTML): an unknown session is a plain 404 page for everyone.
  { route: 'GET /api/identity/sandbox/face/{token}', path: () => '/api/identity/sandbox/face/not-a-session', expect: all('404 undefined') },
  { route: 'POST /api/identity/sandbox/face/{token}', path: () => '/api/identity/sandbox/face/not-a-session', raw: { contentType: 'application/x-www-form-urlencoded', bytes: async () => Buffer.from('choice=pass') }, expect: PUBLIC },

  // the caller's own messages (站内信) and notification channels; a message id is only ever the caller's own
  { route: 'GET /api/messages', path: () => '/api/messages', expect: ANY_USER },
  { route: 'GET /api/messages/unread-count', path: () => '/api/messages/unread-count', expect: ANY_USER },
  { route: 'GET /api/messages/channels', path: () => '/api/messages/channels', expect: ANY_USER },
  { route: 'PUT /api/messages/channels', path: () => '/api/messages/channels', body: () => ({ sms: true }), expect: ANY_USER },
  { route: 'GET /api/messages/wechat-subscriptions', path: () => '/api/messages/wechat-subscriptions', expect: ANY_USER },
  // No subscription templates are configured in this app: every account is refused alike (their own counts only, by session).
  { route: 'POST /api/messages/wechat-subscriptions', path: () => '/api/messages/wechat-subscriptions', body: () => ({ results: { t1: 'accept' } }), expect: { ...all('400 VALIDATION_FAILED'), anonymous: UNAUTH } },
  { route: 'POST /api/messages/read-all', path: () => '/api/messages/read-all', expect: ANY_USER },
  { route: 'POST /api/messages/{messageId}/read', path: () => '/api/messages/no-such-message/read', expect: only('404 MESSAGE_NOT_FOUND', {}) },

  // companies (company C: member and admin)
  { route: 'POST /api/identity/companies', path: () => '/api/identity/companies', body: () => ({ name: '某某公司', creditCode: 'x', legalRepName: '法人', legalRepIdNumber: 'x' }), expect: ANY_USER },
  { route: 'GET /api/identity/companies', path: () => '/api/identity/companies', expect: ANY_USER },
  { route: 'GET /api/identity/companies/{id}', path: (f) => `/api/identity/companies/${f.companyId}`, expect: COMPANY_MEMBERS },
  { route: 'POST /api/identity/companies/{id}/authorization-letter', path: (f) => `/api/identity/companies/${f.pendingCompanyId}/authorization-letter`, expect: APPLICANT },
  // The letter (generated by the row above) is the company's own document: its members read it.
  { route: 'GET /api/identity/companies/{id}/authorization-letter/content', path: (f) => `/api/identity/companies/${f.pendingCompanyId}/authorization-letter/content`, expect: { ...APPLICANT, admin: 'ok', member: 'ok' } },
  { route: 'POST /api/identity/companies/{id}/authorization-letter/sms-code', path: (f) => `/api/identity/companies/${f.pendingCompanyId}/authorization-letter/sms-code`, expect: LEGAL_REP_ONLY },
  { route: 'POST /api/identity/companies/{id}/authorization-letter/sign', path: (f) => `/api/identity/companies/${f.pendingCompanyId}/authorization-letter/sign`, body: () => ({ code: '000000' }), expect: LEGAL_REP_ONLY },
  { route: 'POST /api/identity/companies/{id}/micro-deposit', path: (f) => `/api/identity/companies/${f.pendingCompanyId}/micro-deposit`, body: () => ({ bankName: '某某银行', bankAccount: '6222000011112222' }), expect: APPLICANT },
  { route: 'POST /api/identity/companies/{id}/micro-deposit/confirm', path: (f) => `/api/identity/companies/${f.pendingCompanyId}/micro-deposit/confirm`, body: () => ({ amount: '0.01' }), expect: APPLICANT },
  { route: 'GET /api/identity/companies/{id}/members', path: (f) => `/api/identity/companies/${f.companyId}/members`, expect: COMPANY_MEMBERS },
  { route: 'POST /api/identity/companies/{id}/invitations', path: (f) => `/api/identity/companies/${f.companyId}/invitations`, body: () => ({ phone: '13900009998', role: 'operator' }), expect: COMPANY_ADMIN },
  { route: 'GET /api/identity/invitations', path: () => '/api/identity/invitations', expect: ANY_USER },

  // documents (the sender's upload)
  { route: 'POST /api/documents', path: () => '/api/documents', raw: { contentType: 'application/pdf', bytes: () => makePdf('matrix upload') }, expect: ANY_USER },
  { route: 'GET /api/documents/{id}', path: (f) => `/api/documents/${f.documentId}`, expect: only('404 DOCUMENT_NOT_FOUND', { sender: 'ok' }) },
  { route: 'PATCH /api/documents/{id}', path: (f) => `/api/documents/${f.documentId}`, body: () => ({ fileName: 'renamed.pdf' }), expect: only('404 DOCUMENT_NOT_FOUND', { sender: 'ok' }) },
  { route: 'GET /api/documents/{id}/content', path: (f) => `/api/documents/${f.documentId}/content`, expect: only('404 DOCUMENT_NOT_FOUND', { sender: 'pass' }) },
  // Page images of an upload (the template editor, before the template exists): its uploader only.
  { route: 'GET /api/documents/{id}/pages/{page}', path: (f) => `/api/documents/${f.documentId}/pages/0?width=300`, expect: only('404 DOCUMENT_NOT_FOUND', { sender: 'ok' }) },

  // contracts (contract A: sender and party)
  { route: 'GET /api/contracts', path: () => '/api/contracts', expect: ANY_USER },
  { route: 'GET /api/contracts/counts', path: () => '/api/contracts/counts', expect: ANY_USER },
  { route: 'POST /api/contracts', path: () => '/api/contracts', body: (f) => ({ title: '空白', documentId: f.documentId, parties: [{ partyId: 'X', role: 'signer', kind: 'person', name: '某人', phone: '13900009997' }], order: [['X']], fields: [], deadline: new Date(Date.now() + 86400_000).toISOString() }), expect: { ...only('404 DOCUMENT_NOT_FOUND', { sender: 'ok' }) } },
  { route: 'GET /api/contracts/{contractId}', path: (f) => `/api/contracts/${f.contractA}`, expect: CONTRACT_PEOPLE },
  { route: 'GET /api/contracts/{contractId}/timeline', path: (f) => `/api/contracts/${f.contractA}/timeline`, expect: CONTRACT_PEOPLE },
  { route: 'GET /api/contracts/{contractId}/signatures', path: (f) => `/api/contracts/${f.contractA}/signatures`, expect: CONTRACT_PEOPLE },
  { route: 'GET /api/contracts/{contractId}/evidence/proofs', path: (f) => `/api/contracts/${f.contractA}/evidence/proofs`, expect: CONTRACT_PEOPLE },
  { route: 'GET /api/contracts/{contractId}/pages/{page}', path: (f) => `/api/contracts/${f.contractA}/pages/0`, expect: CONTRACT_PEOPLE },
  { route: 'GET /api/contracts/{contractId}/pdf', path: (f) => `/api/contracts/${f.contractA}/pdf?version=original`, expect: CONTRACT_PEOPLE },
  // Contract A is not completed: its people get past the access checks to 409 CONTRACT_NOT_COMPLETED.
  { route: 'GET /api/contracts/{contractId}/evidence/report', path: (f) => `/api/contracts/${f.contractA}/evidence/report`, expect: CONTRACT_PEOPLE },
  { route: 'GET /api/contracts/{contractId}/evidence/package', path: (f) => `/api/contracts/${f.contractA}/evidence/package`, expect: CONTRACT_PEOPLE },
  { route: 'POST /api/contracts/{contractId}/view', path: (f) => `/api/contracts/${f.contractA}/view`, expect: CONTRACT_PEOPLE },
  { route: 'POST /api/contracts/{contractId}/archive', path: (f) => `/api/contracts/${f.contract}/archive`, fresh: 'sent', body: () => ({ archived: true }), expect: CONTRACT_PEOPLE },
  { route: 'PUT /api/contracts/{contractId}', path: (f) => `/api/contracts/${f.contract}`, fresh: 'draft', body: (f) => draftBody(f, '改后的合同'), expect: only(NO_CONTRACT, { sender: 'ok' }) },
  { route: 'POST /api/contracts/{contractId}/send', path: (f) => `/api/contracts/${f.contract}/send`, fresh: 'draft', expect: only(NO_CONTRACT, { sender: 'ok' }) },
  { route: 'POST /api/contracts/{contractId}/chase', path: (f) => `/api/contracts/${f.contract}/chase`, fresh: 'sent', body: () => ({}), expect: only(NO_CONTRACT, { sender: 'ok', party: '403 NOT_THE_SENDER' }) },
  { route: 'POST /api/contracts/{contractId}/deadline', path: (f) => `/api/contracts/${f.contract}/deadline`, fresh: 'sent', body: () => ({ deadline: new Date(Date.now() + 60 * 86400_000).toISOString() }), expect: only(NO_CONTRACT, { sender: 'ok', party: '403 NOT_THE_SENDER' }) },
  // 续签 is the sender's; contract A is not completed, so the sender gets past authorisation to CONTRACT_NOT_RENEWABLE (and nothing is created); the renewal itself: test/integration/contracts-renewals.test.ts.
  { route: 'POST /api/contracts/{contractId}/renew', path: (f) => `/api/contracts/${f.contractA}/renew`, body: () => ({ deadline: new Date(Date.now() + 7 * 86400_000).toISOString() }), expect: only(NO_CONTRACT, { sender: '409 CONTRACT_NOT_RENEWABLE', party: '403 NOT_THE_SENDER' }) },
  { route: 'POST /api/contracts/{contractId}/revoke', path: (f) => `/api/contracts/${f.contract}/revoke`, fresh: 'sent', body: () => ({ reason: '不再需要' }), expect: only(NO_CONTRACT, { sender: 'ok', party: '403 NOT_THE_SENDER' }) },
  { route: 'POST /api/contracts/{contractId}/decline', path: (f) => `/api/contracts/${f.contract}/decline`, fresh: 'sent', body: () => ({ reason: '条款不同意' }), expect: only(NO_CONTRACT, { party: 'ok', sender: '403 FORBIDDEN' }) },
  // A made-up intent proof: the party gets past every access check to the intent check.
  { route: 'POST /api/contracts/{contractId}/sign', path: (f) => `/api/contracts/${f.contractA}/sign`, body: (f) => ({ intentProofId: 'no-such-proof', values: {}, signatureId: f.partySignature }), expect: only(NO_CONTRACT, { party: '403 INTENT_PROOF_INVALID', sender: '403 FORBIDDEN' }) },
  // 批量签署: the preview answers each account about its own contracts (an outsider's item is CONTRACT_NOT_FOUND inside a 200); a made-up batch proof is refused before any contract.
  { route: 'POST /api/contracts/batch-sign/preview', path: () => '/api/contracts/batch-sign/preview', body: (f) => ({ contractIds: [f.contractA] }), expect: { ...all('ok'), anonymous: UNAUTH } },
  { route: 'POST /api/contracts/batch-sign', path: () => '/api/contracts/batch-sign', body: (f) => ({ batchId: 'no-such-batch', contractIds: [f.contractA], signatureId: f.partySignature }), expect: { ...all('403 INTENT_PROOF_INVALID'), anonymous: UNAUTH } },

  // signing links: whoever holds the link (it is the secret), session or not
  { route: 'GET /api/signing-links/{token}', path: (f) => `/api/signing-links/${f.linkA}`, expect: all('ok') },
  { route: 'POST /api/signing-links/{token}/sms-codes', path: (f) => `/api/signing-links/${f.linkA}/sms-codes`, expect: PUBLIC },
  { route: 'POST /api/signing-links/{token}/login', path: (f) => `/api/signing-links/${f.linkA}/login`, body: () => ({ code: '000000' }), expect: PUBLIC },

  // intent for contract A's signer: only that signer
  { route: 'POST /api/signing/intent/sms-codes', path: () => '/api/signing/intent/sms-codes', body: intent, expect: only(NO_CONTRACT, { party: 'pass' }) },
  { route: 'POST /api/signing/intent/face', path: () => '/api/signing/intent/face', body: intent, expect: only(NO_CONTRACT, { party: 'pass' }) },
  { route: 'POST /api/signing/intent/confirm', path: () => '/api/signing/intent/confirm', body: (f) => ({ ...intent(f), method: 'sms', code: '000000' }), expect: only(NO_CONTRACT, { party: 'pass' }) },
  // batch intent: every contract of the batch must be the caller's (a face challenge that does not exist: the party gets past every access check)
  { route: 'POST /api/signing/intent/batches/sms-codes', path: () => '/api/signing/intent/batches/sms-codes', body: (f) => ({ items: [intent(f)] }), expect: only(NO_CONTRACT, { party: 'pass' }) },
  { route: 'POST /api/signing/intent/batches/face', path: () => '/api/signing/intent/batches/face', body: (f) => ({ items: [intent(f)] }), expect: only(NO_CONTRACT, { party: 'pass' }) },
  { route: 'POST /api/signing/intent/batches', path: () => '/api/signing/intent/batches', body: (f) => ({ items: [intent(f)], method: 'face', challengeId: 'no-such-challenge' }), expect: only(NO_CONTRACT, { party: '403 INTENT_PROOF_INVALID' }) },
  { route: 'GET /api/signing/intent/batches/{batchId}', path: () => '/api/signing/intent/batches/no-such-batch', expect: { ...all('404 NOT_FOUND'), anonymous: UNAUTH } },

  // seals: drawing previews and one's own signatures
  { route: 'POST /api/seals/preview', path: () => '/api/seals/preview', body: () => ({ spec: { kind: 'company-round', companyName: '某某科技有限公司', sealType: '合同专用章' } }), expect: ANY_USER },
  { route: 'POST /api/seals/handwriting/preview', path: () => '/api/seals/handwriting/preview', body: () => handwriting, expect: ANY_USER },
  { route: 'GET /api/seals/mine', path: () => '/api/seals/mine', expect: ANY_USER },
  { route: 'GET /api/seals/personal', path: () => '/api/seals/personal', expect: ANY_USER },
  { route: 'POST /api/seals/personal', path: () => '/api/seals/personal', body: () => ({}), expect: ANY_USER },
  { route: 'POST /api/seals/personal/handwriting', path: () => '/api/seals/personal/handwriting', body: () => handwriting, expect: ANY_USER },
  { route: 'POST /api/seals/personal/handwriting-photo', path: () => '/api/seals/personal/handwriting-photo', raw: { contentType: 'image/png', bytes: async () => Buffer.from('not a png') }, expect: ANY_USER },
  { route: 'GET /api/seals/personal/{signatureId}/image', path: (f) => `/api/seals/personal/${f.senderSignature}/image`, expect: only('404 NOT_FOUND', { sender: 'ok' }) },

  // company C's seals: members see and ask, the admin manages
  { route: 'GET /api/seals/companies/{companyId}/seals', path: (f) => `/api/seals/companies/${f.companyId}/seals`, expect: SEAL_MEMBERS },
  { route: 'POST /api/seals/companies/{companyId}/seals', path: (f) => `/api/seals/companies/${f.companyId}/seals`, body: () => ({ spec: { kind: 'company-round', companyName: '矩阵测试有限公司', sealType: '财务专用章' } }), expect: SEAL_ADMIN },
  { route: 'POST /api/seals/companies/{companyId}/seals/upload', path: (f) => `/api/seals/companies/${f.companyId}/seals/upload`, raw: { contentType: 'image/png', bytes: async () => Buffer.from('not a png') }, expect: SEAL_ADMIN },
  { route: 'GET /api/seals/companies/{companyId}/seals/{sealId}', path: (f) => sealBase(f), expect: SEAL_MEMBERS },
  { route: 'PATCH /api/seals/companies/{companyId}/seals/{sealId}', path: (f) => sealBase(f), body: () => ({ name: '合同章' }), expect: SEAL_ADMIN },
  { route: 'GET /api/seals/companies/{companyId}/seals/{sealId}/image', path: (f) => `${sealBase(f)}/image`, expect: SEAL_MEMBERS },
  { route: 'GET /api/seals/companies/{companyId}/seals/{sealId}/vector', path: (f) => `${sealBase(f)}/vector`, expect: SEAL_MEMBERS },
  { route: 'GET /api/seals/companies/{companyId}/seals/{sealId}/grants', path: (f) => `${sealBase(f)}/grants`, expect: SEAL_ADMIN },
  { route: 'PUT /api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}', path: (f) => `${sealBase(f)}/grants/${f.people.admin.userId}`, body: () => ({ validUntil: '2099-12-31' }), expect: SEAL_ADMIN },
  { route: 'DELETE /api/seals/companies/{companyId}/seals/{sealId}/grants/{userId}', path: (f) => `${sealBase(f)}/grants/${f.people.admin.userId}`, expect: SEAL_ADMIN },
  { route: 'POST /api/seals/companies/{companyId}/seals/{sealId}/check', path: (f) => `${sealBase(f)}/check`, body: (f) => ({ contractId: f.contractA }), expect: only('403 SEAL_NOT_AUTHORISED', { admin: 'pass' }) },
  // The usage log is open to every member (they see what the seal was used for), not to outsiders.
  { route: 'GET /api/seals/companies/{companyId}/seals/{sealId}/uses', path: (f) => `${sealBase(f)}/uses`, expect: SEAL_MEMBERS },
  { route: 'POST /api/seals/companies/{companyId}/requests', path: (f) => `/api/seals/companies/${f.companyId}/requests`, body: (f) => ({ sealId: f.sealId, contractId: f.contractB, templateId: 'tpl-1', reason: '矩阵' }), expect: SEAL_MEMBERS },
  { route: 'GET /api/seals/companies/{companyId}/requests', path: (f) => `/api/seals/companies/${f.companyId}/requests`, expect: SEAL_MEMBERS },
  { route: 'POST /api/seals/companies/{companyId}/requests/{requestId}/reject', path: (f) => `/api/seals/companies/${f.companyId}/requests/${f.requestId}/reject`, body: () => ({ comment: '不同意' }), expect: SEAL_ADMIN },
  { route: 'POST /api/seals/companies/{companyId}/requests/{requestId}/approve', path: (f) => `/api/seals/companies/${f.companyId}/requests/${f.requestId}/approve`, body: () => ({}), expect: SEAL_ADMIN },

  // bulk send: any account may upload (a CSV sent raw is refused 415 past the login check); a job is its sender's only
  { route: 'POST /api/bulk-sends/preview', path: () => '/api/bulk-sends/preview', raw: { contentType: 'text/csv', bytes: async () => Buffer.from('a,b\n1,2\n') }, expect: ANY_USER },
  { route: 'POST /api/bulk-sends', path: () => '/api/bulk-sends', raw: { contentType: 'text/csv', bytes: async () => Buffer.from('a,b\n1,2\n') }, expect: ANY_USER },
  { route: 'GET /api/bulk-sends', path: () => '/api/bulk-sends', expect: ANY_USER },
  { route: 'GET /api/bulk-sends/{jobId}', path: (f) => `/api/bulk-sends/${f.bulkJobId}`, expect: only('404 BULK_SEND_NOT_FOUND', { sender: 'ok' }) },
  // company C's webhooks: the admin manages them (a loopback URL: the admin gets past the checks to 422 WEBHOOK_ADDRESS_FORBIDDEN)
  { route: 'POST /api/companies/{companyId}/webhooks', path: (f) => webhookBase(f), body: () => ({ url: 'http://127.0.0.1:9/hook' }), expect: WEBHOOK_ADMIN },
  { route: 'GET /api/companies/{companyId}/webhooks', path: (f) => webhookBase(f), expect: WEBHOOK_ADMIN },
  { route: 'GET /api/companies/{companyId}/webhooks/{webhookId}/deliveries', path: (f) => `${webhookBase(f)}/${f.webhookId}/deliveries`, expect: WEBHOOK_ADMIN },
  { route: 'POST /api/companies/{companyId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', path: (f) => `${webhookBase(f)}/${f.webhookId}/deliveries/${f.deliveryId}/redeliver`, expect: WEBHOOK_ADMIN },
  { route: 'DELETE /api/companies/{companyId}/webhooks/{webhookId}', path: (f) => `${webhookBase(f)}/${f.webhookId}`, expect: WEBHOOK_ADMIN },
  // 审批: the policy is company C's admin's; the list and decisions are any account's own (each decided item is checked on its own: test/integration/approvals.test.ts).
  { route: 'GET /api/companies/{companyId}/approval-policy', path: (f) => `/api/companies/${f.companyId}/approval-policy`, expect: APPROVAL_ADMIN },
  { route: 'PUT /api/companies/{companyId}/approval-policy', path: (f) => `/api/companies/${f.companyId}/approval-policy`, body: () => ({ scope: 'off' }), expect: APPROVAL_ADMIN },
  { route: 'GET /api/approvals', path: () => '/api/approvals', expect: ANY_USER },
  { route: 'POST /api/approvals/decide', path: () => '/api/approvals/decide', body: (f) => ({ items: [{ contractId: f.contractA, decision: 'approve' }] }), expect: ANY_USER },

  // the local stand-in for S3 presigned URLs: a valid signature is the only key
  { route: 'GET /api/objects/{key+}', path: (f) => `/api/objects/documents/${f.documentId}.pdf`, expect: all('403 LINK_INVALID') },
  { route: 'PUT /api/objects/{key+}', path: () => '/api/objects/uploads/x.pdf', raw: { contentType: 'application/pdf', bytes: () => makePdf('put') }, expect: all('403 LINK_INVALID') },
  // Last: accepting makes the party a member of company C, which the rows above do not expect.
  { route: 'POST /api/identity/invitations/{companyId}/{inviteId}/accept', path: (f) => `/api/identity/invitations/${f.companyId}/${f.inviteId}/accept`, expect: only('404 INVITATION_NOT_FOUND', { party: 'ok' }) },
  { route: 'POST /api/objects-upload', path: () => '/api/objects-upload', raw: { contentType: `multipart/form-data; boundary=${BOUNDARY}`, bytes: async () => formUpload(await makePdf('post')) }, expect: all('403 LINK_INVALID') },

  // templates (issue 16). These rows come after the party accepted the invitation to company C (an operator since): it is a member here.
  { route: 'POST /api/templates', path: () => '/api/templates', body: (f) => ({ companyId: f.companyId, ...templateBody(f) }), expect: only('403 FORBIDDEN', { admin: 'ok' }) },
  { route: 'GET /api/templates', path: (f) => `/api/templates?companyId=${f.companyId}`, expect: only('403 FORBIDDEN', { member: 'ok', party: 'ok', admin: 'ok' }) },
  { route: 'GET /api/templates/{templateId}', path: (f) => `/api/templates/${f.templateId}`, expect: only(NO_TEMPLATE, { member: 'ok', party: 'ok', admin: 'ok' }) },
  { route: 'GET /api/templates/{templateId}/pages/{page}', path: (f) => `/api/templates/${f.templateId}/pages/0?width=300`, expect: only(NO_TEMPLATE, { member: 'ok', party: 'ok', admin: 'ok' }) },
  { route: 'PUT /api/templates/{templateId}', path: (f) => `/api/templates/${f.templateId}`, body: templateBody, expect: only(NO_TEMPLATE, { member: '403 FORBIDDEN', party: '403 FORBIDDEN', admin: 'ok' }) },
  { route: 'POST /api/templates/{templateId}/enabled', path: (f) => `/api/templates/${f.templateId}/enabled`, body: () => ({ enabled: true }), expect: only(NO_TEMPLATE, { member: '403 FORBIDDEN', party: '403 FORBIDDEN', admin: 'ok' }) },
  {
    route: 'POST /api/templates/{templateId}/contracts',
    path: (f) => `/api/templates/${f.templateId}/contracts`,
    body: (f) => ({ deadline: new Date(Date.now() + 7 * 86400_000).toISOString(), values: {}, parties: { B: { name: f.people.party.name, phone: f.people.party.phone } } }),
    expect: only(NO_TEMPLATE, { member: 'ok', party: 'ok', admin: 'ok' }),
  },
]

/** A form upload as S3's presigned POST takes it, with a signature that was never issued. */
function formUpload(file: Uint8Array): Buffer {
  const field = (name: string, value: string) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  const fields = { key: 'uploads/x.pdf', expires: String(Math.floor(Date.now() / 1000) + 600), 'Content-Type': 'application/pdf', maxBytes: '100000', sig: 'A'.repeat(43) }
  const head = Object.entries(fields).map(([k, v]) => field(k, v)).join('') + `--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="x.pdf"\r\ncontent-type: application/pdf\r\n\r\n`
  return Buffer.concat([Buffer.from(head), Buffer.from(file), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)])
}

function draftBody(f: Fixtures, title: string) {
  return {
    title,
    documentId: f.documentId,
    parties: [{ partyId: 'P', role: 'signer', kind: 'person', name: f.people.party.name, phone: f.people.party.phone }],
    order: [['P']],
    fields: [{ fieldId: 'p1', partyId: 'P', kind: 'signature', page: 0, rect: slot(0) }],
    deadline: new Date(Date.now() + 7 * 86400_000).toISOString(),
  }
}

let app: TestApp
let flow: ReturnType<typeof contractFlow>
let f: Fixtures

const routeName = (r: { method: string; path: string }) => `${r.method} ${r.path}`

async function request(row: Row, token: string | undefined, fx: Fixtures): Promise<{ status: number; body: any; text: string }> {
  const method = row.route.split(' ')[0]!
  const headers: Record<string, string> = { 'idempotency-key': randomUUID() }
  if (token) headers.authorization = `Bearer ${token}`
  let body: Buffer | string | undefined
  if (row.raw) {
    headers['content-type'] = row.raw.contentType
    body = Buffer.from(await row.raw.bytes())
  } else if (row.body) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(row.body(fx))
  }
  const res = await fetch(`${app.url}${row.path(fx)}`, { method, headers, body, redirect: 'manual' })
  const text = await res.text()
  let parsed: any = undefined
  try {
    parsed = JSON.parse(text)
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, text }
}

/** A sent contract from `sender` to `party` (viewed by the party, so it is bound to the account). */
async function sentContract(sender: Person, party: Person, title: string, view = true): Promise<{ id: string; hash: string }> {
  const documentId = await flow.upload(sender.token, await makePdf('Contract for the matrix'))
  const created = await flow.call('POST', '/api/contracts', { ...draftBody({ ...f, documentId, people: { ...f.people, party } }, title) }, sender.token)
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`)
  const id = created.body.contractId as string
  const sent = await flow.call('POST', `/api/contracts/${id}/send`, undefined, sender.token)
  if (sent.status !== 200) throw new Error(`send: ${JSON.stringify(sent.body)}`)
  if (!view) return { id, hash: '' }
  const viewed = await flow.call('POST', `/api/contracts/${id}/view`, undefined, party.token)
  if (viewed.status !== 200) throw new Error(`view: ${JSON.stringify(viewed.body)}`)
  return { id, hash: viewed.body.document.preparedSha256 }
}

async function draftContract(): Promise<string> {
  const created = await flow.call('POST', '/api/contracts', draftBody(f, '草稿合同'), f.people.sender.token)
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`)
  return created.body.contractId
}

const linkTokenOf = async (phone: string): Promise<string> => {
  const sms = (await flow.outbox(phone)) as Array<{ link?: string }>
  const link = sms.find((e) => e.link)?.link ?? ''
  return /\/s\/([A-Za-z0-9_-]{22})$/.exec(link)![1]!
}

beforeAll(async () => {
  app = await startTestApp()
  flow = contractFlow(app)
  const [otherUser, otherParty, sender, party, member, admin] = await Promise.all([
    flow.verifiedPerson('王其他', '13900001901', 191),
    flow.verifiedPerson('赵别家', '13900001902', 192),
    flow.verifiedPerson('钱发起', '13900001903', 193),
    flow.verifiedPerson('孙签署', '13900001904', 194),
    flow.verifiedPerson('李员工', '13900001905', 195),
    flow.verifiedPerson('周管理', '13900001906', 196),
  ])
  const people = { otherUser: otherUser!, otherParty: otherParty!, sender: sender!, party: party!, member: member!, admin: admin! }
  f = { people } as Fixtures
  f.documentId = await flow.upload(sender!.token, await makePdf('matrix document'))
  const a = await sentContract(sender!, party!, '甲合同')
  const b = await sentContract(otherUser!, otherParty!, '乙合同')
  f.contractA = a.id
  f.hashA = a.hash
  f.contractB = b.id
  f.linkA = await linkTokenOf(party!.phone)
  f.senderSignature = await flow.personalSeal(sender!)
  f.partySignature = await flow.personalSeal(party!)
  f.companyId = systemIds.newId()
  f.otherCompanyId = systemIds.newId()
  await flow.verifiedCompany(f.companyId, '矩阵测试有限公司', admin!, [member!])
  await flow.verifiedCompany(f.otherCompanyId, '别家有限公司', otherUser!, [otherParty!])
  const seal = await flow.call('POST', `/api/seals/companies/${f.companyId}/seals`, { spec: { kind: 'company-round', companyName: '矩阵测试有限公司', sealType: '合同专用章' } }, admin!.token)
  if (seal.status !== 201) throw new Error(`seal: ${JSON.stringify(seal.body)}`)
  f.sealId = seal.body.sealId ?? seal.body.seal?.sealId
  // The member may use the seal only for template tpl-1: anything else needs a 用印审批 request.
  const grant = await flow.call('PUT', `/api/seals/companies/${f.companyId}/seals/${f.sealId}/grants/${member!.userId}`, { validUntil: '2099-12-31', templateIds: ['tpl-1'] }, admin!.token)
  if (grant.status !== 200) throw new Error(`grant: ${JSON.stringify(grant.body)}`)
  const req = await flow.call('POST', `/api/seals/companies/${f.companyId}/requests`, { sealId: f.sealId, contractId: f.contractA, templateId: 'tpl-1', reason: '用印' }, member!.token)
  if (req.status !== 201) throw new Error(`seal request: ${JSON.stringify(req.body)}`)
  f.requestId = req.body.requestId ?? req.body.request?.requestId
  const invite = await flow.call('POST', `/api/identity/companies/${f.companyId}/invitations`, { phone: party!.phone, role: 'operator' }, admin!.token)
  if (invite.status !== 201 && invite.status !== 200) throw new Error(`invite: ${JSON.stringify(invite.body)}`)
  f.inviteId = invite.body.inviteId
  const applied = await flow.call('POST', '/api/identity/companies', { name: '沙箱测试科技有限公司', creditCode: '91350100M000100Y43', legalRepName: '张三', legalRepIdNumber: '110101199003070011' }, admin!.token)
  if (applied.status !== 201 && applied.status !== 200) throw new Error(`apply: ${JSON.stringify(applied.body)}`)
  f.pendingCompanyId = applied.body.companyId
  await app.deps.metadata.put({ ...memberKey(f.pendingCompanyId, member!.userId), type: 'member', companyId: f.pendingCompanyId, userId: member!.userId, role: 'operator' })
  f.webhookId = systemIds.newId()
  f.deliveryId = systemIds.newId()
  const now = new Date().toISOString()
  await app.deps.metadata.put(endpointItem({ type: 'webhook-endpoint', webhookId: f.webhookId, companyId: f.companyId, url: 'https://hooks.example.com/qianyue', events: ['contract.sent'], secretEnc: 'not used by these routes', createdAt: now, createdBy: admin!.userId }))
  f.bulkJobId = bulkJobId(f.people.sender.userId, 'tpl-matrix', 'f'.repeat(64))
  await createJob(app.deps.metadata, { jobId: f.bulkJobId, userId: f.people.sender.userId, templateId: 'tpl-matrix', fileSha256: 'f'.repeat(64), status: 'done', createdAt: now, deadline: now, counts: { total: 0, pending: 0, sent: 0, failed: 0, invalid: 0 } })
  await app.deps.metadata.put(newDeliveryItem({ deliveryId: f.deliveryId, companyId: f.companyId, webhookId: f.webhookId, eventId: 'evt_matrix', eventType: 'contract.sent', contractId: f.contractA, body: '{}', createdAt: now }))
  f.templateDocumentId = await flow.upload(admin!.token, await makePdf('matrix template'))
  const template = await flow.call('POST', '/api/templates', { companyId: f.companyId, ...templateBody(f) }, admin!.token)
  if (template.status !== 201) throw new Error(`template: ${JSON.stringify(template.body)}`)
  f.templateId = template.body.templateId
})
afterAll(async () => app?.stop())

describe('the table lists every route', () => {
  it('every route of ALL_ROUTES has exactly one row, and every row names a route', () => {
    const rows = MATRIX.map((r) => r.route)
    const routes = ALL_ROUTES.map(routeName)
    const missing = routes.filter((r) => !rows.includes(r))
    const stale = rows.filter((r) => !routes.includes(r))
    const twice = rows.filter((r, i) => rows.indexOf(r) !== i)
    expect({ 'routes without a row in MATRIX (add one)': missing, 'rows for no route': stale, 'rows listed twice': twice }).toEqual({ 'routes without a row in MATRIX (add one)': [], 'rows for no route': [], 'rows listed twice': [] })
  })

  it('every operation of /api/openapi.json has a row', async () => {
    const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${p}`))
    expect(operations.length).toBeGreaterThan(50)
    expect(operations.filter((o) => !MATRIX.some((r) => r.route.replace('+}', '}') === o))).toEqual([])
  })
})

describe.each(MATRIX)('$route', (row) => {
  it('answers each caller as the table says', async () => {
    let fx = f
    if (row.fresh === 'sent') fx = { ...f, contract: (await sentContract(f.people.sender, f.people.party, '待处理合同')).id }
    if (row.fresh === 'draft') fx = { ...f, contract: await draftContract() }
    // Denials first: a caller allowed to change state does it last.
    const isDeny = (a: Actor) => (row.expect[a] === 'ok' || row.expect[a] === 'pass' ? 1 : 0)
    const order = [...ACTORS].sort((x, y) => isDeny(x) - isDeny(y))
    const seen: Record<string, unknown> = {}
    const wanted: Record<string, unknown> = {}
    for (const actor of order) {
      const token = actor === 'anonymous' ? undefined : await tokenFor(row, actor)
      const res = await request(row, token, fx)
      const e = row.expect[actor]
      const code = res.body?.error?.code
      // Never a stack trace or a server error, whatever the caller.
      expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/)
      if (e === 'ok') {
        seen[actor] = res.status >= 200 && res.status < 300 ? 'ok' : `${res.status} ${code}`
      } else if (e === 'pass') {
        seen[actor] = res.status < 500 && ![401, 403, 404].includes(res.status) ? 'pass' : `${res.status} ${code}`
      } else {
        seen[actor] = `${res.status} ${code}`
      }
      wanted[actor] = e
    }
    expect(seen).toEqual(wanted)
  })
})

/**
 * The caller's token. Logout rows run on a session minted for the row (the product's own
 * `issueSession`), so the other rows keep theirs; after "log out everywhere" the account gets a new
 * session, as a person would log in again.
 */
async function tokenFor(row: Row, actor: Exclude<Actor, 'anonymous'>): Promise<string> {
  const person = f.people[actor]
  if (row.route !== 'POST /api/auth/logout' && row.route !== 'POST /api/auth/logout-all') return person.token
  if (row.route === 'POST /api/auth/logout-all') relogin.push(person)
  return issueSession(app.deps, { kind: 'user', sub: person.userId })
}
const relogin: Person[] = []
afterEach(async () => {
  for (const p of relogin.splice(0)) {
    await new Promise((r) => setTimeout(r, 1100))
    p.token = issueSession(app.deps, { kind: 'user', sub: p.userId })
  }
})

describe('signing links are bound to one party of one contract', () => {
  it('a link names its own contract only; logging in with it gives no access to another contract', async () => {
    // A party without an account yet: the link and its SMS code are how they arrive.
    const phone = '13900001980'
    const c = await sentContract(f.people.sender, { name: '冯新人', phone, idNumber: '', token: '', userId: '' }, 'Link holder', false)
    const link = await linkTokenOf(phone)
    const opened = await flow.call('GET', `/api/signing-links/${link}`)
    expect(opened.status).toBe(200)
    expect(JSON.stringify(opened.body)).not.toContain(f.contractB)
    expect((await flow.call('POST', `/api/signing-links/${link}/sms-codes`)).status).toBe(202)
    const code = ((await flow.outbox(phone)) as Array<{ code?: string }>).find((e) => e.code)!.code
    const login = await flow.call('POST', `/api/signing-links/${link}/login`, { code })
    expect([login.status, login.body.contractId]).toEqual([200, c.id])
    // Contract A and B (whose party ids are also "P") stay out of reach, as for a made-up id.
    for (const id of [f.contractA, f.contractB]) {
      for (const [method, p, body] of [
        ['GET', `/api/contracts/${id}`, undefined],
        ['POST', `/api/contracts/${id}/view`, undefined],
        ['POST', '/api/signing/intent/sms-codes', { contractId: id, signerId: 'P', documentHash: f.hashA }],
      ] as const) {
        const res = await flow.call(method, p, body, login.body.token)
        expect([p, res.status, res.body.error?.code]).toEqual([p, 404, 'CONTRACT_NOT_FOUND'])
      }
    }
    // The link itself cannot be pointed at another contract: the token is the only input.
    expect((await flow.call('GET', `/api/signing-links/${link}?contractId=${f.contractA}`)).body.contractId ?? c.id).toBe(c.id)
  })

  it('a signing-link session of contract A is refused on contract B and for another signer of A', async () => {
    const linkSession = issueSession(app.deps, { kind: 'signing-link', sub: f.people.party.userId, contractId: f.contractA, signerId: 'P' })
    expect((await flow.call('GET', `/api/contracts/${f.contractB}`, undefined, linkSession)).status).toBe(403)
    for (const target of [{ contractId: f.contractB, signerId: 'P' }, { contractId: f.contractA, signerId: 'Q' }]) {
      const res = await flow.call('POST', '/api/signing/intent/sms-codes', { ...target, documentHash: f.hashA }, linkSession)
      expect([res.status >= 403 && res.status < 500, res.body.error?.code]).toEqual([true, expect.any(String)])
    }
  })

  it('an intent proof for one contract does not sign another contract of the same signer', async () => {
    const signer = await flow.verifiedPerson('韩两份', '13900001981', 181)
    const first = await sentContract(f.people.sender, signer, 'First of two')
    const second = await sentContract(f.people.sender, signer, 'Second of two')
    const proofForFirst = await flow.confirmIntent(signer, first.id, 'P')
    const res = await flow.call('POST', `/api/contracts/${second.id}/sign`, { intentProofId: proofForFirst, values: {}, signatureId: await flow.personalSeal(signer) }, signer.token, { 'idempotency-key': randomUUID() })
    expect([res.status, res.body.error?.code]).toEqual([403, 'INTENT_PROOF_INVALID'])
  })
})

describe('codes lock after 5 wrong tries', () => {
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000')
  /** Four wrong answers say how many tries are left; the fifth locks the code; then the right code is refused too. */
  async function expectLock(attempt: (code: string) => Promise<{ body: any }>, code: string) {
    for (let i = 0; i < 4; i++) expect((await attempt(wrong(code))).body.error).toMatchObject({ code: 'SMS_CODE_INVALID', details: { attemptsLeft: 4 - i } })
    expect((await attempt(wrong(code))).body.error.code).toBe('SMS_CODE_ATTEMPTS_EXCEEDED')
    const right = await attempt(code)
    expect(right.body.error?.code).toBe('SMS_CODE_ATTEMPTS_EXCEEDED')
    return right
  }

  it('SMS login: locked after 5 wrong codes', async () => {
    const phone = '13900001990'
    expect((await flow.postFrom(201, '/api/auth/sms-codes', { phone })).status).toBe(202)
    const code = (await flow.outbox(phone))[0]!.code!
    const right = await expectLock((c) => flow.postFrom(201, '/api/auth/sms-login', { phone, code: c }), code)
    expect(right.body.token).toBeUndefined()
  })

  it('SMS login: 20 wrong codes at the same moment count as 20 tries at most — the right code is still refused after', async () => {
    const phone = '13900001991'
    expect((await flow.postFrom(202, '/api/auth/sms-codes', { phone })).status).toBe(202)
    const code = (await flow.outbox(phone))[0]!.code!
    const answers = await Promise.all(Array.from({ length: 20 }, () => flow.postFrom(202, '/api/auth/sms-login', { phone, code: wrong(code) })))
    expect(answers.every((a) => a.status >= 400 && a.status < 500 && !a.body.token)).toBe(true)
    expect((await flow.postFrom(202, '/api/auth/sms-login', { phone, code })).body.error?.code).toBe('SMS_CODE_ATTEMPTS_EXCEEDED')
  })

  it('signing-link login: locked after 5 wrong codes', async () => {
    const phone = '13900001992'
    await sentContract(f.people.sender, { name: '陈链接', phone, idNumber: '', token: '', userId: '' }, 'Link lock', false)
    const link = await linkTokenOf(phone)
    expect((await flow.call('POST', `/api/signing-links/${link}/sms-codes`)).status).toBe(202)
    const code = ((await flow.outbox(phone)) as Array<{ code?: string }>).find((e) => e.code)!.code!
    const right = await expectLock((c) => flow.call('POST', `/api/signing-links/${link}/login`, { code: c }), code)
    expect(right.body.token).toBeUndefined()
  })

  it('intent: locked after 5 wrong codes, and no proof is made', async () => {
    const signer = await flow.verifiedPerson('卫意愿', '13900001993', 183)
    const c = await sentContract(f.people.sender, signer, 'Intent lock')
    const target = { contractId: c.id, signerId: 'P', documentHash: c.hash }
    expect((await flow.call('POST', '/api/signing/intent/sms-codes', target, signer.token)).status).toBe(202)
    const code = ((await flow.outbox(signer.phone)) as Array<{ code?: string }>).find((e) => e.code)!.code!
    const right = await expectLock((c2) => flow.call('POST', '/api/signing/intent/confirm', { ...target, method: 'sms', code: c2 }, signer.token), code)
    expect(right.body.proofId).toBeUndefined()
  })
})

describe('ids are unguessable', () => {
  it('the id generator: 80 random bits after the time; 5,000 ids all different, every symbol of the random part equally likely', () => {
    const ids = Array.from({ length: 5000 }, () => systemIds.newId())
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
    // Characters 10–24 carry random bits only (the first 48 bits are the time, the last character is padded).
    const counts = new Map<string, number>()
    for (const id of ids) for (const ch of id.slice(10, 25)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
    expect(counts.size).toBe(32)
    const mean = (ids.length * 15) / 32
    for (const n of counts.values()) expect(Math.abs(n - mean) / mean).toBeLessThan(0.15)
  })

  it('ids the API hands out are long random strings, never counters', async () => {
    const named = { contract: f.contractA, otherContract: f.contractB, document: f.documentId, seal: f.sealId, request: f.requestId, invitation: f.inviteId, signature: f.senderSignature, company: f.pendingCompanyId, link: f.linkA }
    for (const [what, id] of Object.entries(named)) expect([what, id.length >= 22, /^[A-Za-z0-9_-]+$/.test(id)]).toEqual([what, true, true])
    // Two contracts made one after the other share no more than their time prefix.
    expect(f.contractA.slice(10)).not.toBe(f.contractB.slice(10))
  })
})

describe('a company\'s data is never visible to another company', () => {
  const LISTS = ['/api/identity/companies', '/api/identity/invitations', '/api/seals/mine', '/api/contracts', '/api/contracts/counts']

  it('members of company O see nothing of company C in any list, and C\'s own routes refuse them', async () => {
    for (const who of [f.people.otherUser, f.people.otherParty]) {
      for (const p of LISTS) {
        const res = await flow.call('GET', p, undefined, who.token)
        expect([p, res.status]).toEqual([p, 200])
        const text = JSON.stringify(res.body)
        for (const secret of [f.companyId, f.sealId, f.requestId, '矩阵测试有限公司']) expect([p, text.includes(secret)]).toEqual([p, false])
      }
      for (const p of [`/api/identity/companies/${f.companyId}`, `/api/identity/companies/${f.companyId}/members`, `/api/seals/companies/${f.companyId}/seals`, `/api/seals/companies/${f.companyId}/requests`, `/api/seals/companies/${f.companyId}/seals/${f.sealId}/uses`]) {
        const res = await flow.call('GET', p, undefined, who.token)
        expect([p, [403, 404].includes(res.status), JSON.stringify(res.body).includes('矩阵测试有限公司')]).toEqual([p, true, false])
      }
    }
  })

  it('and the other way round: company C\'s admin sees nothing of company O', async () => {
    for (const p of LISTS) {
      const text = JSON.stringify((await flow.call('GET', p, undefined, f.people.admin.token)).body)
      expect([p, text.includes(f.otherCompanyId), text.includes('别家有限公司')]).toEqual([p, false, false])
    }
    const res = await flow.call('GET', `/api/identity/companies/${f.otherCompanyId}/members`, undefined, f.people.admin.token)
    expect(res.status).toBe(404)
  })
})
