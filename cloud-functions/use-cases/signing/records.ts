export const intentFaceKey = (t: { contractId: string; signerId: string }, challengeId: string) => ({ pk: `INTENT#${t.contractId}#${t.signerId}`, sk: `FACE#${challengeId}` })

export const intentProofKey = (t: { contractId: string; signerId: string }, proofId: string) => ({ pk: `INTENT#${t.contractId}#${t.signerId}`, sk: `PROOF#${proofId}` })

/** A batch intent proof (批量签署) of an account. */
export const batchIntentKey = (userId: string, batchId: string) => ({ pk: `INTENTBATCH#${userId}`, sk: `BATCH#${batchId}` })

/** A face challenge for a batch intent of an account. */
export const batchFaceKey = (userId: string, challengeId: string) => ({ pk: `INTENTBATCH#${userId}`, sk: `FACE#${challengeId}` })

/** Where a face challenge for intent is kept: {@link intentFaceKey} or {@link batchFaceKey}. */
export type FaceChallengeKey = ReturnType<typeof intentFaceKey>
