import Taro from '@tarojs/taro'

const KEY = 'qianyue.session'

type Stored = { token: string; expiresAt: number }

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

/** Keep the token from a login answer. */
export function saveSession(token: string, expiresInSeconds: number): void {
  Taro.setStorageSync(KEY, { token, expiresAt: Date.now() + expiresInSeconds * 1000 - 60_000 })
}

export function clearSession(): void {
  Taro.setStorageSync(KEY, '')
}

/** `Authorization` header for API calls (empty when not signed in). */
export function authHeader(): Record<string, string> {
  const token = getSessionToken()
  return token ? { Authorization: `Bearer ${token}` } : {}
}
