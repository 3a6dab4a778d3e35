import { operatorToken } from '../../cloud-functions/runtime/operator-token'
import type { TestApp } from './local-app'

/** An answer of the local server: the body parsed as JSON when it is JSON, else its text. */
export type ApiResponse = { status: number; body: any; headers: Headers }

/** A server the tests call: a {@link TestApp} in this process, or one started apart (e.g. by `npm start`) with its operator token. */
export type ApiTarget = TestApp | { url: string; operatorToken: string }

/**
 * HTTP calls to a {@link TestApp} (or any {@link ApiTarget}) as the app makes them: JSON bodies (a
 * string body is sent as is), bearer tokens, redirects not followed, and the operator token the
 * sandbox outbox needs. `login` signs in by SMS code read from the sandbox outbox, as a person would.
 */
export function apiClient(app: ApiTarget) {
  const outboxToken = 'deps' in app ? operatorToken(app.deps)! : app.operatorToken
  const call = async (method: string, p: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const res = await fetch(`${app.url}${p}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(p.startsWith('/api/identity/sandbox/outbox') ? { 'x-operator-token': outboxToken } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      /* HTML or PDF */
    }
    return { status: res.status, body: parsed, headers: res.headers }
  }
  /** The sandbox outbox's entries for `phone`, newest first. */
  const outbox = async (phone: string) => (await call('GET', `/api/identity/sandbox/outbox?phone=${phone}`)).body.entries as Array<{ code?: string; amount?: string }>
  const login = async (phone: string): Promise<{ token: string; userId: string }> => {
    expect((await call('POST', '/api/auth/sms-codes', { phone })).status).toBe(202)
    const r = await call('POST', '/api/auth/sms-login', { phone, code: (await outbox(phone))[0]!.code })
    expect(r.status).toBe(200)
    const me = await call('GET', '/api/auth/me', undefined, r.body.token)
    return { token: r.body.token, userId: me.body.userId }
  }
  return { call, outbox, login }
}
