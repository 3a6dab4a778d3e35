/**
 * Pays a small random amount into a company's bank account (对公打款 micro-deposit), so that an
 * operator who can read the account's statement proves control of it. Implemented by
 * `adapters/sandbox/sandbox-payout.ts` (the payout appears in the local outbox). Outages throw
 * `ProviderUnavailableError`; the same `reference` never pays twice.
 */
export interface Payout {
  sendMicroDeposit(input: {
    /** Our idempotency reference, also shown on the statement as the remark. */
    reference: string
    accountName: string
    bankName: string
    bankAccount: string
    /** Whole fen, 1–99. */
    amountFen: number
  }): Promise<{ payoutId: string }>
  describe(): { kind: 'sandbox' | string }
}
