import ipaddr from 'ipaddr.js'
import { err, ok, type Result } from '../shared/result'

export type WebhookUrlPolicy = {
  /** AWS mode: only `https:` URLs. */
  requireHttps: boolean
  /** A test or development flag (off by default): loopback addresses are allowed (a receiver on 127.0.0.1). */
  allowLoopback: boolean
}

/**
 * The URL an endpoint is created with, checked before any address is resolved: `https:` (or
 * `http:` when the policy allows), no user name or password, at most 2,048 characters. The
 * host's addresses are checked separately ({@link checkWebhookAddresses}).
 */
export function parseWebhookUrl(raw: string, policy: WebhookUrlPolicy): Result<URL> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return err('WEBHOOK_URL_INVALID', '推送地址不是有效的网址')
  }
  if (raw.length > 2048) return err('WEBHOOK_URL_INVALID', '推送地址过长')
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.requireHttps)) {
    return err('WEBHOOK_URL_INVALID', policy.requireHttps ? '推送地址必须使用 HTTPS' : '推送地址必须使用 HTTPS 或 HTTP')
  }
  if (url.username || url.password) return err('WEBHOOK_URL_INVALID', '推送地址不能包含用户名或密码')
  if (!url.hostname) return err('WEBHOOK_URL_INVALID', '推送地址缺少主机名')
  return ok(url)
}

/** The hostname as a resolver takes it (IPv6 literals without their brackets). */
export function resolvableHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

/**
 * Every address a host resolved to must be a public unicast address: no loopback (unless the
 * policy allows it), link-local (169.254.0.0/16: cloud metadata), private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), carrier-grade NAT, unspecified, multicast, broadcast or reserved ranges,
 * IPv4-mapped IPv6 judged as the IPv4 address it carries. One forbidden address refuses the host
 * (a name may resolve to several, and the connection could use any). `WEBHOOK_ADDRESS_FORBIDDEN`
 * names the range, `WEBHOOK_HOST_UNRESOLVED` when there is no address.
 */
export function checkWebhookAddresses(addresses: readonly string[], policy: Pick<WebhookUrlPolicy, 'allowLoopback'>): Result<string[]> {
  if (addresses.length === 0) return err('WEBHOOK_HOST_UNRESOLVED', '无法解析 推送地址的域名')
  for (const address of addresses) {
    const range = addressRange(address)
    if (range === 'unicast' || (range === 'loopback' && policy.allowLoopback)) continue
    return err('WEBHOOK_ADDRESS_FORBIDDEN', `推送地址解析到了不允许的地址（${RANGE_TEXT[range] ?? '保留地址'}）`, { range })
  }
  return ok([...addresses])
}

const RANGE_TEXT: Record<string, string> = {
  loopback: '本机回环地址',
  linkLocal: '链路本地地址',
  private: '内网地址',
  uniqueLocal: '内网地址',
  carrierGradeNat: '运营商内网地址',
  unspecified: '未指定地址',
  invalid: '无效地址',
}

/** ipaddr.js's range name of an address (`unicast` for a public one); `invalid` when it is not an address. */
function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid'
  return ipaddr.process(address).range() // process: an IPv4-mapped IPv6 address becomes its IPv4 address
}
