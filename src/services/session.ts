import Taro from '@tarojs/taro'

/**
 * The one session service: every page and every API module reads the signed-in state from here
 * (the seals pages once read another storage key and answered 请先登录 to logged-in users).
 * It also keeps the acting context: the person, or one of the companies they belong to.
 */
const KEY = 'qianyue.session'
const CONTEXT_KEY = 'qianyue.context'

type Stored = { token: string; expiresAt: number }

/** Who the user acts as: themselves, or a company they are a member of. */
export type ActingContext = { kind: 'person' } | { kind: 'company'; companyId: string; companyName: string }

/** The signed-in session's bearer token, or undefined when absent or expired. */
export function getSessionToken(): string | undefined {
  try {
    const s = Taro.getStorageSync(KEY) as Stored | '' | undefined
    if (!s || typeof s !== 'object' || !s.token || Date.now() >= s.expiresAt) return undefined
    return s.token
  } catch {
    return undefined
  }
}

export const isLoggedIn = (): boolean => getSessionToken() !== undefined

/** Keep the token from a login answer. */
export function saveSession(token: string, expiresInSeconds: number): void {
  Taro.setStorageSync(KEY, { token, expiresAt: Date.now() + expiresInSeconds * 1000 - 60_000 })
}

/** Forget the session and the acting context (logout, or the server said the session is gone). */
export function clearSession(): void {
  Taro.setStorageSync(KEY, '')
  Taro.setStorageSync(CONTEXT_KEY, '')
}

/** `Authorization` header for API calls (empty when not signed in). */
export function authHeader(): Record<string, string> {
  const token = getSessionToken()
  return token ? { Authorization: `Bearer ${token}` } : {}
}

export function getActingContext(): ActingContext {
  try {
    const c = Taro.getStorageSync(CONTEXT_KEY) as ActingContext | '' | undefined
    return c && typeof c === 'object' && c.kind === 'company' && c.companyId ? c : { kind: 'person' }
  } catch {
    return { kind: 'person' }
  }
}

export function setActingContext(context: ActingContext): void {
  Taro.setStorageSync(CONTEXT_KEY, context.kind === 'person' ? '' : context)
}

const LOGIN_PAGE = '/packages/identity/pages/login/index'

/** Send the user to the login page (coming back to `backTo` afterwards) when not signed in; true when signed in. */
export function requireLogin(backTo: string): boolean {
  if (isLoggedIn()) return true
  void Taro.redirectTo({ url: `${LOGIN_PAGE}?next=${encodeURIComponent(backTo)}` })
  return false
}

export const loginUrl = (backTo?: string) => (backTo ? `${LOGIN_PAGE}?next=${encodeURIComponent(backTo)}` : LOGIN_PAGE)
