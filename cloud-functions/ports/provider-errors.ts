/**
 * Failures of an external provider (identity checks, SMS, payouts) that are outages, not answers.
 * Expected answers ("the name does not match", "rate limited") are values in each port's result
 * types; these exceptions are for when no answer came back.
 */

/** No usable answer: timeout, network failure, HTTP 5xx, or the provider said "busy, try again". Retryable. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError'
  readonly retryable = true
  constructor(readonly provider: string, message: string, options?: ErrorOptions) {
    super(`${provider}: ${message}`, options)
  }
}

/**
 * The provider refused the call itself (bad credentials, wrong signature, missing permission,
 * bad configuration): retrying will not help until an operator fixes the setup.
 */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError'
  readonly retryable = false
  constructor(readonly provider: string, readonly providerCode: string, message: string, options?: ErrorOptions) {
    super(`${provider}: ${providerCode}: ${message}`, options)
  }
}
