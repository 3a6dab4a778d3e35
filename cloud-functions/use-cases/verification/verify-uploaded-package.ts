import type { PackageVerification } from '../../core/evidence/verify-evidence-package'
import { err, ok, type Result } from '../../core/shared/result'
import type { Clock } from '../../ports/clock'
import type { CpuWork } from '../../ports/cpu-work'

/** At most this many files, and bytes uncompressed, are read from an uploaded package. */
export const MAX_PACKAGE_FILES = 2_000
export const MAX_PACKAGE_UNCOMPRESSED_BYTES = 200 * 1024 * 1024

/**
 * `POST /api/verify/evidence-package`: an evidence package (证据包 zip) checked as
 * `esign evidence verify` checks it — the same sections, on the CPU pool — trusting the platform
 * root. `NOT_A_PACKAGE` when the bytes are not a readable zip or exceed the limits; otherwise the
 * result, valid or not, with the first broken link.
 */
export async function verifyUploadedPackage(
  deps: { clock: Clock; trustRoots: () => Promise<Uint8Array[]>; cpu: Pick<CpuWork, 'verifyEvidencePackage'> },
  input: { bytes: Uint8Array },
): Promise<Result<PackageVerification>> {
  const files = new Map<string, Uint8Array>()
  // jszip is loaded on the first package, not with the verification function's bundle (cold start).
  const { default: JSZip } = await import('jszip')
  try {
    const zip = await JSZip.loadAsync(input.bytes)
    const entries = Object.values(zip.files).filter((f) => !f.dir)
    if (entries.length > MAX_PACKAGE_FILES) return err('NOT_A_PACKAGE', `证据包中的文件超过 ${MAX_PACKAGE_FILES} 个`)
    let total = 0
    for (const f of entries) {
      const data = await f.async('uint8array')
      total += data.length
      if (total > MAX_PACKAGE_UNCOMPRESSED_BYTES) return err('NOT_A_PACKAGE', '证据包解压后过大')
      files.set(f.name, data)
    }
  } catch {
    return err('NOT_A_PACKAGE', '文件不是有效的证据包压缩文件')
  }
  return ok(await deps.cpu.verifyEvidencePackage(files, { trustRoots: await deps.trustRoots(), now: deps.clock.now() }))
}
