import { useCallback, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import type { AccountView } from '@api/identity.types'
import type { CompanyView, InvitationView } from '@api/identity.types'
import { identityApi } from '@/services/identity-api'
import { errorText } from '@/services/error-text'
import { getActingContext, isLoggedIn, setActingContext, type ActingContext } from '@/services/session'

export type AccountState =
  | { kind: 'loading' }
  | { kind: 'anonymous' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; account: AccountView; companies: CompanyView[]; invitations: InvitationView[]; context: ActingContext }

/** Companies a member may act for: verified, and the caller an admin or operator. */
export const actingCompanies = (companies: CompanyView[]) => companies.filter((c) => c.status === 'verified' && (c.myRole === 'admin' || c.myRole === 'operator'))

/**
 * The signed-in account as the home and 我的 pages show it: who (masked phone, 实名 state), their
 * companies and pending invitations, and the context they act in. Reloaded each time the page shows.
 */
export function useAccount() {
  const [state, setState] = useState<AccountState>({ kind: 'loading' })

  const reload = useCallback(async () => {
    if (!isLoggedIn()) {
      setState({ kind: 'anonymous' })
      return
    }
    try {
      const [account, companies, invitations] = await Promise.all([identityApi.me(), identityApi.companies(), identityApi.invitations()])
      let context = getActingContext()
      const current = context.kind === 'company' ? context.companyId : undefined
      // A company the user no longer acts for falls back to the personal context.
      if (current !== undefined && !actingCompanies(companies).some((c) => c.companyId === current)) {
        context = { kind: 'person' }
        setActingContext(context)
      }
      setState({ kind: 'ready', account, companies, invitations, context })
    } catch (err) {
      setState(isLoggedIn() ? { kind: 'error', message: errorText(err) } : { kind: 'anonymous' })
    }
  }, [])

  useDidShow(() => {
    void reload()
  })

  const switchContext = useCallback((context: ActingContext) => {
    setActingContext(context)
    setState((s) => (s.kind === 'ready' ? { ...s, context } : s))
  }, [])

  return { state, reload, switchContext }
}
