import type { Anchor } from '../../ports/anchor'
import type { CpuWork } from '../../ports/cpu-work'
import type { RevocationSource } from '../../ports/revocation-source'
import type { IdentityDeps } from '../identity/deps'

/**
 * What the contracts use cases need: the identity services (personal-data keys, SMS, sessions for
 * signing links, the trust services for certificates and time-stamps) plus the CPU pool (preparing
 * and signing PDFs, rendering pages, verifying) and the verification trust roots (built by
 * `runtime/services.ts`).
 */
export type ContractDeps = IdentityDeps & {
  cpu: CpuWork
  verification: { trustRoots: () => Promise<Uint8Array[]>; revocation: RevocationSource }
  /** Where checkpoint roots are anchored (the checkpoint made at each completion); `noAnchor` when absent. */
  anchor?: Anchor
}
