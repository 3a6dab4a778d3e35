import { getContainer } from '../../runtime/bootstrap'
import type { Container } from '../../runtime/container'
import { getPkiServices } from '../../runtime/services'
import { refreshCrl, type CrlIssuer } from '../../use-cases/pki/refresh-crl'

/**
 * The trust services' schedule (EventBridge hourly in AWS; the local server's tick): regenerate
 * each CRL before its nextUpdate (see `CRL_POLICY`), so a published CRL never expires unnoticed.
 * A CRL found already past its nextUpdate is logged as an error (the schedule was not running).
 */
export async function handler(): Promise<{ regenerated: CrlIssuer[] }> {
  return runPkiTick(await getContainer())
}

export async function runPkiTick(deps: Container): Promise<{ regenerated: CrlIssuer[] }> {
  const { ca } = await getPkiServices(deps)
  const regenerated: CrlIssuer[] = []
  for (const issuer of ['issuing', 'root'] as const) {
    const crl = await refreshCrl({ ...deps, ca }, issuer)
    if (crl.wasOverdue) deps.logger.error({ issuer }, 'the CRL had passed its nextUpdate before the tick regenerated it')
    if (crl.regenerated) {
      regenerated.push(issuer)
      deps.logger.info({ issuer, crlNumber: crl.crlNumber.toString(), nextUpdate: crl.nextUpdate.toISOString() }, 'CRL regenerated')
    }
  }
  return { regenerated }
}
