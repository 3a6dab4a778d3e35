export const intentFaceKey = (t: { contractId: string; signerId: string }, challengeId: string) => ({ pk: `INTENT#${t.contractId}#${t.signerId}`, sk: `FACE#${challengeId}` })

export const intentProofKey = (t: { contractId: string; signerId: string }, proofId: string) => ({ pk: `INTENT#${t.contractId}#${t.signerId}`, sk: `PROOF#${proofId}` })
