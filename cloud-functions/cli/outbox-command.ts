import fs from 'node:fs'

class UsageError extends Error {}

/** `esign outbox [--phone PHONE] [--limit N] [--json]`: the local sandbox outbox, newest first. */
export async function runOutbox(argv: string[]): Promise<number> {
  try {
    const a = parseArgs(argv)
    const { loadConfig } = await import('../runtime/config')
    const config = loadConfig(process.env, process.cwd())
    if (config.mode !== 'local') throw new UsageError('the sandbox outbox is local only (ESIGN_MODE=local)')
    const [{ SqliteMetadataStore }, { metadataFileIn }, { SandboxOutbox }, { systemIds }] = await Promise.all([
      import('../adapters/local/sqlite-metadata-store'),
      import('../runtime/defaults'),
      import('../adapters/sandbox/sandbox-outbox'),
      import('../runtime/container'),
    ])
    const file = metadataFileIn(config.dataDir)
    if (!fs.existsSync(file)) {
      process.stdout.write(a.json ? '[]\n' : `发件箱为空（${config.dataDir} 中还没有数据）\n`)
      return 0
    }
    const clock = { now: () => new Date() }
    const metadata = new SqliteMetadataStore({ file, clock })
    try {
      const entries = await new SandboxOutbox({ metadata, clock, ids: systemIds }).list({ phone: a.phone, limit: a.limit })
      if (a.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`)
        return 0
      }
      if (entries.length === 0) process.stdout.write('发件箱为空\n')
      for (const e of entries) {
        const when = new Date(Date.parse(e.sentAt) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
        const extra = e.code ? `  验证码 ${e.code}` : e.amount ? `  金额 ${e.amount} 元` : ''
        process.stdout.write(`${when}  ${e.channel === 'sms' ? '短信' : '打款'} → ${e.to}${extra}\n  ${e.text}\n${e.link ? `  ${e.link}\n` : ''}`)
      }
      return 0
    } finally {
      await metadata.close()
    }
  } catch (e) {
    const { ConfigError } = await import('../runtime/config')
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`esign outbox: ${e.message}. Run "esign outbox --help".\n`)
      return 2
    }
    process.stderr.write(`esign outbox: ${(e as Error).message}\n`)
    return 1
  }
}

function parseArgs(argv: string[]): { phone?: string; limit?: number; json: boolean } {
  const a: { phone?: string; limit?: number; json: boolean } = { json: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') a.json = true
    else if (arg === '--phone' && argv[i + 1]) a.phone = argv[++i]
    else if (arg === '--limit' && /^\d{1,3}$/.test(argv[i + 1] ?? '') && Number(argv[i + 1]) > 0) a.limit = Number(argv[++i])
    else throw new UsageError(`unexpected argument "${arg}"`)
  }
  return a
}
