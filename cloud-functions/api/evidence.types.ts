import * as z from 'zod'
import type { EvidenceProofs } from '../core/evidence/evidence-proofs'

export type { EvidenceCheckpoint, EvidenceInclusionProof, EvidenceProofs } from '../core/evidence/evidence-proofs'

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/)

/** `GET /api/contracts/{contractId}/evidence/proofs`: the checkpoints and inclusion proofs of one contract's evidence records. */
export const ZEvidenceProofs = z
  .object({
    checkpoints: z.array(
      z.object({
        id: z.string(),
        root: HEX64.describe('默克尔树根（RFC 6962，SHA-256，十六进制）'),
        treeSize: z.number().int().positive(),
        timestampToken: z.string().describe('平台时间戳服务对树根的 RFC 3161 时间戳（DER，Base64）'),
        at: z.string().datetime(),
        anchorReceipt: z.string().optional().describe('外部存证（如司法链）的回执'),
      }),
    ),
    proofs: z.array(
      z.object({
        seq: z.number().int().positive(),
        eventHash: HEX64,
        checkpointId: z.string(),
        leafIndex: z.number().int().nonnegative(),
        path: z.array(HEX64).describe('审计路径：从叶子的兄弟节点到树根的子节点'),
      }),
    ),
  })
  .describe('合同证据记录的存证检查点与包含证明（尚未进入检查点的记录没有证明）') satisfies z.ZodType<EvidenceProofs>
