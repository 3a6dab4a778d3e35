import type { Config } from './config'

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/**
 * What `npm start` prints about the sandbox providers: where the outbox is, with the operator token
 * (as Jupyter prints its token), and — when the server listens beyond this machine — a loud warning
 * that anyone who reaches it sees no real SMS or identity check. Nothing when no sandbox provider is in use.
 */
export function sandboxNotice(config: Config, url: string, token: string | undefined): { info: string; warning?: string } {
  const sandbox = [config.identity.identityProvider === 'sandbox' && 'ESIGN_IDENTITY_PROVIDER', config.identity.smsProvider === 'sandbox' && 'ESIGN_SMS_PROVIDER'].filter(Boolean)
  if (sandbox.length === 0) return { info: '' }
  const info = token
    ? `沙箱发件箱 (sandbox outbox; needs the operator token${config.operatorToken ? ' from ESIGN_OPERATOR_TOKEN' : ', new at every start'}):\n` +
      `    ${url}/#/packages/identity/pages/outbox/index?token=${token}\n` +
      `    ${url}/api/identity/sandbox/outbox?token=${token}\n`
    : ''
  if (isLoopbackHost(config.host)) return { info }
  const bar = '!'.repeat(78)
  const warning =
    `\n${bar}\n` +
    `!! WARNING: the SANDBOX providers (${sandbox.join(', ')}) are on and HOST=${config.host} is reachable from\n` +
    `!! other machines. No real SMS is sent and no real identity is checked: login codes sit in the\n` +
    `!! sandbox outbox (operator token required) and any well-formed identity passes real-name checks.\n` +
    `!! Do not use this for real contracts: set ESIGN_IDENTITY_PROVIDER=tencent and ESIGN_SMS_PROVIDER=tencent,\n` +
    `!! or listen on HOST=127.0.0.1.\n` +
    `${bar}\n\n`
  return { info, warning }
}
