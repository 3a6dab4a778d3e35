import type { SessionClaims } from '../core/auth/session-token'

/**
 * Hands out bearer session tokens. `runtime/services.ts` provides it over the session secret
 * (`runtime/authenticate.ts`); login use cases ask it for a token and never see the secret.
 */
export interface SessionIssuer {
  /** A bearer token for `claims`, valid `ttlSeconds`. */
  issue(claims: SessionClaims, ttlSeconds: number): string | Promise<string>
}
