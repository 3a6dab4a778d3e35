/**
 * Resolves a host name to every address it has (IPv4 and IPv6), the way a connection would: the
 * webhook policy checks all of them before each connection (`core/webhooks/webhook-url.ts`). An IP
 * literal resolves to itself. An unknown name resolves to `[]`; a resolver failure throws.
 * Adapter: `adapters/dns/dns-host-resolver.ts` (the system resolver, `dns.lookup` with `all`).
 */
export interface HostResolver {
  resolve(hostname: string): Promise<string[]>
}
