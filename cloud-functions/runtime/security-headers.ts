import { createHash } from 'node:crypto'
import type { HttpResult } from './http'

/** Headers on every response, API and pages alike. */
const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const

/** API responses (JSON, text, anything unknown): nothing in them may run, load or be framed. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"

/** PDFs and images opened from a link: the browser's own viewer must work, but nobody may frame them. */
const DOCUMENT_CSP = "frame-ancestors 'none'"

/** HTML a handler renders itself (the sandbox pages): its own inline styles and forms, no scripts. */
const HANDLER_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** Request headers a configured cross-origin caller may send. */
const CORS_REQUEST_HEADERS = 'authorization, content-type, idempotency-key, x-file-name, x-operator-token, x-seal-name, x-seal-type'

/**
 * `result` with the security headers every API response carries: `nosniff`, no referrer, no
 * framing (`X-Frame-Options` and CSP `frame-ancestors`), and a CSP that lets nothing run (PDFs and
 * images: only `frame-ancestors`, so the browser's viewer still shows them). A
 * handler that sets its own `content-security-policy` (a page with its own needs) keeps it.
 */
export function withSecurityHeaders(result: HttpResult): HttpResult {
  const own = Object.keys(result.headers).some((k) => k.toLowerCase() === 'content-security-policy')
  const type = result.headers['content-type'] ?? ''
  const csp = /^text\/html/i.test(type) ? HANDLER_PAGE_CSP : /^(application\/pdf|image\/(png|jpeg))/i.test(type) ? DOCUMENT_CSP : API_CSP
  return { ...result, headers: { ...COMMON, ...(own ? {} : { 'content-security-policy': csp }), ...result.headers } }
}

/**
 * CORS response headers for `origin` when it is one of `allowed` (`ESIGN_CORS_ORIGINS`), none
 * otherwise: cross-origin browser calls are off unless configured.
 */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (allowed.length === 0) return {}
  // The answer depends on Origin whenever CORS is configured: caches must keep them apart.
  if (!origin || !allowed.includes(origin)) return { vary: 'origin' }
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'x-request-id', vary: 'origin' }
}

/**
 * The answer to `OPTIONS` on a known path: 204 with `Allow`; for a configured origin also the
 * preflight grant (methods, request headers, 10 minutes' cache), for any other none, so the
 * browser refuses the cross-origin request.
 */
export function preflightResponse(origin: string | undefined, allowed: readonly string[], methods: string[]): HttpResult {
  const allow = [...methods, 'OPTIONS'].join(', ')
  const cors = corsHeaders(origin, allowed)
  const grant = cors['access-control-allow-origin']
    ? { ...cors, 'access-control-allow-methods': allow, 'access-control-allow-headers': CORS_REQUEST_HEADERS, 'access-control-max-age': '600' }
    : {}
  return { statusCode: 204, headers: { allow, ...grant }, body: '' }
}

const pageCspCache = new Map<string, string>()

/**
 * The CSP of an H5 page: scripts, styles, images, fonts and API calls from this origin only;
 * inline scripts only those in `html` (by SHA-256, so the Taro build's rem-sizing snippet runs
 * and an injected one does not); inline styles allowed (the component library injects them);
 * frames from this origin or https (the face-verification page); never framed itself.
 */
export function pageCsp(html: string): string {
  const cached = pageCspCache.get(html)
  if (cached) return cached
  const hashes: string[] = []
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`)
  }
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' blob:",
    "frame-src 'self' https:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
  if (pageCspCache.size > 16) pageCspCache.clear()
  pageCspCache.set(html, csp)
  return csp
}

/** Headers of a static H5 file: the common ones, plus the page CSP for HTML. */
export function staticFileHeaders(html?: string): Record<string, string> {
  return { ...COMMON, ...(html === undefined ? {} : { 'content-security-policy': pageCsp(html) }) }
}
