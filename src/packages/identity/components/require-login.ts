import Taro from '@tarojs/taro'
import { getSessionToken } from '@/services/session'

/** Send the user to the login page (coming back to `backTo` afterwards) when not signed in; true when signed in. */
export function requireLogin(backTo: string): boolean {
  if (getSessionToken()) return true
  void Taro.redirectTo({ url: `/packages/identity/pages/login/index?next=${encodeURIComponent(backTo)}` })
  return false
}
