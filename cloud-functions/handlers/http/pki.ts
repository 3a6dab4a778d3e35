import { PKI_PATHS } from '../../core/pki/certificate-profile'
import { toPem } from '../../core/pki/pem'
import { lambdaHandler } from '../../runtime/bootstrap'
import { binary, bodyBytes, errorResponse, type HttpResult } from '../../runtime/http'
import { getPkiServices } from '../../runtime/services'
import type { Route, RouteContext } from '../../runtime/router'
import { answerOcspRequest } from '../../use-cases/pki/answer-ocsp-request'
import { refreshCrl, type CrlIssuer } from '../../use-cases/pki/refresh-crl'

/** RFC 3161 and RFC 6960 requests are a few hundred bytes; anything far larger is not one. */
const MAX_PROTOCOL_BODY = 64 * 1024

/**
 * The trust services over HTTP, at exactly the URLs the certificates carry (`pkiUrls`):
 * - `GET /api/pki/crl/issuing.crl`, `GET /api/pki/crl/root.crl` — DER CRLs (application/pkix-crl),
 *   regenerated on revocation and before their nextUpdate;
 * - `POST /api/pki/ocsp` (application/ocsp-request) and `GET /api/pki/ocsp/{base64 request}`
 *   (RFC 6960 appendix A) — OCSP answers, `malformedRequest` for what does not parse;
 * - `POST /api/pki/tsa` (application/timestamp-query → application/timestamp-reply) — RFC 3161;
 *   a malformed query is HTTP 200 with a `rejection` (badDataFormat; unsupported hash: badAlg);
 * - `GET /api/pki/certs/{root,issuing,tsa,ocsp}.cer` (DER) and `.pem`.
 * The OCSP and TSA answers are protocol messages, never JSON errors, and nothing is stored for them.
 */
export const routes: Route[] = [
  { method: 'GET', path: PKI_PATHS.issuingCrl, doc: { summary: '签发 CA 的 CRL（DER）', tags: ['pki'], auth: 'none', responseContentType: 'application/pkix-crl' }, handle: (_e, ctx) => crl(ctx, 'issuing') },
  { method: 'GET', path: PKI_PATHS.rootCrl, doc: { summary: '根 CA 的 CRL（DER）', tags: ['pki'], auth: 'none', responseContentType: 'application/pkix-crl' }, handle: (_e, ctx) => crl(ctx, 'root') },
  {
    method: 'POST',
    path: PKI_PATHS.ocsp,
    doc: {
      summary: 'OCSP 查询（RFC 6960）',
      description: '无法解析的请求也以 OCSP 应答 malformedRequest 回答，不是 JSON 错误。',
      tags: ['pki'],
      auth: 'none',
      contentType: 'application/ocsp-request',
      responseContentType: 'application/ocsp-response',
    },
    handle: async (event, ctx) => ocsp(ctx, bodyBytes(event), 'no-store'),
  },
  {
    method: 'GET',
    path: `${PKI_PATHS.ocsp}/{request+}`,
    doc: { summary: 'OCSP 查询（GET，路径为 base64 的 DER 请求，RFC 6960 附录 A）', tags: ['pki'], auth: 'none', responseContentType: 'application/ocsp-response' },
    // The router has percent-decoded the path; a request that is not base64 decodes to garbage → malformedRequest.
    handle: async (_event, ctx) => ocsp(ctx, Buffer.from(ctx.params.request ?? '', 'base64'), 'public, max-age=60'),
  },
  {
    method: 'POST',
    path: '/api/pki/tsa',
    doc: {
      summary: '时间戳（RFC 3161）',
      description: '格式不对的请求以 HTTP 200 和 rejection 应答（badDataFormat / badAlg）。',
      tags: ['pki'],
      auth: 'none',
      contentType: 'application/timestamp-query',
      responseContentType: 'application/timestamp-reply',
    },
    handle: async (event, { deps }) => {
      const { ca } = await getPkiServices(deps)
      const body = bodyBytes(event)
      const reply = await ca.tsa.responder.respond(body.length > MAX_PROTOCOL_BODY ? new Uint8Array(0) : body)
      return binary(200, reply, 'application/timestamp-reply', { 'cache-control': 'no-store' })
    },
  },
  {
    method: 'GET',
    path: '/api/pki/certs/{name}',
    doc: {
      summary: '平台 CA 证书下载：root、issuing、tsa、ocsp 的 .cer（DER）或 .pem',
      tags: ['pki'],
      auth: 'none',
      responseContentType: 'application/pkix-cert',
      errors: ['NOT_FOUND'],
    },
    handle: async (_event, { deps, params }) => {
      const m = /^(root|issuing|tsa|ocsp)\.(cer|pem)$/.exec(params.name ?? '')
      if (!m) return errorResponse('NOT_FOUND', '证书不存在：可下载 root、issuing、tsa、ocsp 的 .cer（DER）或 .pem')
      const { ca } = await getPkiServices(deps)
      const der = { root: ca.rootCertificateDer, issuing: ca.issuingCertificateDer, tsa: ca.tsaCertificateDer, ocsp: ca.ocspCertificateDer }[m[1] as 'root']
      const cache = { 'cache-control': 'public, max-age=86400', 'content-disposition': `attachment; filename="qianyue-${m[1]}.${m[2]}"` }
      if (m[2] === 'cer') return binary(200, der, 'application/pkix-cert', cache)
      return binary(200, new TextEncoder().encode(toPem(der)), 'application/x-pem-file', cache)
    },
  },
]

export const handler = lambdaHandler(routes)

async function crl({ deps }: RouteContext, issuer: CrlIssuer): Promise<HttpResult> {
  const { ca } = await getPkiServices(deps)
  const published = await refreshCrl({ ...deps, ca }, issuer)
  if (published.wasOverdue) deps.logger.warn({ issuer }, 'the CRL had passed its nextUpdate (the schedule did not run): regenerated on read')
  return binary(200, published.der, 'application/pkix-crl', { 'cache-control': 'public, max-age=60', 'last-modified': published.thisUpdate.toUTCString() })
}

async function ocsp({ deps }: RouteContext, requestDer: Uint8Array, cacheControl: string): Promise<HttpResult> {
  const { ca } = await getPkiServices(deps)
  const response = await answerOcspRequest({ ...deps, ca }, requestDer.length > MAX_PROTOCOL_BODY ? new Uint8Array(0) : requestDer)
  return binary(200, response, 'application/ocsp-response', { 'cache-control': cacheControl })
}
