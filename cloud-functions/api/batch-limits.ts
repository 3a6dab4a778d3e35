/** At most this many contracts in one 批量签署 (batch intent, preview and batch sign); import-free, so the app uses it too. */
export const MAX_BATCH_CONTRACTS = 50
