import { lookup } from 'node:dns/promises'
import type { HostResolver } from '../../ports/host-resolver'

/** The system resolver (`getaddrinfo`, as connections use it): every address of a name. */
export class DnsHostResolver implements HostResolver {
  async resolve(hostname: string): Promise<string[]> {
    try {
      const found = await lookup(hostname, { all: true, verbatim: true })
      return found.map((a) => a.address)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME') return []
      throw e
    }
  }
}
