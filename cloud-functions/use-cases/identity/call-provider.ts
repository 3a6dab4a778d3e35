import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import type { Logger } from '../../ports/logger'
import { ProviderRejectedError, ProviderUnavailableError } from '../../ports/provider-errors'

/**
 * Run a provider call: outages become `PROVIDER_UNAVAILABLE` (retryable, 503) or `PROVIDER_ERROR`
 * (setup problem, 502) values, logged without personal data; anything else is a bug and rethrows.
 */
export async function callProvider<T>(logger: Logger, what: string, call: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await call())
  } catch (e) {
    if (e instanceof ProviderUnavailableError) {
      logger.warn({ provider: e.provider, step: what, reason: e.message }, 'identity provider unavailable')
      return err('PROVIDER_UNAVAILABLE', '认证服务暂时不可用，请稍后重试（本次未计入次数）', { retryable: true })
    }
    if (e instanceof ProviderRejectedError) {
      logger.error({ provider: e.provider, step: what, providerCode: e.providerCode }, 'identity provider refused the request')
      return err('PROVIDER_ERROR', '认证服务配置异常，请联系平台管理员', { retryable: false })
    }
    throw e
  }
}

/** A failed identity check as a domain error. */
export function checkFailed(check: { reason: string; message: string; providerCode?: string }, what: string): DomainError {
  if (check.reason === 'daily-limit') return { code: 'IDENTITY_CHECK_LIMITED', message: `${what}：${check.message}`, details: { reason: check.reason } }
  return { code: 'IDENTITY_MISMATCH', message: `${what}：${check.message}`, details: { reason: check.reason, ...(check.providerCode ? { providerCode: check.providerCode } : {}) } }
}
