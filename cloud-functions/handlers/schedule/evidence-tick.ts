import { getContainer } from '../../runtime/bootstrap'
import type { Container } from '../../runtime/container'
import { getEvidenceServices } from '../../runtime/services'
import { createCheckpoint } from '../../use-cases/evidence/create-checkpoint'

/**
 * The evidence schedule (EventBridge every 5 minutes in AWS; the local server's tick): a checkpoint
 * over the evidence records appended since the last one — Merkle root, TSA token, anchor
 * (`use-cases/evidence/create-checkpoint.ts`). Nothing new: nothing made.
 */
export async function handler(): Promise<{ leaves: number; checkpointId?: string }> {
  return runEvidenceTick(await getContainer())
}

export async function runEvidenceTick(deps: Container): Promise<{ leaves: number; checkpointId?: string }> {
  const made = await createCheckpoint(await getEvidenceServices(deps))
  if (!made.ok) {
    deps.logger.warn({ code: made.error.code }, 'evidence checkpoint not made')
    return { leaves: 0 }
  }
  return { leaves: made.value.leaves, ...(made.value.checkpoint ? { checkpointId: made.value.checkpoint.id } : {}) }
}
