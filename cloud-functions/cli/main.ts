import { PRODUCT_VERSION } from '../runtime/version'
import { COMMANDS } from './commands'

/** Exit codes: 0 success, 1 failure, 2 unusable input (see each command's help). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage())
    return 0
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${PRODUCT_VERSION}\n`)
    return 0
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    process.stderr.write(`esign: unknown command "${name}". Run "esign --help".\n`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`)
    return 0
  }
  // Commands load their own modules lazily, so `--version` and `--help` stay fast.
  const run = await command.load()
  return run(rest)
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 9)
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return [
    'esign — 签约 Qianyue command line',
    '',
    'Usage: esign <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    `  ${'--version'.padEnd(width)}  print the version`,
    `  ${'--help'.padEnd(width)}  print this help; "esign <command> --help" for one command`,
    '',
  ].join('\n')
}
